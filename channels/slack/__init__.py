"""Slack: the staff console's adapter (posting, updating in place, threads)."""
