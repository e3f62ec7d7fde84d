"""The analysis engine: MODEL.md on numpy and scipy.sparse. Reads the domain, never changes it."""
