"""Report formats as plug-ins: each renders the same synthesis to the bytes of one file.

Built-in renderers register by reference, so choosing "md" never imports the PDF machinery. Another
package adds a format with an entry point in the `exoreview.renderers` group naming a `Renderer`;
a protocol then lists it in `[report] formats` like a built-in one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exoreview import plugins
from exoreview.plugins import Registry

if TYPE_CHECKING:  # the types only: importing them here would load the whole report stack
    from exoreview.report.figures import Picture
    from exoreview.synthesis.build import Synthesis

FIGURES_DIR = "figures"  # beside the report: figures/*.png and figures/prisma.svg


@dataclass(frozen=True, slots=True)
class Renderer:
    """`render(synthesis, pictures)` gives the file's bytes (the same synthesis, the same bytes);
    `file_name` is where it goes in the review folder."""

    render: Callable[[Synthesis, list[Picture]], bytes]
    file_name: str


RENDERERS: Registry[Renderer] = plugins.RENDERERS  # built-ins: exoreview.plugins

__all__ = ["FIGURES_DIR", "RENDERERS", "Renderer"]
