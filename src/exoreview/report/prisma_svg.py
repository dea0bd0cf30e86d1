"""The PRISMA 2020 flow diagram as inline SVG, laid out by hand so the same flow gives the same bytes.

No font metrics are available without a renderer, so text is wrapped to a character budget
computed from a deliberately wide estimate of a glyph's width; boxes then grow downwards to
hold their lines. Every line that states a number carries `data-box` and `data-count`, the
keys of `PrismaFlow.boxes()`, so tests and readers' tools can read the figure's numbers.

The identification boxes list databases and other methods together and the flow below them
is one column: duplicates are removed across all sources and every record is screened the
same way, so separate columns would repeat the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from exoreview.synthesis.prisma import PrismaFlow, Reason
from exoreview.synthesis.tables import source_label

WIDTH = 820
FONT = 13
LINE = 17
PAD = 9
CHAR = FONT * 0.62  # wide on purpose: text must fit whatever sans-serif the reader's device has
PHASE_X, PHASE_W = 0, 30
LEFT_X, LEFT_W = 44, 340
RIGHT_X, RIGHT_W = 444, 370
GAP = 34  # vertical space between rows, room for an arrow
TOP = 52  # below the header band
NBSP = "\u00a0"


@dataclass(slots=True)
class Line:
    text: str
    box: str = ""  # the flow key this line states a number for
    count: int | None = None
    bold: bool = False
    indent: int = 0


@dataclass(slots=True)
class Box:
    lines: list[Line]
    width: int
    wrapped: list[tuple[str, Line]] = field(default_factory=list)

    def wrap(self) -> None:
        self.wrapped = []
        for line in self.lines:
            budget = max(8, int((self.width - 2 * PAD - line.indent * 14) / CHAR))
            for piece in wrap_text(line.text, budget):
                self.wrapped.append((piece, line))

    @property
    def height(self) -> int:
        return 2 * PAD + LINE * len(self.wrapped) + 4


@dataclass(slots=True)
class Row:
    phase: str
    left: Box | None
    right: Box | None


def wrap_text(text: str, budget: int) -> list[str]:
    """Greedy word wrap; a word longer than the budget is cut, so no line ever exceeds it."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > budget:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:budget])
            word = word[budget:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= budget:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return [line.replace(NBSP, " ") for line in lines]


def _n(count: int) -> str:
    # Non-breaking spaces keep "(n = 12)" on one line when the wrapper breaks the text.
    return f"(n{NBSP}={NBSP}{count})"


def _counted(text: str, box: str, count: int, **kw: object) -> Line:
    return Line(f"{text} {_n(count)}", box=box, count=count, **kw)  # type: ignore[arg-type]


def _reason_lines(reasons: tuple[Reason, ...], prefix: str) -> list[Line]:
    # The criterion's closing full stop would sit oddly before "(n = …)".
    return [_counted(f"{r.id}: {r.text.rstrip('.')}" if r.id else r.text.rstrip("."), f"{prefix}:{r.id}", r.n, indent=1)
            for r in reasons]


def flow_rows(flow: PrismaFlow) -> list[Row]:
    n = flow.counts()
    ident = [_counted("Records identified", "identified", n["identified"], bold=True),
             _counted("Databases and registers", "databases", n["databases"])]
    registers = set(flow.register_sources)
    ident += [_counted(source_label(s), f"identified:{s}", len(flow.identified[s]), indent=1)
              for s in flow.database_sources if s not in registers]
    if registers:  # PRISMA 2020 lists trial registers on a line of their own
        ident.append(_counted("Registers", "registers", n["registers"], indent=1))
        ident += [_counted(source_label(s), f"identified:{s}", len(flow.identified[s]), indent=2)
                  for s in flow.register_sources]
    ident.append(_counted("Other methods", "other_methods", n["other_methods"]))
    ident += [_counted(source_label(s), f"identified:{s}", len(flow.identified[s]), indent=1)
              for s in flow.other_sources]
    rows = [Row("Identification", Box(ident, LEFT_W), Box([
        Line("Records removed before screening:", bold=True),
        _counted("Duplicate records removed", "duplicates", n["duplicates"]),
    ], RIGHT_W))]
    if n["awaiting_screening"]:
        rows.append(Row("Screening", None, Box([
            _counted("Records awaiting a screening decision", "awaiting_screening", n["awaiting_screening"], bold=True),
        ], RIGHT_W)))
    excluded = [_counted("Records excluded", "excluded_screening", n["excluded_screening"], bold=True)]
    excluded += _reason_lines(flow.screening_reasons, "excluded_screening")
    excluded += [
        _counted("Excluded by automation tools", "excluded_screening_automation", n["excluded_screening_automation"]),
        _counted("Excluded by reviewers", "excluded_screening_reviewer", n["excluded_screening_reviewer"]),
    ]
    rows.append(Row("Screening", Box([_counted("Records screened", "screened", n["screened"], bold=True)], LEFT_W),
                    Box(excluded, RIGHT_W)))
    missing = [_counted("Reports not retrieved", "not_retrieved", n["not_retrieved"], bold=True)]
    missing += _reason_lines(flow.not_retrieved_reasons, "not_retrieved")
    rows.append(Row("Screening", Box([_counted("Reports sought for retrieval", "sought", n["sought"], bold=True)],
                                     LEFT_W), Box(missing, RIGHT_W)))
    if n["awaiting_assessment"]:
        rows.append(Row("Screening", None, Box([
            _counted("Reports awaiting a full-text decision", "awaiting_assessment", n["awaiting_assessment"],
                     bold=True),
        ], RIGHT_W)))
    rejected = [_counted("Reports excluded", "excluded_eligibility", n["excluded_eligibility"], bold=True)]
    rejected += _reason_lines(flow.eligibility_reasons, "excluded_eligibility")
    rows.append(Row("Screening", Box([_counted("Reports assessed for eligibility", "assessed", n["assessed"],
                                               bold=True)], LEFT_W), Box(rejected, RIGHT_W)))
    rows.append(Row("Included", Box([
        _counted("Studies included in review", "included", n["included"], bold=True),
        _counted("Reports of included studies", "included_reports", n["included_reports"]),
    ], LEFT_W), None))
    return rows


def layout(flow: PrismaFlow) -> tuple[list[Row], list[int], list[int], int]:
    """Rows with wrapped boxes, each row's top and height, and the figure's total height (SVG units)."""
    rows = flow_rows(flow)
    heights = []
    for row in rows:
        for box in (row.left, row.right):
            if box:
                box.wrap()
        heights.append(max(b.height for b in (row.left, row.right) if b))
    # A phase band must be tall enough for its rotated name.
    for phase in dict.fromkeys(r.phase for r in rows):
        members = [i for i, r in enumerate(rows) if r.phase == phase]
        span = sum(heights[i] for i in members) + GAP * (len(members) - 1)
        need = int(len(phase) * FONT * 0.62 + 2 * PAD)
        if span < need:
            heights[members[-1]] += need - span

    tops, y = [], TOP
    for h in heights:
        tops.append(y)
        y += h + GAP
    total = y - GAP + 8
    return rows, tops, heights, total


def render_prisma_svg(flow: PrismaFlow, title: str = "PRISMA 2020 flow diagram",
                      href: Callable[[str], str] | None = None) -> str:
    """The diagram as SVG; with `href`, each number links to the list of records behind it."""
    rows, tops, heights, total = layout(flow)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="prisma" viewBox="0 0 {WIDTH} {total}" '
           f'width="{WIDTH}" height="{total}" role="img" aria-labelledby="prisma-title" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">',
           f'<title id="prisma-title">{escape(title)}</title>',
           '<defs><marker id="prisma-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
           f'<rect x="{LEFT_X}" y="4" width="{RIGHT_X + RIGHT_W - LEFT_X}" height="30" rx="4" fill="#fdf1cf" '
           'stroke="#b68a10"/>',
           f'<text x="{(LEFT_X + RIGHT_X + RIGHT_W) // 2}" y="24" text-anchor="middle" font-weight="bold">'
           'Identification of studies via databases, registers and other methods</text>']
    out += _phases(rows, tops, heights)
    centre = LEFT_X + LEFT_W // 2
    previous_bottom: int | None = None
    for row, top, h in zip(rows, tops, heights, strict=True):
        middle = top + h // 2
        if row.left:
            out += _box(row.left, LEFT_X, top, h, href)
            if previous_bottom is not None:
                out.append(_arrow(centre, previous_bottom, centre, top))
            previous_bottom = top + h
            start = LEFT_X + LEFT_W
        else:
            start = centre  # a side box hangs off the vertical arrow passing this row
        if row.right:
            out += _box(row.right, RIGHT_X, top, h, href)
            out.append(_arrow(start, middle, RIGHT_X, middle))
    out.append("</svg>")
    return "\n".join(out)


