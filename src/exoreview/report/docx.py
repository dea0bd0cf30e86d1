"""The report as a Word document (python-docx), byte-for-byte reproducible.

python-docx stamps the current time into the core properties and into every zip entry; both
are replaced here by the run's time (core properties) and a fixed zip date, so the same store
gives the same file.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches, Pt, RGBColor

from exoreview.report.figures import Picture, render_figures
from exoreview.report.outline import Bullets, Heading, Image, Para, Table, build_outline
from exoreview.report.renderers import Renderer
from exoreview.synthesis.build import Synthesis

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
FALLBACK_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # before any run finished
TEXT_WIDTH = 6.5  # inches on US Letter with 1-inch margins
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def run_time(s: Synthesis) -> datetime:
    if not s.generated_at:
        return FALLBACK_TIME
    try:
        stamp = datetime.fromisoformat(s.generated_at.replace("Z", "+00:00"))
    except ValueError:
        return FALLBACK_TIME
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def render_docx(s: Synthesis, pictures: list[Picture] | None = None) -> bytes:
    outline = build_outline(s, pictures if pictures is not None else render_figures(s))
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)

    styles = {name: doc.styles[name] for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
                                                   "List Number")}
    for block in outline.blocks:
        if isinstance(block, Heading):
            # A style object, not its name: looking a style up by name scans every style, per heading.
            doc.add_paragraph(block.text, style=styles["Title" if block.level == 0 else f"Heading {block.level}"])
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
                doc.add_paragraph(item, style=styles["List Number" if block.numbered else "List Bullet"])
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
    """The table written as WordprocessingML in one piece: python-docx's cell-by-cell API takes seconds
    for the appendix's thousands of cells. The markup is what python-docx itself writes for a "Table Grid"
    table with a shaded, bold header row."""
    size = 14 if block.small else 18  # half-points: 7 pt and 9 pt
    widths = block.widths or (1.0,) * len(block.header)
    total = sum(widths)
    twips = [round(TEXT_WIDTH * 1440 * w / total) for w in widths]
    style = doc.styles["Table Grid"].style_id

    def row(texts: tuple[str, ...], header: bool) -> str:
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="F1F4F7"/>' if header else ""
        bold = "<w:b/>" if header else ""
        cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[k]}"/>{shade}</w:tcPr><w:p><w:r><w:rPr>{bold}'
                 f'<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p></w:tc>'
                 for k, text in enumerate(texts)]
        return "<w:tr>" + "".join(cells) + "</w:tr>"

    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    markup = (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/>'
              '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
              f'w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
              + row(block.header, True) + "".join(row(r, False) for r in block.rows) + "</w:tbl>")
    doc.element.body.sectPr.addprevious(parse_xml(markup))


def _xml_text(text: str) -> str:
    """Text for a w:t element: escaped, without the control characters XML cannot hold."""
    return escape(_CONTROL.sub("", text))


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


RENDERER = Renderer(render_docx, "report.docx")
