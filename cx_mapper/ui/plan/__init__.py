"""The plan: opportunities, the value-vs-effort matrix and the best plan for a budget."""
