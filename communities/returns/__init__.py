"""Data entry, review and approval of the yearly returns."""
