"""Telegram: customers complain to the organisation's bot in a private chat."""
