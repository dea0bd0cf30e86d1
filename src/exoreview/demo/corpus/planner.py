"""Deciding what one relevant synthetic study is: design, condition, source, methods, findings.

Choices are weighted draws from the vocabulary, restricted to combinations that
make sense (a split-scalp trial treats hair, an intravenous route is for
inflammatory-disease mice). A `Cover` makes the first clean relevant records of
every stream walk through every taxonomy class, so even a few hundred records
contain each class at least once, whatever the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from exoreview.demo.corpus import vocabulary as v
from exoreview.demo.corpus.conditions import CONDITIONS, Condition
from exoreview.demo.corpus.dice import Dice, Weighted
from exoreview.demo.corpus.writing import SOURCE_NAMES, Study

T = TypeVar("T")


def _key(item: object) -> str:
    return str(getattr(item, "key", item))


class Cover:
    """Per dimension, the classes not yet used; `take` prefers them while any remain."""

    __slots__ = ("pending",)

    def __init__(self, dimensions: dict[str, Sequence[str]]) -> None:
        self.pending = {dim: list(values) for dim, values in dimensions.items()}

    def take(self, dim: str, candidates: Sequence[T]) -> T | None:
        pending = self.pending[dim]
        if not pending:
            return None
        for item in candidates:
            k = _key(item)
            if k in pending:
                pending.remove(k)
                return item
        return None

    def missing(self) -> dict[str, list[str]]:
        return {dim: list(values) for dim, values in self.pending.items() if values}


SAFETY_KINDS = ("none", "mild_and_none", "events", "serious")
_SAFETY_WEIGHTS = (0.5, 0.3, 0.15, 0.05)
_ANIMAL_ROUTES = {"wound_healing": ("hydrogel_scaffold",), "scars": ("hydrogel_scaffold",),
                  "hair_loss": ("microneedling",), "inflammatory_skin": ("intravenous",)}
_DOSES = {"in_vitro": v.DOSES_IN_VITRO, "ex_vivo": v.DOSES_IN_VITRO, "animal": v.DOSES_ANIMAL}
_N = {"case_report": (1, 1), "case_series": (5, 24), "nonrandomized_trial": (12, 60), "split_face": (10, 40),
      "rct": (30, 120)}


def new_cover() -> Cover:
    return Cover({
        "design": list(v.DESIGN_WEIGHTS), "condition": [c.key for c in CONDITIONS],
        "ev_source": [s.key for s in v.SOURCES], "plant": ["0", "1", "2"],
        "isolation": [m.key for m in v.ISOLATION], "characterization": [m.key for m in v.CHARACTERIZATION],
        "positive_marker": list(v.POSITIVE_MARKERS), "negative_marker": list(v.NEGATIVE_MARKERS),
        "species": list(v.SPECIES), "delivery": [x.key for x in v.DELIVERY],
        "mechanism": [m.key for m in v.MECHANISMS], "outcome": ["improved", "no_change", "worsened"],
        "safety": list(SAFETY_KINDS),
    })


def _compatible_conditions(design: str) -> list[Condition]:
    if design == "split_face":
        return [c for c in CONDITIONS if c.key != "diabetic_wounds"]
    return list(CONDITIONS)


_DESIGNS = Weighted(list(v.DESIGN_WEIGHTS), list(v.DESIGN_WEIGHTS.values()))
_CONDITIONS = {d: Weighted(cs, [c.weight for c in cs]) for d in v.DESIGN_WEIGHTS
               for cs in [_compatible_conditions(d)]}
_SOURCES = {i: Weighted(ss, [s.weight for s in ss]) for i in {c.indication for c in CONDITIONS}
            for ss in [[s for s in v.SOURCES if not s.only_for or i in s.only_for]]}
_ISOLATION = Weighted(v.ISOLATION, [m.weight for m in v.ISOLATION])
_CHARACTERIZATION = Weighted(v.CHARACTERIZATION, [m.weight for m in v.CHARACTERIZATION])
_SAFETY = Weighted(SAFETY_KINDS, _SAFETY_WEIGHTS)


class Planner:
    """Draws `Study` objects from one `Dice`; `cover` is consulted only for clean records."""

    def __init__(self, dice: Dice) -> None:
        self.d = dice
        self.cover = new_cover()

    def _one(self, dim: str, candidates: Sequence[T], draw: Callable[[], T], use_cover: bool) -> T:
        if use_cover:
            taken = self.cover.take(dim, candidates)
            if taken is not None:
                return taken
        return draw()

    def _some(self, dim: str, pool: Sequence[T], k: int, use_cover: bool) -> list[T]:
        """k distinct items of pool, the first one preferring uncovered classes."""
        d = self.d
        first = self._one(dim, pool, lambda: d.pick(pool), use_cover)
        rest = [x for x in pool if x is not first]
        return [first, *d.sample(rest, k - 1)] if k > 1 else [first]

    def plan(self, use_cover: bool) -> Study:
        d, s = self.d, Study()
        s.design = self._one("design", list(v.DESIGN_WEIGHTS), lambda: _DESIGNS.draw(d), use_cover)
        s.hedged = d.chance(0.4)
        if s.design in v.REVIEWS:
            self._plan_review(s, use_cover)
            return s
        table = _CONDITIONS[s.design]
        s.condition = c = self._one("condition", table.items, lambda: table.draw(d), use_cover)
        sources = _SOURCES[c.indication]
        s.source = self._one("ev_source", sources.items, lambda: sources.draw(d), use_cover)
        variants = SOURCE_NAMES[s.source.key]
        if s.source.key == "plant":
            s.plant = int(self._one("plant", ["0", "1", "2"], lambda: str(d.between(0, 2)), use_cover))
            s.names = variants[s.plant]
        else:
            s.names = d.pick(variants)
        clinical = s.design in v.CLINICAL
        self._plan_methods(s, use_cover, 0.4 if clinical else 0.9, 0.3 if clinical else 0.85)
        if clinical:
            self._plan_clinical(s, c, use_cover)
        else:
            self._plan_preclinical(s, c, use_cover)
        return s

    def _plan_methods(self, s: Study, use_cover: bool, p_isolation: float, p_characterized: float) -> None:
        d = self.d
        if d.chance(p_isolation):
            s.isolation = [self._one("isolation", v.ISOLATION, lambda: _ISOLATION.draw(d), use_cover)]
            if d.chance(0.15):
                extra = d.pick((v.ISOLATION[4], v.ISOLATION[2]))  # ultrafiltration or SEC as a second step
                if extra is not s.isolation[0]:
                    s.isolation.append(extra)
        if not d.chance(p_characterized):
            return
        first = self._one("characterization", v.CHARACTERIZATION, lambda: _CHARACTERIZATION.draw(d), use_cover)
        s.characterization = [first, *[m for m in d.sample(v.CHARACTERIZATION, d.between(0, 2)) if m is not first]]
        if d.chance(0.75):
            s.markers_pos = self._some("positive_marker", v.POSITIVE_MARKERS, d.between(2, 4), use_cover)
            if d.chance(0.6):
                s.markers_neg = self._some("negative_marker", v.NEGATIVE_MARKERS, 1, use_cover)
            s.western = True
        s.protein = d.chance(0.5)
        s.ratio = s.protein and d.chance(0.35)

    def _mechanisms(self, s: Study, c: Condition, k: int, use_cover: bool) -> None:
        pool = [v.MECHANISM_BY_KEY[m] for m in c.mechanisms]
        s.mechanisms = self._some("mechanism", pool, min(k, len(pool)), use_cover) if k else []

    def _plan_preclinical(self, s: Study, c: Condition, use_cover: bool) -> None:
        d = self.d
        s.dose = d.pick(_DOSES[s.design])
        s.outcome = self._one("outcome", ["improved", "no_change"],
                              lambda: "improved" if d.chance(0.88) else "no_change", use_cover)
        self._mechanisms(s, c, d.between(1, 3) if s.outcome == "improved" else d.between(0, 1), use_cover)
        if s.design == "animal":
            s.species = self._one("species", list(c.models), lambda: d.pick(list(c.models)), use_cover)
            s.model = c.models[s.species]
            routes = [v.DELIVERY_BY_KEY[k] for k in ("topical", "intradermal_injection", "subcutaneous",
                                                     *_ANIMAL_ROUTES.get(c.indication, ()))]
            s.deliveries = [self._one("delivery", routes, lambda: d.pick(routes), use_cover)]
            s.with_in_vitro = d.chance(0.4)
            if d.chance(0.3):
                s.safety = ["no_adverse_events"]
        used = {m.key for m in s.mechanisms}
        if d.chance(0.2):
            s.mechanism_negated = v.MECHANISM_BY_KEY[d.pick([k for k in v.NEGATABLE if k not in used])]
            used.add(s.mechanism_negated.key)
        if s.hedged and s.outcome == "improved" and d.chance(0.5):
            left = [k for k in c.mechanisms if k not in used]
            if left:
                s.mechanism_hedged = v.MECHANISM_BY_KEY[d.pick(left)]

    def _plan_clinical(self, s: Study, c: Condition, use_cover: bool) -> None:
        d = self.d
        s.dose = d.pick(v.DOSES_CLINICAL)
        routes = [v.DELIVERY_BY_KEY[k] for k in c.deliveries]
        s.deliveries = [self._one("delivery", routes, lambda: d.pick(routes), use_cover)]
        s.outcome = self._one("outcome", ["improved", "no_change", "worsened"], lambda: d.pick(
            ("improved",) * 15 + ("no_change",) * 4 + ("worsened",)), use_cover)
        self._mechanisms(s, c, 1 if d.chance(0.3) else 0, use_cover)
        lo, hi = _N[s.design]
        s.n = d.between(lo, hi)
        pop = c.population
        s.sex = "woman" if pop.startswith("women") else "man" if pop.startswith("men") else d.pick(("woman", "man"))
        s.follow_up = d.pick(v.FOLLOW_UP_WEEKS)
        kind = self._one("safety", SAFETY_KINDS, lambda: _SAFETY.draw(d), use_cover)
        if kind == "none":
            s.safety = ["no_adverse_events"]
        elif kind == "mild_and_none":
            s.safety = ["adverse_events_reported", "no_adverse_events"]
        elif kind == "events":
            s.safety = ["adverse_events_reported"]
        else:
            s.safety = ["adverse_events_reported", "serious_adverse_event"]
            s.serious = d.pick(v.SERIOUS_EVENTS)
        if kind != "none":
            s.events = d.sample(v.ADVERSE_EVENTS, d.between(1, 2))

    def _plan_review(self, s: Study, use_cover: bool) -> None:
        d = self.d
        k = d.between(1, 3)
        conditions: list[Condition] = []
        while len(conditions) < k:
            c = _CONDITIONS["narrative_review"].draw(d)
            if all(c.indication != x.indication for x in conditions):
                conditions.append(c)
        s.conditions = conditions
        indications = {c.indication for c in conditions}
        pool = [x for x in v.SOURCES if not x.only_for or indications.intersection(x.only_for)]
        s.sources = d.sample(pool, d.between(2, 4))
        if d.chance(0.6):
            s.isolation = d.sample(v.ISOLATION, d.between(1, 2))
        mechanisms = list(dict.fromkeys(m for c in conditions for m in c.mechanisms))
        s.mechanisms = [v.MECHANISM_BY_KEY[m] for m in d.sample(mechanisms, d.between(1, 3))]
        if d.chance(0.25):
            s.characterization = [v.CHARACTERIZATION[0], v.CHARACTERIZATION[3]]  # NTA with electron microscopy
        s.hedged = True
