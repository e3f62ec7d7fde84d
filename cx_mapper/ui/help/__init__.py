"""The glossary and the keyboard shortcuts."""
