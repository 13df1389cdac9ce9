"""The management review: reports on the complaints process (ISO 10002 8)."""
