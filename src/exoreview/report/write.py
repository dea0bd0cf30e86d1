"""Write the report files: the same synthesis gives the same bytes in every format."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from exoreview.report.exports import EXPORTS, RECORDS_BEHIND, included_bibtex, included_ris, write_records_behind
from exoreview.report.figures import render_figures
from exoreview.report.prisma_svg import render_prisma_svg
from exoreview.report.renderers import FIGURES_DIR, RENDERERS
from exoreview.synthesis.build import Synthesis


def write_report(synthesis: Synthesis, out_dir: str | Path, formats: Iterable[str] = ("html", "md")) -> dict[str, Path]:
    """Write each requested format into `out_dir`, with the figures (`figures/*.png`, `figures/prisma.svg`), the
    included studies as RIS and BibTeX and the records behind every number as CSV; returns {format: path} for
    the report files written.

    Every format is checked before anything is written, so a typo does not leave half a report.
    """
    wanted = list(dict.fromkeys(formats))
    renderers = {fmt: RENDERERS.get(fmt) for fmt in wanted}  # an unknown name fails here, before any writing
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pictures = render_figures(synthesis)
    figures = out / FIGURES_DIR
    figures.mkdir(exist_ok=True)
    for picture in pictures:
        (figures / f"{picture.name}.png").write_bytes(picture.png)
    (figures / "prisma.svg").write_bytes(render_prisma_svg(synthesis.flow).encode("utf-8"))
    (out / EXPORTS["ris"]).write_bytes(included_ris(synthesis.included_records).encode("utf-8"))
    (out / EXPORTS["bib"]).write_bytes(included_bibtex(synthesis.included_records).encode("utf-8"))
    write_records_behind(synthesis, out / RECORDS_BEHIND)
    written: dict[str, Path] = {}
    for fmt, renderer in renderers.items():
        path = out / renderer.file_name
        # Bytes, not text mode: no platform newline translation, so the file is the same everywhere.
        path.write_bytes(renderer.render(synthesis, pictures))
        written[fmt] = path
    return written
