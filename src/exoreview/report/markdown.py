"""The report as Markdown: the same content as the HTML, for diffs, wikis and plain-text readers.

The flow is written from the same rows as the SVG figure (`flow_rows`), so the two can never
state different numbers.
"""

from __future__ import annotations

import re

from exoreview import __version__
from exoreview.report.html import RATING_MARKS, STAGE_NAMES, SYNTHETIC_NOTICE, doi_url, pmid_url
from exoreview.report.notes import counted_only_note, evidence_note, references_note
from exoreview.report.prisma_svg import NBSP, flow_rows
from exoreview.report.renderers import FIGURES_DIR, Renderer
from exoreview.synthesis.appraisal import NOT_APPLIES, NOT_REPORTED, REPORTED, Appraisal, StudyAppraisal
from exoreview.synthesis.build import IndicationSection, Synthesis
from exoreview.synthesis.tables import LabelCell, Layout, Study, excerpt

EXCERPT = 240  # characters of an appraisal item's sentence shown in a table cell
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Text with Markdown's markup characters escaped and line breaks folded, safe in a table cell."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def marked(sentence: str, match: str) -> str:
    """The sentence escaped, with the words that produced a label or rating in bold (their first occurrence)."""
    text, words = " ".join(sentence.split()), " ".join(match.split())
    position = text.find(words) if words else -1
    if position < 0 and words:
        position = text.lower().find(words.lower())
    if position < 0:
        return md(text)
    end = position + len(words)

    def escaped(part: str) -> str:  # md() would trim the spaces around the bold words
        return _SPECIAL.sub(r"\\\1", part)

    return f"{escaped(text[:position])}**{escaped(text[position:end])}**{escaped(text[end:])}"


def code(text: str, *, in_table: bool = False) -> str:
    """A code span; GFM tables need their pipes escaped even inside code."""
    text = " ".join(text.split())
    if in_table:
        text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def render_markdown(s: Synthesis, figures_dir: str = "figures") -> str:
    """The report as Markdown; figures are referenced as files in `figures_dir` (written by `write_report`)."""
    out = _front_matter(s) + _methods(s)
    out += ["", "## Flow of records (PRISMA 2020)", ""]
    out += [f"![PRISMA 2020 flow diagram]({figures_dir}/prisma.png)", ""]
    out += _flow(s)
    out += _glance(s, figures_dir)
    out += ["", f"## Included studies by {md(s.layout.group_noun)}", "", md(s.overview)
            + " Export: `included-studies.ris`, `included-studies.bib` (beside this file).", ""]
    for section in s.sections:
        out += _section(section, s.layout, len(s.in_full))
    out += _challenges_and_trials(s)
    out += ["## Supporting sentences", ""]
    if s.counted_only:
        out += [md(evidence_note(s)), ""]
    for study in s.in_full:
        out += _evidence(study, s.appraisal, s.layout.facet_names)
    out += _references(s) + _search_log(s)
    out += ["", f"Written by exoreview {__version__} from the review store; the same store gives the same report.", ""]
    return "\n".join(out)


def _front_matter(s: Synthesis) -> list[str]:
    out: list[str] = []
    if s.synthetic:
        out += [f"> **Synthetic data: not evidence.** {md(SYNTHETIC_NOTICE)}", ""]
    out += [f"# {md(s.title)}", ""]
    if s.subtitle:
        out += [f"*{md(s.subtitle)}*", ""]
    built = (f"Built from the review store as it stood when its last run finished, {s.generated_at}."
             if s.generated_at else "No run of this review has finished yet.")
    out += [f"Protocol {md(s.protocol_name)}, version {md(s.protocol_version)} (SHA-256 `{s.protocol_hash[:12]}`); "
            f"taxonomy version {md(s.taxonomy_version)}. {built}", ""]
    return [*out, "## Review question", "", md(s.question), ""]


def _methods(s: Synthesis) -> list[str]:
    out = ["## Methods", ""]
    for paragraph in s.methods:
        out += [md(paragraph), ""]
    out += ["Queries as sent:", ""]
    out += [f"- {md(source)}: {code(query)}" for source, query in s.queries]
    out += ["", "Criteria:", ""]
    for c in s.criteria:
        kind = "inclusion" if c.kind == "include" else f"exclusion, {STAGE_NAMES.get(c.stage, c.stage)}"
        kind += ", counted as not retrieved" if c.counts_as == "not_retrieved" else ""
        out.append(f"- **{md(c.id)}** ({kind}): {md(c.text)}")
    return out


def _references(s: Synthesis) -> list[str]:
    out = ["## References", ""]
    if s.counted_only:
        out += [md(references_note(s)), ""]
    if any(r.synthetic for r in s.references):
        out += ["Identifiers of synthetic records are invented; they are shown as text, not linked.", ""]
    for r in s.references:
        tail = ""
        if r.doi:
            tail += f" doi:{md(r.doi)}." if r.synthetic else f" doi:[{md(r.doi)}]({doi_url(r.doi)})."
        if r.pmid:
            tail += f" PMID: {md(r.pmid)}." if r.synthetic else f" PMID: [{md(r.pmid)}]({pmid_url(r.pmid)})."
        out.append(f'{r.number}. <a id="ref-{r.number}"></a>{md(r.body)}{tail}')
    return out


