"""Report: render a synthesis to HTML, Markdown, DOCX and PDF, with figures and exports.

The names below load on first use, so modules that need only the renderer registry
(`exoreview.report.renderers`, read by the protocol loader) do not pull in matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {"render_html": "exoreview.report.html", "render_markdown": "exoreview.report.markdown",
         "render_prisma_svg": "exoreview.report.prisma_svg", "write_report": "exoreview.report.write"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'exoreview.report' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


__all__ = ["render_html", "render_markdown", "render_prisma_svg", "write_report"]
