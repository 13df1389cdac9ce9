"""The Telegram channel's place in the shell: webhook, polling, readiness."""