def _search_log(s: Synthesis) -> list[str]:
    out = ["", "## Appendix: search log (PRISMA-S)", ""]
    out += _table(["#", "Run", "Source", "Date searched", "Query as sent", "Translation reported", "Filters",
                   "Service", "Found", "Stored", "Status"],
                  [[str(r.number), str(r.run_id), md(r.source_label), md(r.executed_at),
                    code(r.query, in_table=True), code(r.translation, in_table=True) if r.translation else "—",
                    md(r.filters) or "—", md(r.base_url) or "—", "unknown" if r.count is None else str(r.count),
                    str(r.retrieved), md(r.status)]
                   for r in s.searches])
    if not s.searches:
        out.append("No search has been logged yet.")
    return out


def _flow(s: Synthesis) -> list[str]:
    out: list[str] = []
    phase = ""
    for row in flow_rows(s.flow):
        if row.phase != phase:
            phase = row.phase
            out += ([""] if out else []) + [f"**{phase}**", ""]
        for side, box in (("", row.left), ("→ ", row.right)):
            if box is None:
                continue
            for k, line in enumerate(box.lines):
                depth = 0 if k == 0 else 1 + line.indent
                text = line.text.replace(NBSP, " ")
                out.append("  " * depth + f"- {side if k == 0 else ''}{md(text)}")
    return out


def _glance(s: Synthesis, figures_dir: str) -> list[str]:
    rows, columns = s.layout.map_rows_noun, s.layout.map_columns_noun
    out = ["", "## Evidence at a glance", "",
           f"![Evidence map: {md(rows)} by {md(columns)}]({figures_dir}/evidence-map.png)", "",
           f"Evidence map: included studies per {md(rows)} and {md(columns)}, shaded by the strongest design.", ""]
    m = s.evidence_map
    if m and m.rows and m.columns:
        rows = [[md(r.label)] + [(str(m.cell(r.value, c.value).n) + f" (L{m.cell(r.value, c.value).best_level})"
                                  if m.cell(r.value, c.value).best_level else str(m.cell(r.value, c.value).n))
                                 if m.cell(r.value, c.value).n else "" for c in m.columns] for r in m.rows]
        row_heading = s.layout.facet_names.get(s.layout.map_rows, s.layout.map_rows)
        out += [*_table([md(row_heading)] + [md(c.label) for c in m.columns], rows), ""]
    out += [f"![Study design by year]({figures_dir}/design-by-year.png)", "",
            f"![{md(s.layout.methods_title)}]({figures_dir}/methods.png)", ""]
    for _, heading, found in s.method_groups:
        out.append(f"- **{md(heading)}**: " + ("; ".join(f"{md(g.label)} ({g.n})" for g in found) or "none named"))
    if not s.layout.appraisal:
        return out  # a review of other treatments: EV reporting (MISEV) does not apply
    out += ["", f"![Reporting score distribution]({figures_dir}/misev.png)", ""]
    if s.appraisal:
        a = s.appraisal
        dist = "; ".join(f"{k}: {len(ids)}" for k, ids in a.distribution())
        out.append(f"Reporting score under {md(a.instrument)} (items reported, of up to "
                   f"{a.maximum}), studies per number of items reported: {dist}."
                   + (f" The checklist does not apply to {len(a.not_appraised())} included studies (reviews, or "
                      "studies that name no vesicles)." if a.not_appraised() else ""))
        out += ["", "Each reporting item: the studies reporting it, of the studies it applies to. The items are "
                "exoreview's own wording of what MISEV and EV-METRIC ask; each study's rating item by item is under "
                "Supporting sentences.", ""]
        out += _table(["Item", "What it asks", "Reported", "Applies to", "Share", "Not applicable"],
                      [[f'<a id="{i.anchor}"></a>**{md(i.name)}** `{i.id}`', md(i.text) or "—",
                        str(len(a.with_status(i.id, REPORTED))), str(len(a.with_status(i.id, REPORTED, NOT_REPORTED))),
                        a.share(i.id), str(len(a.with_status(i.id, NOT_APPLIES)))] for i in a.item_info])
    else:
        out.append("No included study has been appraised for reporting quality (MISEV) yet.")
    return out


