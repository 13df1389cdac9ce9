"""Edge adapters, one per provider: verify, parse, normalise in; render and send out."""
