"""The sample data in projects/data/, made reproducibly from the retail sample.

    python -m tests.sample_data     # rewrites projects/data/*.csv

- retail-events.csv: an event log of 1,500 customers walked through the retail
  sample's current journey (entry shares, transition probabilities, CSAT around each
  touchpoint's satisfaction, a public flag at its visibility, revenue near its value).
  Importing it into that journey (File > Import data, Update) shows small changes.
- channel-paths.csv: aggregated conversion paths in the common attribution format.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.persistence.json_format import read_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "projects" / "data"
CUSTOMERS = 1500
PATHS = [  # path, conversions, conversion value, no conversion
    ("Search > Website", 120, 6000, 880),
    ("Social > Website > Email", 85, 4675, 415),
    ("Email", 40, 2000, 960),
    ("Social > Search > Website", 60, 3300, 340),
    ("Display > Search > Website", 35, 1750, 365),
    ("Social", 5, 250, 995),
    ("Display", 2, 90, 598),
    ("Search > Email > Website", 70, 3850, 230),
    ("Display > Social > Search > Website > Email", 18, 1080, 82),
]


def _pick(chances: list[tuple[Touchpoint | None, float]], draw: float) -> Touchpoint | None:
    total = 0.0
    for touchpoint, chance in chances:
        total += chance
        if draw < total:
            return touchpoint
    return None  # the rest leaves the journey


def retail_events() -> str:
    journey: Journey = read_project(ROOT / "projects" / "retail-omnichannel.json").journey(
        "current")
    stages = {s.id: s.name for s in journey.stages}
    channels = {c.id: c.name for c in journey.channels}
    entries = [(t, t.entry) for t in journey.touchpoints.values()]
    rng = random.Random(2026)
    text = io.StringIO()
    out = csv.writer(text, lineterminator="\n")
    out.writerow(["customer_id", "timestamp", "touchpoint", "stage", "channel", "csat",
                  "shared", "revenue"])
    start = datetime(2026, 10, 1)
    for customer in range(CUSTOMERS):
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 20))
        touchpoint = _pick(entries, rng.random())
        for _step in range(12):
            if touchpoint is None:
                break
            score = min(5, max(1, round(rng.gauss(3 + 2 * touchpoint.satisfaction, 0.8))))
            revenue = (f"{touchpoint.value * rng.uniform(0.8, 1.2):.2f}"
                       if touchpoint.value > 0 else "")
            out.writerow([f"C{customer:05d}", when.strftime("%Y-%m-%d %H:%M:%S"),
                          touchpoint.name, stages.get(touchpoint.stage or "", ""),
                          channels.get(touchpoint.channel or "", ""), score,
                          "yes" if rng.random() < touchpoint.visibility else "no", revenue])
            when += timedelta(hours=rng.randrange(1, 72))
            chances = [(journey.touchpoint(t.target), t.probability)
                       for t in journey.outgoing(touchpoint.id)]
            touchpoint = _pick(chances, rng.random())
    return text.getvalue()


def channel_paths() -> str:
    lines = ["path;total_conversions;total_conversion_value;total_null"]
    lines += [f"{path};{conversions};{value};{nulls}" for path, conversions, value, nulls in PATHS]
    return "\n".join(lines) + "\n"


FILES = {"retail-events.csv": retail_events, "channel-paths.csv": channel_paths}

if __name__ == "__main__":
    DATA.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (DATA / name).write_text(make(), encoding="utf-8")
        print(f"wrote projects/data/{name}")
