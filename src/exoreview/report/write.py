"""Write the report files: the same synthesis gives the same bytes in every format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from exoreview.report.html import render_html
from exoreview.report.markdown import render_markdown
from exoreview.synthesis.build import Synthesis

RENDERERS: dict[str, tuple[str, Callable[[Synthesis], str]]] = {
    "html": ("report.html", render_html),
    "md": ("report.md", render_markdown),
}
# Named by protocols already (ReportSpec allows them) but written by a later version: skipped, not an error,
# so that a protocol asking for them still gets its HTML and Markdown.
PENDING = ("docx", "pdf")


def write_report(synthesis: Synthesis, out_dir: str | Path, formats: Iterable[str] = ("html", "md")) -> dict[str, Path]:
    """Write each requested format into `out_dir`; returns {format: path} for the files written.

    Every format is checked before anything is written, so a typo does not leave half a report.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in RENDERERS and f not in PENDING]
    if unknown:
        known = ", ".join([*RENDERERS, *PENDING])
        raise ValueError(f"unknown report format(s) {', '.join(map(repr, unknown))}; known formats: {known}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in wanted:
        if fmt in PENDING:
            continue
        name, render = RENDERERS[fmt]
        path = out / name
        # Bytes, not text mode: no platform newline translation, so the file is the same everywhere.
        path.write_bytes(render(synthesis).encode("utf-8"))
        written[fmt] = path
    return written