def _challenges_and_trials(s: Synthesis) -> list[str]:
    out = ["## Challenges, counted", ""]
    out += [f"- **{md(c.title)}** ({c.share}): {md(c.text)}" for c in s.challenges] or ["No study included yet."]
    out += ["", "## Clinical trials and regulatory status", "", "### Registered trials", ""]
    if s.trials:
        out += _table(["Registry id", "Title", "Status", "Phase", "Conditions", "Enrollment", "Start", "In review"],
                      [[md(t.nct_id) or "—", md(t.title), md(t.status) or "—", md(t.phase) or "—",
                        md(t.conditions) or "—", md(t.enrollment) or "—", md(t.start) or "—",
                        "included" if t.included else "not included"] for t in s.trials])
    elif s.trial_sources:
        out.append("The protocol searches a trial registry, but no trial record is in the store yet.")
    else:
        out.append("This review's protocol does not search a trial registry (ClinicalTrials.gov), so no registered "
                   "trial is listed.")
    for table in s.facts:
        out += ["", f"### {md(table.title)} (as of {table.as_of})", "",
                f"{md(table.scope)} Facts as entered in the protocol pack's table `{table.name}`, each with its "
                "source; they are not computed from the store.", ""]
        out += _table(["Jurisdiction", "Authority", "Statement", "Source (date)", "Checked"],
                      [[md(f.jurisdiction), md(f.authority), md(f.statement), f"[{md(f.source)}]({f.url}) ({f.date})",
                        f.checked or "—"] for f in table.entries])
    return [*out, ""]


def _cell(c: LabelCell, study: Study) -> str:
    text = f"[{md(c.text)}](#{c.anchor})" + ("?" if c.hedged else "")
    return text + (f" (level {study.level})" if c.facet == "design" and study.level else "")


def _section(section: IndicationSection, layout: Layout, limit: int = 0) -> list[str]:
    noun = "study" if section.n == 1 else "studies"
    out = [f'### <a id="{section.anchor}"></a>{md(section.label)} ({section.n} {noun})', "", md(section.summary), ""]
    for name, facet, tallies in section.lines:
        if tallies and facet != "outcome":  # the summary above already counts the outcomes
            out.append(f"- **{name}**: " + "; ".join(f"{md(t.label)} ({t.n})" for t in tallies))
    out += [""] if out[-1] else []
    rows = []
    for study in section.in_full:
        cells = [f"[\\[{study.ref}\\]](#ref-{study.ref})", f"[{md(study.citation)}](#{study.anchor})"]
        cells += ["<br>".join(_cell(c, study) for c in study.cells(facets)) or "—" for _, facets in layout.columns]
        if layout.appraisal:
            cells.append(f"[{study.misev_text}](#{study.appraisal.anchor})" if study.appraisal else study.misev_text)
        rows.append(cells)
    misev = ["MISEV score"] if layout.appraisal else []
    out += _table(["Ref.", "Study"] + [heading for heading, _ in layout.columns] + misev, rows)
    hidden = section.n - len(section.in_full)
    if hidden:
        out += ["", md(counted_only_note(hidden, limit))]
    return [*out, ""]


def _evidence(study: Study, appraisal: Appraisal | None = None, names: dict[str, str] | None = None) -> list[str]:
    names = names or {}
    out = [f'### <a id="{study.anchor}"></a>\\[{study.ref}\\] {md(study.citation)}', "", f"*{md(study.title)}*", ""]
    for c in study.labels:
        tentative = " (stated tentatively)" if c.hedged else ""
        out.append(f'- <a id="{c.anchor}"></a>**{md(names.get(c.facet, c.facet))}**: {md(c.text)}{tentative}'
                   f" — “{marked(c.sentence, c.match)}” ({md(c.field_name)}; {md(c.method)})")
    if not study.labels:
        out.append("- No label was found for this study.")
    if study.appraisal is not None and appraisal is not None:
        out += ["", *_study_appraisal(study.appraisal, appraisal.instrument)]
    return [*out, ""]


def _study_appraisal(a: StudyAppraisal, instrument: str) -> list[str]:
    """A study's EV reporting item by item: a table of item, rating and the sentence (cut to a readable length)."""
    if not a.appraised:
        reason = md(a.note) or "the checklist does not apply to this study"
        return [f'<a id="{a.anchor}"></a>EV reporting ({md(instrument)}): not appraised, {reason}.']
    out = [f'<a id="{a.anchor}"></a>**EV reporting ({md(instrument)}): {a.met} of {a.applicable} applicable items '
           "reported**", ""]
    rows = []
    for r in a.ratings:
        if r.status == "reported" and r.sentence:
            quote = marked(excerpt(r.sentence, r.match, EXCERPT), r.match)
            evidence = f"“{quote}” ({md(r.field_name)}; {md(r.method)})"
        elif r.status == "not_applicable":
            evidence = md(r.detail) or "does not apply"
        else:
            evidence = "—"
        rows.append([f"[{md(r.item.name)}](#{r.item.anchor})", f"{RATING_MARKS[r.status]} {r.status_text}",
                     evidence])
    return out + _table(["Item", "Rating", "Evidence"], rows)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


RENDERER = Renderer(lambda synthesis, pictures: render_markdown(synthesis, figures_dir=FIGURES_DIR).encode("utf-8"),
                    "report.md")