def _phases(rows: list[Row], tops: list[int], heights: list[int]) -> list[str]:
    out = []
    for phase in dict.fromkeys(r.phase for r in rows):
        members = [i for i, r in enumerate(rows) if r.phase == phase]
        top = tops[members[0]]
        bottom = tops[members[-1]] + heights[members[-1]]
        cy = (top + bottom) // 2
        cx = PHASE_X + PHASE_W // 2
        out.append(f'<g class="phase" data-phase="{escape(phase.lower())}">'
                   f'<rect x="{PHASE_X}" y="{top}" width="{PHASE_W}" height="{bottom - top}" rx="4" fill="#cfe3f5" '
                   f'stroke="#2b6ca3"/><text x="{cx}" y="{cy}" text-anchor="middle" dominant-baseline="central" '
                   f'font-weight="bold" transform="rotate(-90 {cx} {cy})">{escape(phase)}</text></g>')
    return out


def _box(box: Box, x: int, top: int, height: int, href: Callable[[str], str] | None = None) -> list[str]:
    key = next(line.box for line in box.lines if line.box)
    out = [f'<g class="box" id="prisma-{escape(key.replace(":", "-"))}">',
           f'<rect x="{x}" y="{top}" width="{box.width}" height="{height}" rx="4" fill="#fff" stroke="#333"/>']
    # Boxes of a row share its height; a box with fewer lines centres them.
    offset = (height - box.height) // 2
    for k, (piece, line) in enumerate(box.wrapped):
        ty = top + offset + PAD + LINE * (k + 1) - 3
        attrs = f' x="{x + PAD + line.indent * 14}" y="{ty}"'
        if line.bold:
            attrs += ' font-weight="bold"'
        # Only the piece that ends the line holds the count; it carries the data attributes.
        last = k + 1 == len(box.wrapped) or box.wrapped[k + 1][1] is not line
        if line.count is not None and last:
            attrs += f' data-box="{escape(line.box)}" data-count="{line.count}"'
        text = f"<text{attrs}>{escape(piece)}</text>"
        if line.count is not None and last and href is not None:
            text = f'<a href="{escape(href(line.box))}">{text}</a>'
        out.append(text)
    out.append("</g>")
    return out


def _arrow(x1: int, y1: int, x2: int, y2: int) -> str:
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" stroke-width="1.4" '
            'marker-end="url(#prisma-arrow)"/>')
