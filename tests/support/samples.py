"""The sample plans shipped in models/samples/, as the tests read them."""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "models" / "samples"
ROADMAP_SAMPLE = SAMPLES / "smolensk_mogilev_roadmap_2026_2028.txt"
EVENTS_SAMPLE = SAMPLES / "smolensk_international_events_h1_2026.txt"
EVENTS_ASSIGNMENTS = SAMPLES / "smolensk_international_events_h1_2026.assignments.yaml"
