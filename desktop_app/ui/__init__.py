"""PySide6 user interface. Screens call services only."""
