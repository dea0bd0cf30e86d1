"""The report's figures as PNG, drawn with matplotlib's Agg renderer from the synthesis numbers.

The PRISMA diagram is drawn from the same layout as the inline SVG (`prisma_svg.layout`), so the
document formats and the HTML page state the same numbers in the same boxes. No pyplot: each
figure is its own `Figure`, so nothing global leaks between builds. PNG metadata is fixed, and
Agg draws the same pixels for the same input, so the same synthesis gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from exoreview.report import prisma_svg as ps
from exoreview.synthesis.build import Synthesis

DPI = 150
FONT = "DejaVu Sans"  # ships with matplotlib: no font lookup on the reader's machine
# Evidence level 1 (strongest) darkest; level 7 palest.
LEVEL_COLOURS = ("#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef")
DESIGN_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
                  "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99")


@dataclass(frozen=True, slots=True)
class Picture:
    name: str  # file stem, e.g. "prisma"
    title: str
    alt: str
    png: bytes


def _png(fig: Figure, *, tight: bool = True) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # A tight box grows the canvas to hold long class names instead of cutting them off.
    extra = {"bbox_inches": "tight", "pad_inches": 0.12} if tight else {}
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white", **extra)
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.patch.set_facecolor("white")
    return fig


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def prisma_png(s: Synthesis) -> bytes:
    rows, tops, heights, total = ps.layout(s.flow)
    scale = 100  # SVG units per inch
    fig = _figure(ps.WIDTH / scale, total / scale)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, ps.WIDTH)
    ax.set_ylim(total, 0)
    ax.axis("off")
    size = ps.FONT * 72 / scale * 0.95  # SVG px to points at this scale

    def box(x: float, y: float, w: float, h: float, fill: str, edge: str) -> None:
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=4", fc=fill, ec=edge, lw=1))

    def arrow(x1: float, y1: float, x2: float, y2: float) -> None:
        ax.add_patch(FancyArrowPatch((x1, y1), (x2, y2), arrowstyle="-|>", mutation_scale=10, color="#333", lw=1.2))

    box(ps.LEFT_X, 4, ps.RIGHT_X + ps.RIGHT_W - ps.LEFT_X, 30, "#fdf1cf", "#b68a10")
    ax.text((ps.LEFT_X + ps.RIGHT_X + ps.RIGHT_W) / 2, 19, "Identification of studies via databases, registers "
            "and other methods", ha="center", va="center", fontsize=size, fontweight="bold", family=FONT)
    for phase in dict.fromkeys(r.phase for r in rows):
        members = [i for i, r in enumerate(rows) if r.phase == phase]
        top, bottom = tops[members[0]], tops[members[-1]] + heights[members[-1]]
        box(ps.PHASE_X, top, ps.PHASE_W, bottom - top, "#cfe3f5", "#2b6ca3")
        ax.text(ps.PHASE_X + ps.PHASE_W / 2, (top + bottom) / 2, phase, rotation=90, ha="center", va="center",
                fontsize=size, fontweight="bold", family=FONT)
    centre = ps.LEFT_X + ps.LEFT_W / 2
    previous_bottom = None
    for row, top, h in zip(rows, tops, heights, strict=True):
        start = centre
        for b, x in ((row.left, ps.LEFT_X), (row.right, ps.RIGHT_X)):
            if b is None:
                continue
            box(x, top, b.width, h, "white", "#333")
            offset = (h - b.height) // 2
            for k, (piece, line) in enumerate(b.wrapped):
                ax.text(x + ps.PAD + line.indent * 14, top + offset + ps.PAD + ps.LINE * (k + 1) - 3, piece,
                        fontsize=size, fontweight="bold" if line.bold else "normal", family=FONT, va="baseline")
        if row.left:
            if previous_bottom is not None:
                arrow(centre, previous_bottom, centre, top)
            previous_bottom = top + h
            start = ps.LEFT_X + ps.LEFT_W
        if row.right:
            arrow(start, top + h / 2, ps.RIGHT_X, top + h / 2)
    return _png(fig, tight=False)


def _message(text: str) -> bytes:
    fig = _figure(6, 1.2)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((0.02, 0.1), 0.96, 0.8, boxstyle="round,pad=0,rounding_size=0.05",
                                transform=ax.transAxes, fc="#f1f4f7", ec="#5b6570"))
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, family=FONT, color="#1d2329", wrap=True)
    return _png(fig)


def _short(label: str) -> str:
    """A class label without its parenthetical examples, to keep axis labels short."""
    return label.split(" (", 1)[0]


def evidence_map_png(s: Synthesis) -> bytes:
    """EV sources down, indications across (the layout's map columns down, its rows across): tall rather than
    wide, so it stays legible on a portrait page."""
    emap = s.evidence_map
    across, down = s.layout.map_rows_noun, s.layout.map_columns_noun
    if emap is None or not emap.rows or not emap.columns:
        return _message(s.layout.map_none)
    sources, indications = emap.columns, emap.rows
    fig = _figure(1.2 + 0.62 * len(indications), 0.9 + 0.27 * len(sources))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, len(indications))
    ax.set_ylim(len(sources), 0)
    for r, source in enumerate(sources):
        for c, indication in enumerate(indications):
            cell = emap.cell(indication.value, source.value)
            colour = "#ffffff" if not cell.n else LEVEL_COLOURS[min(max(cell.best_level or 7, 1), 7) - 1]
            ax.add_patch(FancyBboxPatch((c + 0.04, r + 0.06), 0.92, 0.88, boxstyle="square,pad=0", fc=colour,
                                        ec="#d5dbe1", lw=0.6))
            if cell.n:
                dark = sum(to_rgba(colour)[:3]) < 1.6
                ax.text(c + 0.5, r + 0.5, str(cell.n), ha="center", va="center", fontsize=7.5, family=FONT,
                        color="white" if dark else "#1d2329")
    ax.xaxis.tick_top()
    ax.set_xticks([c + 0.5 for c in range(len(indications))], [_short(g.label) for g in indications], rotation=40,
                  ha="left", rotation_mode="anchor", fontsize=7.5, family=FONT)
    ax.set_yticks([r + 0.5 for r in range(len(sources))], [_short(g.label) for g in sources], fontsize=7.5,
                  family=FONT)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    present = sorted({c.best_level for c in emap.cells.values() if c.best_level})
    ax.legend(handles=[Patch(fc=LEVEL_COLOURS[min(lv, 7) - 1], ec="#d5dbe1", label=f"level {lv}") for lv in present],
              loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, title="Strongest design\n(1 strongest)",
              prop={"family": FONT, "size": 7}, title_fontsize=7.5)
    ax.set_xlabel(f"Studies per {down} (rows) and {across} (columns); shade: strongest design", fontsize=8,
                  family=FONT)
    return _png(fig)


def design_years_png(s: Synthesis) -> bytes:
    dy = s.design_years
    if dy is None or not dy.years:
        return _message("No dated included study with a design label yet.")
    fig = _figure(7.5, 3.6)
    ax = fig.add_axes((0.08, 0.14, 0.6, 0.76))
    bottoms = [0] * len(dy.years)
    for k, design in enumerate(dy.designs):
        heights = [len(dy.cells.get((y, design.value), ())) for y in dy.years]
        ax.bar(range(len(dy.years)), heights, bottom=bottoms, color=DESIGN_COLOURS[k % len(DESIGN_COLOURS)],
               label=f"{design.label} ({design.n})", width=0.75, edgecolor="white", linewidth=0.4)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    step = max(1, len(dy.years) // 12)
    ax.set_xticks(range(0, len(dy.years), step), [str(y) for y in dy.years][::step], fontsize=8, family=FONT)
    ax.set_ylabel("Included studies", fontsize=8.5, family=FONT)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style(ax)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), prop={"family": FONT,
                                                                                            "size": 7})
    ax.set_title("Study design by publication year (strongest design at the bottom)", fontsize=8.5, family=FONT,
                 loc="left")
    return _png(fig)


def methods_png(s: Synthesis) -> bytes:
    panels = [(heading, found) for _, heading, found in s.method_groups if found]
    if not panels:
        return _message(s.layout.methods_none)
    fig = _figure(6.5, 0.9 * len(panels) + 0.22 * sum(len(found) for _, found in panels))
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        gridspec_kw={"height_ratios": [len(found) + 1 for _, found in panels], "hspace": 0.35})
    for ax, (heading, found) in zip(axes[:, 0], panels, strict=True):
        ordered = list(reversed(found))
        ax.barh(range(len(ordered)), [g.n for g in ordered], color="#2b6ca3", height=0.7)
        ax.set_yticks(range(len(ordered)), [g.label for g in ordered], fontsize=7, family=FONT)
        ax.set_xlim(0, max(g.n for g in found) * 1.12)
        for y, g in enumerate(ordered):
            ax.text(g.n, y, f" {g.n}", va="center", fontsize=6.5, family=FONT)
        ax.set_title(f"{heading}: studies per method", fontsize=8.5, family=FONT, loc="left")
        ax.xaxis.get_major_locator().set_params(integer=True)
        _style(ax)
    return _png(fig)


def misev_png(s: Synthesis) -> bytes:
    a = s.appraisal
    if a is None:
        return _message("No study has been appraised for reporting quality (MISEV) yet.")
    dist = a.distribution()
    fig = _figure(6.0, 2.8)
    ax = fig.add_axes((0.1, 0.18, 0.86, 0.7))
    ax.bar([k for k, _ in dist], [len(ids) for _, ids in dist], color="#2b6ca3", width=0.75)
    ax.set_xticks([k for k, _ in dist], [str(k) for k, _ in dist], fontsize=8, family=FONT)
    ax.set_xlabel(f"Items reported (of up to {a.maximum} that apply)", fontsize=8.5, family=FONT)
    ax.set_ylabel("Included studies", fontsize=8.5, family=FONT)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style(ax)
    ax.set_title(f"Reporting score ({a.instrument}) of {len(a.scores)} appraised studies", fontsize=8.5,
                 family=FONT, loc="left")
    return _png(fig)


def _map_texts(s: Synthesis) -> tuple[str, str]:
    """The evidence map's title and alternative text."""
    rows, columns = s.layout.map_rows_noun, s.layout.map_columns_noun
    if (s.layout.map_rows, s.layout.map_columns) == ("indication", "ev_source"):
        return ("Evidence map: indication by EV source",
                "Grid of indications by vesicle source; each cell counts studies")
    return f"Evidence map: {rows} by {columns}", f"Grid of {rows} by {columns}; each cell counts studies"


def render_figures(s: Synthesis) -> list[Picture]:
    """Every figure of the report, in the order the report shows them."""
    map_title, map_alt = _map_texts(s)
    return [
        Picture("prisma", "PRISMA 2020 flow diagram", "Flow of records from identification to inclusion",
                prisma_png(s)),
        Picture("evidence-map", map_title, map_alt, evidence_map_png(s)),
        Picture("design-by-year", "Study design by year", "Stacked bars of included studies per year by design",
                design_years_png(s)),
        Picture("methods", s.layout.methods_title, s.layout.methods_alt, methods_png(s)),
    ] + ([Picture("misev", "Reporting-quality (MISEV) score distribution", "Bars of studies per reporting score",
                  misev_png(s))] if s.layout.appraisal else [])
