"""Titles and abstracts for clinical studies and reviews (preclinical ones are in writing.py)."""

from __future__ import annotations

from exoreview.demo.corpus.conditions import INDICATION_PHRASES, Condition
from exoreview.demo.corpus.dice import Dice
from exoreview.demo.corpus.writing import (
    EV_BACKGROUND,
    SOURCE_NAMES,
    Sections,
    Study,
    join,
    lower_first,
    methods_sentences,
    p_value,
)

_DESIGN_TITLES = {
    "case_report": "a case report",
    "case_series": "a case series",
    "nonrandomized_trial": "a prospective open-label trial",
    "rct": "a randomized, double-blind, controlled trial",
}
_REVIEW_TITLES = {
    "narrative_review": (
        "Exosomes in {topic}: a narrative review", "Extracellular vesicles for {topic}: sources, mechanisms and "
        "clinical prospects", "Exosome-based therapies in aesthetic dermatology, with a focus on {topic}",
        "{Topic} and exosomes: where do we stand?", "Extracellular vesicles in {topic}: from bench to clinic",
        "Exosomes for {topic}: promises and pitfalls", "The emerging role of exosomes in {topic}",
        "Exosomes and {topic}: an updated review", "Cell-free exosome therapy for {topic}: a critical review",
    ),
    "systematic_review": (
        "Exosome-based therapies for {topic}: a systematic review",
        "Efficacy and safety of extracellular vesicles in {topic}: a systematic review",
        "Exosomes for {topic}: a systematic review of preclinical and clinical reports",
    ),
    "meta_analysis": (
        "Efficacy of exosome-based treatments for {topic}: a systematic review and meta-analysis",
        "Extracellular vesicles for {topic}: a meta-analysis of controlled studies",
        "Exosome treatment in {topic}: systematic review and meta-analysis",
    ),
}
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth")  # index k: after session k + 2


def _safety_sentence(s: Study, d: Dice) -> str:
    fu = f"{s.follow_up} weeks of follow-up"
    if "serious_adverse_event" in s.safety:
        return (f"One serious adverse event ({s.serious}) occurred and was judged unrelated to treatment; "
                f"{s.events[0]} was also reported.")
    if "adverse_events_reported" in s.safety and "no_adverse_events" in s.safety:
        events = join(s.events)
        return (f"{events[0].upper()}{events[1:]} resolved within 48 hours; no serious adverse events occurred "
                f"during {fu}.")
    if "adverse_events_reported" in s.safety:
        return f"Adverse events were limited to {join(s.events)} during {fu}."
    return d.pick((f"No serious adverse events were observed during {fu}.",
                   f"Treatment was well tolerated, and no adverse events were reported during {fu}."))


def _design_title(s: Study, site: str) -> str:
    if s.design == "split_face":
        kind = "split-scalp" if site == "scalp" else "split-face" if site == "face" else "split-body"
        return f"a {kind} study"
    if s.design == "case_series":
        return f"a case series of {s.n} patients"
    return _DESIGN_TITLES[s.design]


def _clinical_title(s: Study, c: Condition, d: Dice, design_title: str) -> str:
    names = s.names
    route_title = " ".join(x.title for x in s.deliveries[:1] if x.title)
    src = lower_first(names[0])
    return d.pick((
        f"{route_title.capitalize() + ' ' if route_title else ''}{src} for {c.name}: {design_title}",
        f"Efficacy and safety of {src} in {c.name}: {design_title}",
        f"Treatment of {c.name} with {route_title + ' ' if route_title else ''}{src}: {design_title}",
        f"Clinical outcomes of {src} for {c.name}: {design_title}",
        f"{names[0]} in {c.name}: {design_title}",
    ))


def _design_methods(s: Study, c: Condition, d: Dice, design_title: str, sessions: int, interval: int) -> str:
    """The sentence that says who received what, worded per design."""
    short = s.names[2]
    route = join([x.clinical for x in s.deliveries])
    if s.design == "case_report":
        age = d.between(24, 68)
        return (f"We report a case of a {age}-year-old {s.sex} {c.case_phrase} who received {sessions} sessions "
                f"of {short} ({s.dose}), {route}, at {interval}-week intervals.")
    if s.design == "case_series":
        return (f"This case series describes {s.n} patients {c.case_phrase} who received {sessions} sessions of "
                f"{short} ({s.dose}), {route}, at {interval}-week intervals.")
    if s.design == "nonrandomized_trial":
        return (f"In this prospective, open-label, single-arm trial, {s.n} {c.population} received {sessions} "
                f"sessions of {short} ({s.dose}), {route}.")
    if s.design == "split_face":
        where = "scalp" if c.site == "scalp" else "face" if c.site == "face" else "body"
        return (f"In this {design_title[2:-6]} study, {s.n} {c.population} received {short} ({s.dose}), "
                f"{route}, on one side of the {where} and {c.comparator} on the other side.")
    control = "vehicle" if "vehicle" in c.comparator else "placebo" if c.comparator == "saline" else "active"
    return (f"In this randomized, double-blind, {control}-controlled trial, {s.n} {c.population} were "
            f"randomly assigned to {short} ({s.dose}), {route}, or {c.comparator} for {sessions * 4} weeks.")


