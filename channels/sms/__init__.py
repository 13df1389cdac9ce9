"""The SMS channel through Twilio: inbound webhooks, sending, and segment counting."""
