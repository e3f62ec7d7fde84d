"""Editing: the project document, its undo commands, background work and the analysis service."""
