"""Persistence: SQLAlchemy models, engines and sessions, and migrations."""
