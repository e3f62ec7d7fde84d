"""Migration scripts; Alembic loads them by path (the names are not imported)."""
