"""Fuzzing at the user's edge: `exoreview import` on any file, damaged exports never merge two records, and the
protocol loader on damaged protocols.

- `import` of any bytes under any format's name exits 0 (every entry stored) or 2 (the file and each skipped
  entry named), and never raises;
- a file that lost or repeated a line gives back only records whose title, PMID and authors all come from one
  and the same original record: a damaged entry is skipped or read short, never glued to its neighbour;
- a damaged protocol loads, or fails with a ProtocolError that names the file; a protocol that loads also
  builds its classifier and its screening criteria, or fails the same way.

Examples per property: 40 (deterministic, for CI). EXOREVIEW_FUZZ_EXAMPLES=5000 runs more, fresh each run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exoreview.classify import StudyClassifier
from exoreview.cli import app as cli_app
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.export import EXPORT_FORMATS, write_records
from exoreview.formats.pubmed import write_pubmed_xml
from exoreview.imports import read_file
from exoreview.protocol.loader import parse_protocol
from exoreview.protocol.model import ProtocolError
from exoreview.records import Author, PubDate, Record
from exoreview.results import ELIGIBILITY, TITLE_ABSTRACT
from exoreview.screen.rules import CriteriaRules

_FUZZ = os.environ.get("EXOREVIEW_FUZZ_EXAMPLES")
PROPERTY = settings(max_examples=int(_FUZZ or 40), derandomize=not _FUZZ, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# -- `exoreview import` on anything ------------------------------------------------------------------------------

_NAMES = ["input.ris", "input.nbib", "input.txt", "input.xml", "input.bib", "input.csv", "input.json", "input"]
_TAGGED = "TYERAUTIPMIDFAU -\n{}@,;\"[]:<>/=01abc<PubmedArticle>"


@pytest.fixture(scope="module")
def review_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "review"
    assert cli_app.main(["init", str(folder)]) == 0
    return folder


def _run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and everything printed; an exception escaping `main` fails the test (a traceback)."""
    capsys.readouterr()
    code = cli_app.main(argv)
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def test_import_of_any_file_exits_0_or_2_and_names_the_file(review_folder: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    @PROPERTY
    @given(st.sampled_from(_NAMES), st.one_of(st.binary(max_size=300),
                                              st.text(alphabet=_TAGGED, max_size=300).map(str.encode)))
    def any_file(name: str, data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            code, printed = _run_cli(["import", str(path), "--dir", str(review_folder)], capsys)
        assert code in (0, 2), printed
        if code == 2:
            assert name in printed and "error" in printed.lower(), printed
        else:
            assert "skipped" not in printed and "records imported" in printed, printed

    any_file()


def test_a_file_that_is_not_there_or_a_folder_exits_2(review_folder: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    for target in (tmp_path / "missing.ris", tmp_path):
        code, printed = _run_cli(["import", str(target), "--dir", str(review_folder)], capsys)
        assert code == 2 and target.name in printed, printed


# -- damaged exports never merge two records ---------------------------------------------------------------------

def _originals(n: int) -> list[Record]:
    # Every field that could leak into a neighbour is unique to its record, so a merge shows.
    return [Record(pmid=str(7_100_000 + i), title=f"Composed title {chr(65 + i) * 3} of record {i}",
                   authors=[Author(last_name=f"Surname{chr(65 + i)}", fore_name="Ann", initials="A"),
                            Author(last_name=f"Other{chr(65 + i)}", fore_name="Ben", initials="B")],
                   pub_date=PubDate(2010 + i, 1 + i, None), doi=f"10.5555/composed.{i}")
            for i in range(n)]


_WRITERS = {fmt: suffix for fmt, suffix in EXPORT_FORMATS.items()} | {"pubmed-xml": ".xml"}


def _written(fmt: str, records: list[Record]) -> str:
    if fmt == "pubmed-xml":
        return write_pubmed_xml(records).decode("utf-8")
    return write_records(records, fmt, [True] * len(records))


def _owner(record: Record, originals: list[Record]) -> Record | None:
    for original in originals:
        if record.title and record.title == original.title:
            return original
        if record.pmid and record.pmid == original.pmid:
            return original
    return None


@pytest.mark.parametrize("fmt", sorted(_WRITERS))
def test_a_lost_or_repeated_line_never_merges_two_records(fmt: str) -> None:
    @PROPERTY
    @given(st.integers(2, 4), st.lists(st.tuples(st.sampled_from(["drop", "repeat", "blank"]), st.floats(0, 1)),
                                       min_size=1, max_size=2))
    def damaged(n: int, edits: list[tuple[str, float]]) -> None:
        originals = _originals(n)
        lines = _written(fmt, originals).split("\n")
        for action, where in edits:
            at = min(int(where * len(lines)), len(lines) - 1)
            lines[at:at + 1] = {"drop": [], "repeat": [lines[at], lines[at]], "blank": [""]}[action]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"export-all{_WRITERS[fmt]}"
            path.write_text("\n".join(lines), encoding="utf-8")
            errors: list[MalformedRecord] = []
            with contextlib.suppress(MalformedRecord):  # a file it cannot read at all: allowed
                back = read_file(path, errors, fmt={"nbib": "medline"}.get(fmt, fmt))
                for record in back:
                    _assert_from_one_original(record, originals)
        assert all(isinstance(e, MalformedRecord) for e in errors)

    damaged()


def _assert_from_one_original(record: Record, originals: list[Record]) -> None:
    owner = _owner(record, originals)
    surnames = {a.last_name for a in record.authors if a.last_name}
    if owner is None:  # title and PMID both lost: whatever is left must still be one record's
        owners = {o.pmid for o in originals if surnames and surnames <= {a.last_name for a in o.authors}}
        assert not surnames or owners, (record.title, surnames)
        return
    assert not record.pmid or record.pmid == owner.pmid, (record.title, record.pmid)
    assert not record.title or record.title == owner.title, (record.pmid, record.title)
    assert surnames <= {a.last_name for a in owner.authors}, (record.title, surnames)
    assert not record.doi or record.doi == owner.doi, (record.title, record.doi)
    # A JSON file that lost one line of a date may still parse, with another number: never a neighbour's.
    others = {o.pub_date.year for o in originals if o is not owner}
    assert record.pub_date.year not in others, (record.title, record.pub_date)


# -- the protocol loader on damaged protocols ---------------------------------------------------------------------

_PROTOCOL = (resources.files("exoreview.protocol.builtin") / "exosome-aesthetics.toml").read_text(encoding="utf-8")
_PROTOCOL_LINES = _PROTOCOL.split("\n")
_VALUE_LINES = [n for n, line in enumerate(_PROTOCOL_LINES) if " = " in line and not line.lstrip().startswith("#")]
_TOML_VALUES = st.one_of(
    st.sampled_from(['""', '"("', '"[a-"', '"*"', '"(?P<x"', "0", "-1", "true", "[]", "[1, 2]", '["("]', "{}",
                     '"2024/13/45"', '"1999"', '"9999/99/99"', "1979-05-27", '"x" "y"', "[", '"\\u0000"']),
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'))


@st.composite
def damaged_protocols(draw: st.DrawFn) -> str:
    lines = list(_PROTOCOL_LINES)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "drop", "insert"]))
        if kind == "value":
            at = draw(st.sampled_from(_VALUE_LINES))
            key = lines[at].split(" = ", 1)[0]
            lines[at] = f"{key} = {draw(_TOML_VALUES)}"
        elif kind == "drop":
            del lines[draw(st.integers(0, len(lines) - 1))]
        else:
            lines.insert(draw(st.integers(0, len(lines))), draw(st.one_of(
                st.sampled_from(["[sources]", "[[sources]]", "unknown = 1", "[taxonomy.facets.design.x]",
                                 "patterns = ['(']", "[screening]", "name = 'again'", "[[criteria]]"]),
                st.text(max_size=30))))
    return "\n".join(lines)


def test_a_damaged_protocol_loads_or_fails_with_a_protocol_error_naming_the_file() -> None:
    @PROPERTY
    @given(damaged_protocols())
    def damaged(text: str) -> None:
        try:
            protocol = parse_protocol(text, "protocol.toml")
            StudyClassifier(protocol.taxonomy)
            for stage in (TITLE_ABSTRACT, ELIGIBILITY):
                CriteriaRules(protocol.exclude, stage, labeler=lambda record: [])
        except ProtocolError as exc:
            assert str(exc).startswith(("protocol.toml", "taxonomy")), str(exc)

    damaged()


def test_protocol_show_on_a_damaged_protocol_exits_0_or_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "protocol.toml"

    @PROPERTY
    @given(damaged_protocols())
    def shown(text: str) -> None:
        path.write_text(text, encoding="utf-8")
        code, printed = _run_cli(["protocol", "show", str(path)], capsys)
        assert code in (0, 2), printed
        assert code == 0 or "protocol.toml" in printed or "taxonomy" in printed, printed

    shown()


@pytest.mark.parametrize(("line", "expected"), [
    ('unless_any = ["("]', "unless_any"),
    ('title_any = ["[a-"]', "title_any"),
    ('requires_labels = ["indicaton"]', "no facet 'indicaton'"),
    ('excludes_labels = ["ev_role.biomarkr"]', "no class 'biomarkr' of facet 'ev_role'"),
])
def test_a_bad_pattern_or_label_in_a_criterion_is_a_protocol_error_at_its_line(line: str, expected: str) -> None:
    key = line.split(" = ")[0]
    lines = list(_PROTOCOL_LINES)
    at = next((n for n, text in enumerate(lines) if text.startswith(f"{key} = ")), None)
    if at is None:  # the protocol has no such line: add one to its first exclusion criterion
        at = next(n for n, text in enumerate(lines) if text.startswith("[[exclude]]")) + 1
        lines.insert(at, line)
    else:
        lines[at] = line
    with pytest.raises(ProtocolError) as caught:
        parse_protocol("\n".join(lines), "protocol.toml")
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"protocol.toml:{at + 1}:"), str(caught.value)


def test_a_bad_pattern_in_the_taxonomy_is_a_protocol_error() -> None:
    text = _PROTOCOL + '\n[taxonomy.facets.indication.composed_class]\nlabel = "Composed"\npatterns = ["(unclosed"]\n'
    with pytest.raises(ProtocolError, match="patterns"):
        parse_protocol(text, "protocol.toml")
