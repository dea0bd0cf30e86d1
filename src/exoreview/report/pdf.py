"""The report as PDF (reportlab platypus), byte-for-byte reproducible.

`invariant=1` fixes the creation date and the document id. The text font is DejaVu Sans from
matplotlib's own data folder, so arrows, dashes and Greek letters print without a font
download and the file embeds the same subset every time.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image as RLImage
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from exoreview.report.figures import Picture, render_figures
from exoreview.report.outline import Bullets, Heading, Image, Para, Table, build_outline
from exoreview.report.renderers import Renderer
from exoreview.synthesis.build import Synthesis

MARGIN = 16 * mm
FONTS = {"ExoSans": "DejaVuSans.ttf", "ExoSans-Bold": "DejaVuSans-Bold.ttf",
         "ExoSans-Oblique": "DejaVuSans-Oblique.ttf", "ExoMono": "DejaVuSansMono.ttf"}


def _register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily("ExoSans", normal="ExoSans", bold="ExoSans-Bold", italic="ExoSans-Oblique",
                                  boldItalic="ExoSans-Bold")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="ExoSans", fontSize=9.5, leading=13, alignment=TA_LEFT, spaceAfter=5)
    return {
        "body": base,
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#5b6570")),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, textColor=colors.HexColor("#5b6570")),
        "code": ParagraphStyle("code", parent=base, fontName="ExoMono", fontSize=7.5, leading=9.5),
        "banner": ParagraphStyle("banner", parent=base, fontName="ExoSans-Bold", fontSize=11, leading=15,
                                 textColor=colors.HexColor("#8a1c1c"), backColor=colors.HexColor("#fdecec"),
                                 borderColor=colors.HexColor("#8a1c1c"), borderWidth=1.5, borderPadding=7,
                                 spaceAfter=14, spaceBefore=4),
        "h0": ParagraphStyle("h0", parent=base, keepWithNext=1, fontName="ExoSans-Bold", fontSize=17, leading=21,
                             spaceAfter=6),
        "h1": ParagraphStyle("h1", parent=base, keepWithNext=1, fontName="ExoSans-Bold", fontSize=13, leading=17,
                             spaceBefore=10, spaceAfter=5),
        "h2": ParagraphStyle("h2", parent=base, keepWithNext=1, fontName="ExoSans-Bold", fontSize=10.5, leading=14,
                             spaceBefore=7, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=6.5, leading=8, spaceAfter=0),
        "cell9": ParagraphStyle("cell9", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=base, fontName="ExoSans-Oblique", fontSize=8, leading=10,
                                  spaceAfter=10),
    }


def _text(text: str) -> str:
    # Paragraphs split over-long words themselves (splitLongWords), so URLs and queries stay inside the frame.
    return escape(text)


def render_pdf(s: Synthesis, pictures: list[Picture] | None = None) -> bytes:
    _register_fonts()
    st = _styles()
    outline = build_outline(s, pictures if pictures is not None else render_figures(s))
    width = A4[0] - 2 * MARGIN
    height = A4[1] - 2 * MARGIN - 10 * mm
    story: list = []
    headings: list = []  # headings wait for the block they introduce, so no heading ends a page alone
    for block in outline.blocks:
        if isinstance(block, Heading):
            headings.append(Paragraph(_text(block.text), st[f"h{block.level}"]))
            continue
        start = len(story)
        if isinstance(block, Para):
            story.append(Paragraph(_text(block.text), st[block.style]))
        elif isinstance(block, Bullets):
            story.append(ListFlowable([ListItem(Paragraph(_text(item), st["body"]), leftIndent=12)
                                       for item in block.items], bulletType="bullet", start="•",
                                      bulletFontName="ExoSans", leftIndent=12))
        elif isinstance(block, Table):
            story.append(_table(block, st, width))
            story.append(Spacer(1, 6))
        elif isinstance(block, Image):
            reader = ImageReader(io.BytesIO(block.picture.png))
            w, h = reader.getSize()
            scale = min(width / w, (height - 40) / h)
            story.append(KeepTogether([RLImage(io.BytesIO(block.picture.png), width=w * scale, height=h * scale),
                                       Paragraph(_text(block.caption), st["caption"])]))
        if headings:
            first = story[start]
            if isinstance(first, KeepTogether):
                story[start] = KeepTogether(headings + list(first._content))
            else:  # KeepTogether still splits a table longer than a page
                story[start] = KeepTogether([*headings, first])
            headings = []
    story += headings
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=s.title, author="exoreview",
                            subject="Systematic review results" + (" (synthetic demonstration)" if s.synthetic else ""),
                            creator="exoreview", invariant=1)
    banner = "Synthetic demonstration: not evidence. " if s.synthetic else ""

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("ExoSans", 7.5)
        canvas.setFillColor(colors.HexColor("#5b6570"))
        canvas.drawString(MARGIN, MARGIN / 2, f"{banner}{s.title}")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _cell(text: str, style: ParagraphStyle, column: float) -> str | Paragraph:
    """A short text as a plain string (drawn on one line, far cheaper than a Paragraph); longer text wraps."""
    if "\n" not in text and pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= column - 8:
        return text
    return Paragraph(_text(text), style)


def _table(block: Table, st: dict[str, ParagraphStyle], width: float) -> RLTable:
    style = st["cell"] if block.small else st["cell9"]
    head = ParagraphStyle("head", parent=style, fontName="ExoSans-Bold")
    widths = block.widths or (1.0,) * len(block.header)
    total = sum(widths)
    columns = [width * w / total for w in widths]
    data = [[_cell(h, head, columns[k]) for k, h in enumerate(block.header)]]
    data += [[_cell(c, style, columns[k]) for k, c in enumerate(row)] for row in block.rows]
    table = RLTable(data, colWidths=columns, repeatRows=1)
    table.setStyle(TableStyle([
        # Plain-string cells (text that fits on one line) take their font from here, matching the paragraphs.
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading),
        ("FONT", (0, 0), (-1, 0), head.fontName, head.fontSize, head.leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#d5dbe1")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f4f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


RENDERER = Renderer(render_pdf, "report.pdf")
