"""Open, save, recovery, data imports and the welcome page."""
