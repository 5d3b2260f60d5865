"""Pure-Python domain of SVF-redovisning: templates, figures, rules, documents. No Qt, no SQL."""
