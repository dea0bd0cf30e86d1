"""Titles and structured abstracts for synthetic studies, composed from our own templates.

A `Study` holds what was decided about one record (design, condition, source,
methods, findings); the writer turns it into a title and abstract sections whose
wording expresses those decisions and nothing more, so the ground truth built from
the same `Study` is what a perfect classifier would read off the text.
"""

from __future__ import annotations

from exoreview.demo.corpus.conditions import Condition
from exoreview.demo.corpus.dice import Dice
from exoreview.demo.corpus.vocabulary import PLANTS, SOURCES, Delivery, Mechanism, Method, Source

Sections = list[tuple[str, str]]  # (NLM category, text)


class Study:
    """The decisions behind one relevant record; filled by the planner, read by the writer."""

    __slots__ = (
        "characterization", "condition", "conditions", "deliveries", "design", "dose", "events", "follow_up",
        "hedged", "isolation", "markers_neg", "markers_pos", "mechanism_hedged", "mechanism_negated",
        "mechanisms", "model", "n", "names", "outcome", "plant", "protein", "ratio", "safety", "serious",
        "sex", "source", "sources", "species", "western", "with_in_vitro",
    )

    def __init__(self) -> None:
        self.characterization: list[Method] = []
        self.condition: Condition | None = None
        self.conditions: list[Condition] = []  # reviews cover several
        self.deliveries: list[Delivery] = []
        self.design = ""
        self.dose = ""
        self.events: list[str] = []
        self.follow_up = 0
        self.hedged = False
        self.isolation: list[Method] = []
        self.markers_neg: list[str] = []
        self.markers_pos: list[str] = []
        self.mechanism_hedged: Mechanism | None = None
        self.mechanism_negated: Mechanism | None = None
        self.mechanisms: list[Mechanism] = []
        self.model = ""
        self.n = 0
        self.names: SourceNames = ("", "", "", "", "")
        self.outcome = "improved"
        self.plant = -1
        self.protein = False
        self.ratio = False
        self.safety: list[str] = []
        self.serious = ""
        self.sex = ""
        self.source: Source | None = None
        self.sources: list[Source] = []  # reviews name several
        self.species = ""
        self.western = False
        self.with_in_vitro = False


SourceNames = tuple[str, str, str, str, str]  # title, long, short, origin, noun


def _names(source: Source) -> list[SourceNames]:
    if source.key == "plant":
        return [
            (source.titles[i], source.long.format(plant=plant, abbr=abbr), source.short.format(abbr=abbr),
             source.origin.format(plant=plant), source.noun)
            for i, (plant, abbr, _) in enumerate(PLANTS)
        ]
    return [(title, source.long, source.short, source.origin, source.noun) for title in source.titles]


# Precomputed once: per source, its name variants (plants: one per species, in PLANTS order).
SOURCE_NAMES: dict[str, list[SourceNames]] = {s.key: _names(s) for s in SOURCES}

EV_BACKGROUND = (
    "Exosomes are nanosized extracellular vesicles that carry proteins, lipids and nucleic acids between cells.",
    "Extracellular vesicles (EVs), including exosomes, mediate much of the paracrine activity of their parent cells.",
    "Treatments based on exosomes are attracting interest because they avoid several risks of transplanting "
    "living cells.",
    "Extracellular vesicles can be stored, dosed and applied more easily than the cells that release them.",
)
_VERBS_PRESENT = {"reduce": ("attenuate", "alleviate", "suppress"), "promote": ("promote", "enhance", "support")}
_VERB_BASE = {"reduce": "attenuate", "promote": "promote"}
_SPECIES_WORDS = {"mouse": ("mice", "murine"), "rat": ("rats", "rat"), "pig": ("minipigs", "porcine")}


