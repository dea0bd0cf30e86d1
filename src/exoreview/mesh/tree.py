"""The MeSH tree: descriptors, their tree numbers, and PubMed-style explosion.

A descriptor can sit at several places in the tree (Exosomes is both under
Extracellular Vesicles and under Secretory Vesicles), so explosion takes every
tree number of the descriptor and collects everything beneath any of them.

Tree numbers are kept in one sorted list. Because '.' sorts before every digit
and letter, all numbers beneath "A11.284" ("A11.284.xxx...") form one
contiguous run starting at bisect_left("A11.284."), so a descendant query is a
range scan instead of a pass over all ~58,000 rows.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

Row = tuple[str, str, str]  # (tree_number, descriptor_ui, name)

_UI_RE = re.compile(r"^[DdCcQq]\d{6,9}$")
_HEADER = ("tree number", "desc ui", "term")


@dataclass(frozen=True, slots=True)
class Descriptor:
    ui: str
    name: str
    tree_numbers: tuple[str, ...] = ()


class MeshTree:
    """An immutable view of (a part of) the MeSH descriptor tree."""

    def __init__(self, rows: Iterable[Row]) -> None:
        names: dict[str, str] = {}
        numbers: dict[str, list[str]] = {}
        tn_to_ui: dict[str, str] = {}
        for tree_number, ui, name in rows:
            tree_number, ui, name = tree_number.strip(), ui.strip().upper(), name.strip()
            if not ui:
                continue
            names.setdefault(ui, name)
            numbers.setdefault(ui, [])
            # Empty tree numbers are allowed: check tags such as Female and Male
            # are descriptors without a place in the tree.
            if tree_number and tree_number not in tn_to_ui:
                tn_to_ui[tree_number] = ui
                numbers[ui].append(tree_number)
        self._by_ui: dict[str, Descriptor] = {ui: Descriptor(ui, names[ui], tuple(sorted(numbers[ui]))) for ui in names}
        self._by_name: dict[str, Descriptor] = {}
        for descriptor in self._by_ui.values():
            self._by_name.setdefault(descriptor.name.casefold(), descriptor)
        self._tn_to_ui = tn_to_ui
        self._sorted_tns: list[str] = sorted(tn_to_ui)

    # -- construction ---------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> MeshTree:
        return cls(rows)

    @classmethod
    def from_tsv(cls, path: str | Path) -> MeshTree:
        """Read NLM's tab-separated tree file (header optional, BOM tolerated)."""
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return cls(_parse_tsv_lines(handle))

    @classmethod
    def demo(cls) -> MeshTree:
        """The small tree shipped for the offline demo (see scripts/build_demo_mesh.py)."""
        text = resources.files("exoreview.mesh").joinpath("data", "demo_tree.tsv").read_text("utf-8-sig")
        return cls(_parse_tsv_lines(text.splitlines()))

    def rows(self) -> list[Row]:
        """All rows sorted by tree number; descriptors without one come first."""
        out: list[Row] = [("", d.ui, d.name) for d in self._by_ui.values() if not d.tree_numbers]
        out.sort(key=lambda row: row[1])
        out.extend((tn, self._tn_to_ui[tn], self._by_ui[self._tn_to_ui[tn]].name) for tn in self._sorted_tns)
        return out

    def write_tsv(self, path: str | Path) -> None:
        """Write in NLM's format so the file round-trips through from_tsv."""
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("Tree Number\tDesc Ui\tTerm\n")
            for row in self.rows():
                handle.write("\t".join(row) + "\n")

    # -- lookups ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_ui)

    def __iter__(self) -> Iterator[Descriptor]:
        return iter(self._by_ui.values())

    def __contains__(self, name_or_ui: object) -> bool:
        return isinstance(name_or_ui, str) and self.lookup(name_or_ui) is not None

    def lookup(self, name_or_ui: str) -> Descriptor | None:
        """A descriptor by UI (D055354) or by name, case-insensitively."""
        key = name_or_ui.strip()
        if _UI_RE.match(key):
            found = self._by_ui.get(key.upper())
            if found is not None:
                return found
        return self._by_name.get(key.casefold())

    def at(self, tree_number: str) -> Descriptor | None:
        """The descriptor at a tree number, e.g. "A11.284.295.588" -> Extracellular Vesicles."""
        ui = self._tn_to_ui.get(tree_number.strip())
        return self._by_ui[ui] if ui else None

    def tree_numbers(self, name_or_ui: str) -> tuple[str, ...]:
        descriptor = self.lookup(name_or_ui)
        return descriptor.tree_numbers if descriptor else ()

    def _beneath(self, tree_number: str) -> Iterator[str]:
        """Tree numbers strictly below one tree number, by a sorted range scan."""
        prefix = tree_number + "."
        start = bisect.bisect_left(self._sorted_tns, prefix)
        for tn in self._sorted_tns[start:]:
            if not tn.startswith(prefix):
                break
            yield tn

    def descendants(self, name_or_ui: str) -> set[str]:
        """UIs of the descriptor and everything beneath any of its tree numbers.

        This is PubMed's explosion of a [mh] search. Unknown names give an empty set.
        """
        descriptor = self.lookup(name_or_ui)
        if descriptor is None:
            return set()
        found = {descriptor.ui}
        for tree_number in descriptor.tree_numbers:
            found.update(self._tn_to_ui[tn] for tn in self._beneath(tree_number))
        return found

    def ancestors(self, name_or_ui: str) -> set[str]:
        """UIs of every descriptor on the path from a root to any of its positions."""
        descriptor = self.lookup(name_or_ui)
        if descriptor is None:
            return set()
        found: set[str] = set()
        for tree_number in descriptor.tree_numbers:
            parts = tree_number.split(".")
            for depth in range(1, len(parts)):
                ui = self._tn_to_ui.get(".".join(parts[:depth]))
                if ui:
                    found.add(ui)
        return found

    def subtree_rows(self, tree_number: str) -> list[Row]:
        """Rows at and beneath one tree number, in tree order."""
        numbers = [tree_number] if tree_number in self._tn_to_ui else []
        numbers.extend(self._beneath(tree_number))
        return [(tn, self._tn_to_ui[tn], self._by_ui[self._tn_to_ui[tn]].name) for tn in numbers]

    def search_names(self, text: str, limit: int | None = 20) -> list[Descriptor]:
        """Descriptors whose name contains text: exact match, then prefixes, then the rest.

        Within a rank shorter names come first, as a lookup box would show them.
        """
        needle = text.strip().casefold()
        if not needle:
            return []
        scored: list[tuple[int, int, str, Descriptor]] = []
        for key, descriptor in self._by_name.items():
            position = key.find(needle)
            if position < 0:
                continue
            rank = 0 if key == needle else 1 if position == 0 else 2
            scored.append((rank, len(key), key, descriptor))
        scored.sort(key=lambda item: item[:3])
        hits = [item[3] for item in scored]
        return hits if limit is None else hits[:limit]


def _parse_tsv_lines(lines: Iterable[str]) -> Iterator[Row]:
    for number, line in enumerate(lines):
        line = line.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            continue
        parts = line.split("\t")
        if number == 0 and tuple(p.strip().casefold() for p in parts[:3]) == _HEADER:
            continue
        if len(parts) < 3:
            raise ValueError(f"MeSH tree line {number + 1}: expected 3 tab-separated fields: {line!r}")
        yield parts[0], parts[1], parts[2]
