"""Reading the corpus generator's data files (`data/*.json`): word lists and tables kept out of the code.

JSON has no tuples, so `tuples` turns arrays back into the tuples the generator's tables hold (they are
hashed, compared and picked from exactly as before); objects keep their key order.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load(name: str) -> dict[str, Any]:
    """One data file of this package, parsed."""
    text = resources.files("exoreview.demo.corpus").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def tuples(value: Any) -> Any:
    """`value` with every JSON array, at any depth, as a tuple."""
    if isinstance(value, list):
        return tuple(tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: tuples(item) for key, item in value.items()}
    return value