def _clinical_outcome(s: Study, c: Condition, d: Dice, sessions: int) -> str:
    short = s.names[2]
    endpoint = c.endpoint[0].upper() + c.endpoint[1:]
    if s.design == "case_report":
        return {
            "improved": f"Marked improvement was seen after the {_ORDINALS[d.between(0, sessions - 2)]} session "
                        "and was maintained "
                        f"at {s.follow_up} weeks.",
            "no_change": f"No meaningful change was seen after {sessions} sessions.",
            "worsened": "The lesions worsened after the third session, and treatment was stopped.",
        }[s.outcome]
    if s.design in ("split_face", "rct"):
        arm = "on the treated side" if s.design == "split_face" else f"in the {short} group"
        other = "on the control side" if s.design == "split_face" else f"in the {c.comparator} group"
        between = "the treated and control sides" if s.design == "split_face" else "groups"
        return {
            "improved": f"{endpoint} improved more {arm} than {other} ({p_value(d, True)}).",
            "no_change": f"{endpoint} did not differ significantly between {between} ({p_value(d, False)}).",
            "worsened": f"{endpoint} was worse {arm} than {other} at week {s.follow_up}.",
        }[s.outcome]
    return {
        "improved": f"{endpoint} improved by {d.between(18, 64)}% from baseline ({p_value(d, True)}).",
        "no_change": f"{endpoint} did not change significantly from baseline ({p_value(d, False)}).",
        "worsened": f"{endpoint} worsened in {d.between(2, 4)} of {s.n} participants.",
    }[s.outcome]


def _clinical_conclusion(s: Study, c: Condition) -> str:
    short = s.names[2]
    if s.outcome == "improved":
        if s.hedged:
            return (f"{short} may be a safe option for {c.name}; larger controlled trials with longer follow-up "
                    "are needed.")
        return f"{short} improved {c.name} with a favourable safety profile."
    if s.outcome == "no_change":
        return (f"{short} did not provide a significant benefit in {c.name}, although larger studies "
                "may detect smaller effects.")
    who = "in this patient" if s.design == "case_report" else "in some participants"
    return f"{short} did not improve {c.name} and may have worsened it {who}."


def write_clinical(s: Study, d: Dice) -> tuple[str, Sections]:
    c = s.condition
    assert c is not None
    design_title = _design_title(s, c.site)
    title = _clinical_title(s, c, d, design_title)

    background = f"{d.pick(c.background)} {d.pick(EV_BACKGROUND)}"
    objective = f"To evaluate the efficacy and safety of {s.names[1]} in {c.name}."
    sessions = d.between(3, 6)
    interval = d.pick((2, 3, 4))
    methods = [_design_methods(s, c, d, design_title, sessions, interval)]
    methods[:0] = methods_sentences(s, d)
    methods.append(f"The primary outcome was {c.endpoint}; follow-up lasted {s.follow_up} weeks.")

    results = [_clinical_outcome(s, c, d, sessions)]
    if s.mechanisms:
        results.append(f"Skin biopsies showed that {s.names[2]} {join([d.pick(m.results) for m in s.mechanisms])}.")
    results.append(_safety_sentence(s, d))
    return title, [("BACKGROUND", background), ("OBJECTIVE", objective), ("METHODS", " ".join(methods)),
                   ("RESULTS", " ".join(results)), ("CONCLUSIONS", _clinical_conclusion(s, c))]


def write_review(s: Study, d: Dice) -> tuple[str, Sections]:
    indications = list(dict.fromkeys(c.indication for c in s.conditions))
    topic = join([INDICATION_PHRASES[i] for i in indications])
    title = d.pick(_REVIEW_TITLES[s.design]).format(topic=topic, Topic=topic[0].upper() + topic[1:])

    background = d.pick(EV_BACKGROUND)
    source_names = join([lower_first(SOURCE_NAMES[src.key][0][0]) for src in s.sources])
    body = [f"Vesicles from several origins have been tested, including {source_names}."]
    if s.isolation:
        body.append(f"Most studies isolated them by {join([m.phrases[0].split(' (')[0] for m in s.isolation])}, "
                    "with little standardization.")
    if s.mechanisms:
        body.append(f"Reported mechanisms include {join([m.title for m in s.mechanisms])}.")
    if s.characterization:
        body.append("Fewer than half of the studies reported nanoparticle tracking analysis together with "
                    "electron microscopy.")
    body.append("No exosome product has been approved by the US FDA for these uses.")
    conclusion = ("Exosome-based treatments may become useful in aesthetic dermatology, but standardized isolation, "
                  "characterization and long-term safety data are still lacking.")
    if s.design == "narrative_review":
        objective = f"This review summarizes preclinical and clinical evidence on exosomes for {topic} in aesthetic " \
                    "dermatology."
        return title, [("BACKGROUND", background), ("OBJECTIVE", objective), ("RESULTS", " ".join(body)),
                       ("CONCLUSIONS", conclusion)]
    year = d.between(2019, 2024)
    methods = (f"Following PRISMA guidance, we systematically searched PubMed, Embase and Web of Science to "
               f"{d.pick(('March', 'June', 'October'))} {year} for studies of exosomes in {topic}.")
    k = d.between(12, 58)
    k2 = d.between(3, max(3, k // 4))
    results = [f"{k} studies met the inclusion criteria: {k - k2} preclinical and {k2} clinical reports."]
    if s.design == "meta_analysis":
        methods += " Outcomes were pooled with a random-effects meta-analysis."
        lo = d.between(15, 45) / 100
        results.append(f"Pooled clinical data favoured exosome treatment (standardized mean difference "
                       f"{lo + 0.35:.2f}, 95% CI {lo:.2f} to {lo + 0.7:.2f}; I² = {d.between(30, 85)}%).")
    results.extend(body)
    return title, [("BACKGROUND", background), ("METHODS", methods), ("RESULTS", " ".join(results)),
                   ("CONCLUSIONS", conclusion)]
