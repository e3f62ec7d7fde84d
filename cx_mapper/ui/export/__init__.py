"""The one-page summary and its writers."""
