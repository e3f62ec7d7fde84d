"""The Analysis dock: KPI cards, charts, tables, compare and simulation."""
