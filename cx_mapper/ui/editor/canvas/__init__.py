"""The journey canvas: drawn items (items.py), their look (style.py), scene and view."""
