"""What a drift check assumes unless told: here without numpy or scipy, so the command
line can show them in its help without loading the statistics."""

from __future__ import annotations

#: The family-wise false-alarm rate of a drift check (Holm over all its tests).
DEFAULT_ALPHA = 0.01
#: The KPI a drift threshold is about.
DEFAULT_KPI = "value"