def lower_first(text: str) -> str:
    """Lower-case an initial capital unless it starts an acronym or a proper name (ADSC, Lactobacillus)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not text.startswith(("Wharton", "Lacto")):
        return text[0].lower() + text[1:]
    return text


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def p_value(d: Dice, significant: bool) -> str:
    return d.pick(("P < 0.001", "P < 0.01", "P = 0.003", "P = 0.02")) if significant else f"P = 0.{d.between(12, 87)}"


def methods_sentences(s: Study, d: Dice) -> list[str]:
    """Isolation and characterization, worded per the MISEV items the study reported."""
    out = []
    noun = s.names[4]
    if s.isolation:
        phrases = [d.pick(m.phrases) for m in s.isolation]
        out.append(f"{noun} were isolated from {s.names[3]} by {' followed by '.join(phrases)}.")
    parts = []
    if s.characterization:
        subject = "They" if s.isolation else noun
        parts.append(f"{subject} were characterized by " + join([d.pick(m.phrases) for m in s.characterization]))
    if s.markers_pos:
        marker_text = f"western blotting detected {join(s.markers_pos)}"
        if s.markers_neg:
            marker_text += f" and the absence of {join(s.markers_neg)}"
        parts.append(marker_text)
    if parts:
        text = "; ".join(parts) + "."
        out.append(text[0].upper() + text[1:])
    if s.protein:
        ratio = f", giving {d.between(2, 9)}.{d.between(0, 9)} × 10^9 particles per µg protein" if s.ratio else ""
        out.append(f"Protein content was measured with a BCA assay{ratio}.")
    return out


def _mechanism_text(s: Study, d: Dice) -> str:
    fibrotic = s.condition is not None and s.condition.fibrotic
    preds = [d.pick(m.fibrotic if fibrotic and m.fibrotic else m.results) for m in s.mechanisms]
    return join(preds)


def _preclinical_title(s: Study, c: Condition, d: Dice) -> str:
    names, pol = s.names, c.polarity
    if s.design == "in_vitro":
        suffix = d.pick((" in vitro", " in cultured skin cells", ""))
    elif s.design == "ex_vivo":
        suffix = d.pick((" ex vivo", " in an ex vivo human tissue model"))
    else:
        plural, adj = _SPECIES_WORDS[s.species]
        suffix = d.pick((f" in {plural}", f" in a {adj} model"))
    if s.outcome == "improved" and d.chance(0.75):
        via = f" via {s.mechanisms[0].title}" if s.mechanisms and d.chance(0.5) else ""
        return f"{names[0]} {d.pick(_VERBS_PRESENT[pol])} {c.target}{via}{suffix}"
    return f"Effects of {lower_first(names[0])} on {c.target}{suffix}"


def _preclinical_methods(s: Study, c: Condition, d: Dice) -> list[str]:
    short = s.names[2]
    methods = methods_sentences(s, d)
    if s.design == "in_vitro":
        methods.append(f"{c.cells[0].upper()}{c.cells[1:]} were treated with {short} ({s.dose}) for "
                       f"{d.pick((24, 48, 72))} hours in vitro, and gene and protein expression was measured.")
    elif s.design == "ex_vivo":
        methods.append(f"{c.explant[0].upper()}{c.explant[1:]} were maintained ex vivo in explant culture with "
                       f"{short} ({s.dose}) for {d.between(3, 10)} days.")
    else:
        route = s.deliveries[0].animal if s.deliveries else "injected intradermally"
        methods.append(f"{c.models[s.species][0].upper()}{c.models[s.species][1:]} were treated with {short} "
                       f"({s.dose}), {route}, every {d.between(2, 4)} days for {d.between(2, 6)} weeks; "
                       "controls received phosphate-buffered saline.")
        if s.with_in_vitro:
            methods.append(f"In vitro, {c.cells} were exposed to the same vesicles.")
    return methods


def _preclinical_results(s: Study, c: Condition, d: Dice) -> list[str]:
    short = s.names[2]
    results = []
    if s.mechanisms:
        results.append(f"{short} {_mechanism_text(s, d)}.")
    if s.design != "in_vitro":
        verb = {"improved": "improved", "no_change": "did not significantly change", "worsened": "worsened"}
        results.append(f"Compared with controls, {short} {verb[s.outcome]} {c.readout} "
                       f"({p_value(d, s.outcome != 'no_change')}).")
    elif s.outcome == "no_change":
        results.append(f"Cell viability and marker expression did not differ from controls "
                       f"({p_value(d, False)}).")
    else:
        results.append(f"These effects were dose-dependent ({p_value(d, True)}).")
    if s.mechanism_negated is not None:
        results.append(f"{short} did not alter {s.mechanism_negated.negated}.")
    if s.safety:
        results.append("No systemic toxicity or local irritation was observed.")
    return results


def _preclinical_conclusion(s: Study, c: Condition) -> str:
    short, pol = s.names[2], c.polarity
    if s.outcome == "no_change":
        return (f"Under the conditions tested, {short} did not {_VERB_BASE[pol]} {c.target}; "
                "dose and delivery may need optimization.")
    if s.hedged:
        why = f", possibly through {s.mechanism_hedged.title}," if s.mechanism_hedged else ""
        return (f"{short} may {_VERB_BASE[pol]} {c.target}{why} but clinical trials are needed "
                f"before use in {c.name}.")
    how = f" through {s.mechanisms[0].title}" if s.mechanisms else ""
    return f"{short} {_VERBS_PRESENT[pol][0]} {c.target}{how}, supporting their development for {c.name}."


def write_preclinical(s: Study, d: Dice) -> tuple[str, Sections]:
    c = s.condition
    assert c is not None
    title = _preclinical_title(s, c, d)
    background = [d.pick(c.background), d.pick(EV_BACKGROUND)]
    objective = f"We investigated whether {s.names[1]} {_VERB_BASE[c.polarity]} {c.target}."
    methods = _preclinical_methods(s, c, d)
    results = _preclinical_results(s, c, d)
    conclusion = _preclinical_conclusion(s, c)
    return title, [("BACKGROUND", " ".join(background)), ("OBJECTIVE", objective),
                   ("METHODS", " ".join(methods)), ("RESULTS", " ".join(results)), ("CONCLUSIONS", conclusion)]
