"""SVF-redovisning: the regions' reports on standardised cancer care pathways (SVF)."""

__version__ = "0.1.0"
