"""How far the machine labels can be trusted: per-facet accuracy measured on real papers.

`benchmarks/real_labels.py --split test --write-accuracy` scores the classifier against the
hand labels of the test split of `benchmarks/data/real_papers.toml` and writes the figures to
`measured_accuracy.json` beside this module. The report quotes them next to every table built
from machine labels, so a reader knows the labels' measured error, not only that they are
machine-made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

MEASURED_FILE = Path(__file__).resolve().parent / "measured_accuracy.json"
# Facet -> how the figure is read, in the report's words.
FIGURES = {
    "design": ("study design", "accuracy"),
    "subjects": ("subjects", "micro-F1"),
    "indication": ("indications", "micro-F1"),
    "ev_source": ("EV source", "micro-F1"),
    "delivery": ("delivery route", "accuracy"),
    "safety": ("safety finding", "accuracy"),
    "inclusion": ("inclusion after eligibility", "accuracy"),
}


@dataclass(frozen=True, slots=True)
class MeasuredAccuracy:
    figures: dict[str, float]  # facet -> figure, as FIGURES says how to read it
    papers: int  # papers in the test split that were scored
    measured_on: str  # ISO date
    command: str
    taxonomy: str  # the taxonomy version that was measured

    def sentence(self) -> str:
        """One sentence for the report."""
        parts = [f"{name} {kind} {self.figures[facet]:.2f}" for facet, (name, kind) in FIGURES.items()
                 if facet in self.figures]
        when = date.fromisoformat(self.measured_on)
        return (f"Measured against hand labels on {self.papers} real papers never used for tuning "
                f"({when.day} {when:%B %Y}): " + ", ".join(parts) + ". A label's sentence lets a reader check it.")


def load_measured() -> MeasuredAccuracy | None:
    """The shipped figures, or None when none have been measured."""
    resource = resources.files("exoreview.classify").joinpath(MEASURED_FILE.name)
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text(encoding="utf-8"))
    return MeasuredAccuracy({k: float(v) for k, v in data["figures"].items() if v is not None},
                            int(data["papers"]), str(data["measured_on"]), str(data["command"]),
                            str(data["taxonomy"]))


def write_measured(figures: dict[str, float | None], *, papers: int, measured_on: str, command: str,
                   taxonomy: str, path: Path = MEASURED_FILE) -> None:
    data = {"figures": {k: v for k, v in figures.items() if v is not None}, "papers": papers,
            "measured_on": measured_on, "command": command, "taxonomy": taxonomy,
            "set": "benchmarks/data/real_papers.toml (test split)"}
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
