"""Use cases: the only API that ui/ and cli.py call."""
