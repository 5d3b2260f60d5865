"""QAbstractItemModel subclasses over service data."""
