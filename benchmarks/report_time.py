"""How long the report takes to build from the demo's store, per format (synthesis, figures, html, md, docx, pdf).

Usage: python benchmarks/report_time.py [--runs N]
Prints one JSON line: median seconds per step, output sizes in bytes, studies included, machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from exoreview.demo.run import run_demo
    from exoreview.report.docx import render_docx
    from exoreview.report.figures import render_figures
    from exoreview.report.html import render_html
    from exoreview.report.markdown import render_markdown
    from exoreview.report.pdf import render_pdf
    from exoreview.store import Store
    from exoreview.synthesis.build import build_synthesis

    with tempfile.TemporaryDirectory() as folder:
        result = run_demo(Path(folder) / "demo")
        timings: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}

        def timed(name: str, work: Callable[[], T]) -> T:
            start = time.perf_counter()
            value = work()
            timings.setdefault(name, []).append(time.perf_counter() - start)
            return value

        for _ in range(args.runs):
            with Store.open(result.folder.store_file) as store:
                synthesis = timed("synthesis", lambda s=store: build_synthesis(s, result.folder.protocol(),
                                                                                 base_dir=result.folder.root))
            pictures = timed("figures", lambda s=synthesis: render_figures(s))
            sizes["html"] = len(timed("html", lambda s=synthesis, p=pictures: render_html(s, p)).encode())
            sizes["md"] = len(timed("md", lambda s=synthesis: render_markdown(s)).encode())
            sizes["docx"] = len(timed("docx", lambda s=synthesis, p=pictures: render_docx(s, p)))
            sizes["pdf"] = len(timed("pdf", lambda s=synthesis, p=pictures: render_pdf(s, p)))
    print(json.dumps({
        "benchmark": "report_time",
        "seconds_median": {k: round(statistics.median(v), 3) for k, v in timings.items()},
        "bytes": sizes,
        "runs": args.runs,
        "included": result.summary.included,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": sys.platform},
    }))


if __name__ == "__main__":
    main()
