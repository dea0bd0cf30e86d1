"""Report: render a synthesis to a self-contained HTML file and to Markdown."""

from exoreview.report.html import render_html
from exoreview.report.markdown import render_markdown
from exoreview.report.prisma_svg import render_prisma_svg
from exoreview.report.write import write_report

__all__ = ["render_html", "render_markdown", "render_prisma_svg", "write_report"]
