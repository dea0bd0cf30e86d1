"""A package from outside adds a source, a reader, a writer and a report format without any change to exoreview.

`tests/plugin_package` holds such a package as an installer leaves it (the module and its
`.dist-info` with the entry points); the commands run in a fresh process with it on the path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exoreview.plugins import Registry, UnknownPlugin

PLUGIN_PATH = Path(__file__).parent / "plugin_package"
EXOREVIEW = [sys.executable, "-m", "exoreview.cli.app"]


def _exoreview(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PLUGIN_PATH), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([*EXOREVIEW, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plugins")
    registry = root / "registry.json"
    registry.write_text(json.dumps([
        {"title": "Exosomes from adipose stem cells for skin ageing: a composed study in mice", "year": 2021,
         "doi": "10.5555/composed.plugin.1"},
        {"title": "Exosome serum for acne scars: a composed split-face trial", "year": 2022,
         "doi": "10.5555/composed.plugin.2"},
        {"title": "Platelet-rich plasma without vesicles: a composed trial", "year": 2020,
         "doi": "10.5555/composed.plugin.3"}]), encoding="utf-8")
    folder = root / "review"
    assert _exoreview("init", str(folder)).returncode == 0
    protocol = folder / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    text = re.sub(r"\[\[sources\]\].*?(?=# More sources)",
                  f'[[sources]]\nname = "composed-registry"\nquery = "exosome"\nbase_url = "file://{registry}"\n\n',
                  text, count=1, flags=re.DOTALL)
    text = re.sub(r"^formats = \[.*\]$", 'formats = ["html", "txt"]', text, count=1, flags=re.MULTILINE)
    assert 'formats = ["html", "txt"]' in text
    protocol.write_text(text, encoding="utf-8")
    return folder


def test_a_plugin_source_is_searched_and_its_report_format_written(review: Path) -> None:
    shown = _exoreview("protocol", "show", str(review / "protocol.toml"))
    assert shown.returncode == 0, shown.stderr
    assert "composed-registry" in shown.stdout and "matched in titles" in shown.stdout
    result = _exoreview("run", str(review))
    assert result.returncode == 0, result.stderr
    assert "Searching the composed registry: 2 match" in result.stdout + result.stderr
    assert "2 new records" in result.stdout and "Report (txt)" in result.stdout
    summary = (review / "report.txt").read_text(encoding="utf-8").splitlines()
    assert summary[1:] == ["Included studies: 2",
                           "- Exosomes from adipose stem cells for skin ageing: a composed study in mice",
                           "- Exosome serum for acne scars: a composed split-face trial"]
    assert "Composed registry" in (review / "report.html").read_text(encoding="utf-8")  # PRISMA names the source
    assert "Composed registry of skin studies" in (review / "search-log.md").read_text(encoding="utf-8")


def test_a_plugin_reader_and_writer_import_and_export(review: Path, tmp_path: Path) -> None:
    lines = tmp_path / "hand-search.lines.txt"
    lines.write_text("2019|Composed exosome gel for burns in rats\nnot a line of this format\n", encoding="utf-8")
    imported = _exoreview("import", str(lines), "--dir", str(review))
    assert imported.returncode == 2  # one entry skipped: named, the rest stored
    assert "1 records imported, 1 skipped" in imported.stdout and "line 2: expected 'year|title'" in imported.stdout
    out = tmp_path / "all.lines.txt"
    exported = _exoreview("export", str(review), "--all", "--format", "composed-lines", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "2019|Composed exosome gel for burns in rats" in out.read_text(encoding="utf-8").splitlines()


def test_a_name_no_plugin_answers_to_is_bad_input_listing_the_known_ones() -> None:
    shapes: Registry[str] = Registry("exoreview.composed-nothing", "shape")
    shapes.register("circle", "string:ascii_letters")
    assert shapes.get("circle") == "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    with pytest.raises(UnknownPlugin, match=r"unknown shape 'square'; known: circle"):
        shapes.get("square")
    assert UnknownPlugin.exit_code == 2


def test_without_the_package_its_names_are_refused(tmp_path: Path) -> None:
    protocol = tmp_path / "protocol.toml"
    protocol.write_text('name = "x"\ntitle = "x"\nquestion = "x"\n[[sources]]\nname = "composed-registry"\n'
                        'query = "x"\n[report]\ntitle = "x"\n', encoding="utf-8")
    result = subprocess.run([*EXOREVIEW, "protocol", "show", str(protocol)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "no source named 'composed-registry'" in result.stderr and "pubmed" in result.stderr
