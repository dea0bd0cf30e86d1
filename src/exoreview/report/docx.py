"""The report as a Word document (python-docx), byte-for-byte reproducible.

python-docx stamps the current time into the core properties and into every zip entry; both
are replaced here by the run's time (core properties) and a fixed zip date, so the same store
gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from exoreview.report.figures import Picture, render_figures
from exoreview.report.outline import Bullets, Heading, Image, Para, Table, build_outline
from exoreview.synthesis.build import Synthesis

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
FALLBACK_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # before any run finished
TEXT_WIDTH = 6.5  # inches on US Letter with 1-inch margins


def run_time(s: Synthesis) -> datetime:
    if not s.generated_at:
        return FALLBACK_TIME
    try:
        stamp = datetime.fromisoformat(s.generated_at.replace("Z", "+00:00"))
    except ValueError:
        return FALLBACK_TIME
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def render_docx(s: Synthesis, pictures: list[Picture] | None = None) -> bytes:
    outline = build_outline(s, pictures if pictures is not None else render_figures(s))
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)

    for block in outline.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.style == "banner":
                run.bold = True
                run.font.size = Pt(12)
                run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
            elif block.style in ("note", "meta"):
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(0x5B, 0x65, 0x70)
            elif block.style == "code":
                run.font.name = "Consolas"
                run.font.size = Pt(8.5)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Number" if block.numbered else "List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.picture.png), width=Inches(TEXT_WIDTH))
            caption = doc.add_paragraph()
            run = caption.add_run(block.caption)
            run.italic = True
            run.font.size = Pt(9)

    props = doc.core_properties
    stamp = run_time(s).replace(tzinfo=None)
    props.title = s.title
    props.subject = "Systematic review results" + (" (synthetic demonstration)" if s.synthetic else "")
    props.author = props.last_modified_by = "exoreview"
    props.keywords = f"{s.protocol_name}; protocol {s.protocol_hash[:12]}"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _table(doc, block: Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    size = Pt(7 if block.small else 9)
    widths = block.widths or (1.0,) * len(block.header)
    total = sum(widths)
    for k, text in enumerate(block.header):
        cell = table.rows[0].cells[k]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
        _shade(cell, "F1F4F7")
    for row in block.rows:
        cells = table.add_row().cells
        for k, text in enumerate(row):
            run = cells[k].paragraphs[0].add_run(text)
            run.font.size = size
    for k, width in enumerate(widths):
        for row in table.rows:
            row.cells[k].width = Inches(TEXT_WIDTH * width / total)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated ZIP_DATE, in the original order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
