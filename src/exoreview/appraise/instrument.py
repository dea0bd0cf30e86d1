"""The appraisal instrument: checklist items read from a versioned TOML file (misev.toml)."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from exoreview.errors import BadInput

Applicability = Literal["ev_primary", "centrifugation_isolation", "cell_culture_source"]
BUILTIN = "misev.toml"


class InstrumentError(BadInput, ValueError):
    """An instrument file that cannot be used; the message names the file, the item and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Item(_Strict):
    id: str
    text: str
    reported_if: str
    labels: list[str] = Field(default_factory=list)  # "facet.class" or "facet.*"
    patterns: list[str] = Field(default_factory=list)
    applies: Applicability = "ev_primary"
    basis: list[str] = Field(default_factory=list)
    since: str = "1"

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from exc
        return patterns

    def compiled(self) -> list[re.Pattern[str]]:
        return [re.compile(p, re.IGNORECASE) for p in self.patterns]

    def wants_label(self, facet: str, value: str) -> bool:
        return any(fnmatchcase(f"{facet}.{value}", wanted) for wanted in self.labels)


class Instrument(_Strict):
    id: str
    version: str
    title: str
    item: list[Item]

    @property
    def name(self) -> str:
        """What the store's `instrument` column holds: id and version."""
        return f"{self.id}@{self.version}"

    @property
    def items(self) -> list[Item]:
        return self.item

    def get(self, item_id: str) -> Item | None:
        return next((i for i in self.item if i.id == item_id), None)


def load_instrument(path: str | Path | None = None) -> Instrument:
    """The built-in checklist, or one from a file with the same layout."""
    if path is None:
        text = resources.files("exoreview.appraise").joinpath(BUILTIN).read_text(encoding="utf-8")
        where = f"exoreview/appraise/{BUILTIN}"
    else:
        text, where = Path(path).read_text(encoding="utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"{where}: not valid TOML: {exc}") from exc
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(data, error) for error in exc.errors())
        raise InstrumentError(f"{where}: {problems}") from exc
    seen: set[str] = set()
    for item in instrument.item:
        if item.id in seen or item.id == "score":
            raise InstrumentError(f"{where}: item id {item.id!r} is used twice or reserved; ids must be unique")
        seen.add(item.id)
        if not item.labels and not item.patterns:
            raise InstrumentError(f"{where}: item {item.id!r} has neither labels nor patterns: it could never "
                                  "be rated reported")
    return instrument


def _describe(data: dict, error: dict) -> str:
    location = list(error["loc"])
    if len(location) >= 2 and location[0] == "item" and isinstance(location[1], int):
        items = data.get("item", [])
        item_id = items[location[1]].get("id", f"#{location[1] + 1}") if location[1] < len(items) else "?"
        field = ".".join(str(part) for part in location[2:]) or "item"
        return f"item {item_id!r}, field {field}: {error['msg']}"
    return f"field {'.'.join(str(p) for p in location)}: {error['msg']}"
