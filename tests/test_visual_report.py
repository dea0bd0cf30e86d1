"""The demo's report checked as a person would: rendered by headless Chromium and by poppler.

Screenshots of the first screen (phone and desktop) and PNGs of the PDF's first pages are saved
under test-artifacts/ for a person to look at. The assertions: every figure has drawn content,
nothing is wider than the page at phone or desktop width, the PDF's first page says the corpus
is synthetic and no word runs off a PDF page.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from PIL import Image, ImageStat

from exoreview.demo.run import run_demo
from tests.report_tools import Browser, artifact, require_tool

pytestmark = pytest.mark.slow
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
MEASURE = """(() => {
  const d = document.documentElement;
  const outside = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > innerWidth + 1 && !e.closest('.table-wrap, .figure-wrap, details');
  }).slice(0, 10).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  const figures = [...document.querySelectorAll('figure')].map(f => {
    const r = f.getBoundingClientRect();
    return {id: f.id, x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, right: r.right};
  });
  const images = [...document.images].map(i => ({width: i.naturalWidth, shown: i.getBoundingClientRect().width}));
  return {scrollWidth: d.scrollWidth, innerWidth: innerWidth, outside, figures, images};
})()"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("chromium", "chromium-browser", "google-chrome")
    out = tmp_path_factory.mktemp("visual") / "demo"
    run_demo(out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    running = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield running
    running.close()


def _drawn(image: Image.Image) -> tuple[float, float]:
    """(grey-level standard deviation, share of pixels that are not near-white)."""
    grey = image.convert("L")
    histogram = grey.histogram()
    inked = sum(histogram[:230]) / max(1, sum(histogram))
    return ImageStat.Stat(grey).stddev[0], inked


@pytest.mark.parametrize("device", list(WIDTHS))
def test_page_fits_the_screen_and_every_figure_has_drawn_content(demo: Path, browser: Browser, device: str) -> None:
    width, height = WIDTHS[device]
    browser.open((demo / "report.html").as_uri(), width, height, mobile=device == "phone")
    m = browser.evaluate(MEASURE)
    assert m["innerWidth"] == width
    assert m["scrollWidth"] <= m["innerWidth"], f"page is {m['scrollWidth']} px wide at {width} px: {m['outside']}"
    assert not m["outside"], m["outside"]
    assert len(m["images"]) == 4 and all(i["width"] > 0 and i["shown"] > 0 for i in m["images"]), m["images"]

    with Image.open(browser.screenshot(artifact(f"report-{device}.png"))) as image:
        assert image.size == (width, height)
        stddev, inked = _drawn(image)
    assert stddev > 20 and inked > 0.03, (stddev, inked)

    assert [f["id"] for f in m["figures"]] == ["figure-prisma", "figure-evidence-map", "figure-design-by-year",
                                               "figure-methods", "figure-misev"]
    for figure in m["figures"]:
        assert figure["width"] > 0 and figure["height"] > 50 and figure["right"] <= width + 1, figure
        clip = {k: figure[k] for k in ("x", "y", "width", "height")}
        shot = browser.screenshot(artifact(f"{device}-{figure['id']}.png"), clip=clip)
        with Image.open(shot) as image:
            stddev, inked = _drawn(image)
        assert stddev > 15 and inked > 0.02, (figure["id"], stddev, inked)

    # The reporting items and one study's appraisal, item by item: saved for a person to look at; the study's
    # items must read without sideways scrolling (on a phone they stack), the item summary may scroll in its frame.
    for name, selector in (("misev-items", "#misev-items"), ("misev-study", "div.appraisal[data-score]")):
        box = browser.evaluate(f"""(() => {{
          const e = document.querySelector('{selector}');
          const wrap = e.querySelector('.table-wrap') || e.closest('.table-wrap');
          const r = e.getBoundingClientRect();
          return {{x: r.left + scrollX, y: r.top + scrollY, width: Math.min(r.width, innerWidth),
                   height: Math.min(r.height, 1600), scrolls: wrap.scrollWidth > wrap.clientWidth + 1}};
        }})()""")
        assert box["width"] > 0 and box["height"] > 100, (name, box)
        if name == "misev-study":
            assert not box["scrolls"], f"a study's appraisal scrolls sideways at {width} px"
        clip = {k: box[k] for k in ("x", "y", "width", "height")}
        with Image.open(browser.screenshot(artifact(f"{device}-{name}.png"), clip=clip)) as image:
            stddev, inked = _drawn(image)
        assert stddev > 15 and inked > 0.02, (name, stddev, inked)


def test_figure_files_are_drawn(demo: Path) -> None:
    """The PNG files the documents embed are drawn too, not blank canvases."""
    pngs = sorted((demo / "figures").glob("*.png"))
    assert [p.stem for p in pngs] == ["design-by-year", "evidence-map", "methods", "misev", "prisma"]
    for png in pngs:
        with Image.open(png) as image:
            stddev, inked = _drawn(image)
        assert stddev > 15 and inked > 0.01, (png.name, stddev, inked)


def test_pdf_pages_render_and_nothing_runs_off_the_page(demo: Path, tmp_path: Path) -> None:
    require_tool("pdftoppm")
    pdf = demo / "report.pdf"
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "70", "-f", "1", "-l", "3", "-png", str(pdf), str(prefix)], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    for k, page in enumerate(pages, start=1):
        target = artifact(f"report-pdf-page-{k}.png")
        target.write_bytes(page.read_bytes())
        with Image.open(page) as image:
            stddev, inked = _drawn(image)
        assert stddev > 15 and inked > 0.01, (page.name, stddev, inked)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "SYNTHETIC DATA: NOT EVIDENCE" in first and "generated by" in " ".join(first.split())
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= 5  # two header lines, then one line per embedded image
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    doc = lxml.html.fromstring(boxes.encode("utf-8"))
    offside = []
    for page in doc.iter("page"):
        page_width = float(page.get("width"))
        offside += [w.text for w in page.iter("word") if float(w.get("xmax")) > page_width + 0.5
                    or float(w.get("xmin")) < -0.5]
    assert not offside, offside[:10]


def test_demo_writes_every_format_the_figures_and_the_exports(demo: Path) -> None:
    for name in ("report.html", "report.md", "report.docx", "report.pdf", "included-studies.ris",
                 "included-studies.bib", "figures/prisma.svg"):
        assert (demo / name).stat().st_size > 1000, name
    markdown = (demo / "report.md").read_text(encoding="utf-8")
    assert markdown.startswith("> **Synthetic data: not evidence.**")
    targets = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert len(targets) == 5 and all((demo / t).is_file() for t in targets), targets
