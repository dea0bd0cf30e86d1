"""The protocol file: schema, built-in protocol, exact query, errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.protocol import ProtocolError, builtin_names, load_protocol
from exoreview.protocol.loader import parse_protocol

SEED_QUERY = (
    '(("Exosomes"[MeSH Terms] OR "Extracellular Vesicles"[MeSH Terms] OR exosome[tiab] OR exosomes[tiab] '
    'OR "extracellular vesicle"[tiab] OR "extracellular vesicles"[tiab]) AND ("Esthetics"[MeSH Terms] '
    'OR "Cosmetic Techniques"[MeSH Terms] OR "Rejuvenation"[MeSH Terms] OR "Skin Aging"[MeSH Terms] '
    'OR "Hair"[MeSH Terms] OR "Alopecia"[MeSH Terms] OR "Hyperpigmentation"[MeSH Terms] '
    'OR "Cicatrix"[MeSH Terms] OR "Dermatology"[MeSH Terms] OR "Cosmetics"[MeSH Terms] '
    'OR "cosmetic dermatology"[tiab] OR "skin rejuvenation"[tiab] OR "hair growth"[tiab] '
    'OR "wrinkle reduction"[tiab] OR aesthetic[tiab] OR aesthetics[tiab] OR wrinkles[tiab] OR photoaging[tiab] '
    'OR "hair loss"[tiab] OR melasma[tiab] OR pigmentation[tiab])) '
    "AND free full text[sb] AND 2014/01/01:2024/12/31[dp]"
)

MINIMAL = """
name = "tiny"
title = "A tiny review"
question = "Does it work?"

[[sources]]
name = "pubmed"
query = "exosome[tiab]"
date_from = "2020"

[report]
title = "Tiny"
"""


def test_builtin_protocol_reproduces_the_seed_method() -> None:
    assert "exosome-aesthetics" in builtin_names()
    protocol = load_protocol("exosome-aesthetics")
    pubmed = protocol.source("pubmed")
    assert pubmed is not None
    assert pubmed.free_full_text and pubmed.date_from == "2014/01/01" and pubmed.date_to == "2024/12/31"
    assert pubmed.query_string() == SEED_QUERY
    assert {c.id for c in protocol.exclude} >= {"E1", "E2", "E3", "NR"}
    # The taxonomy is the built-in one the protocol extends, with every DOMAIN facet.
    assert {"indication", "ev_source", "isolation", "characterization", "design", "mechanism", "delivery",
            "safety"} <= set(protocol.taxonomy.facets)


def test_hash_ignores_layout_but_not_meaning() -> None:
    first = parse_protocol(MINIMAL)
    second = parse_protocol("\n\n# a comment\n" + MINIMAL.replace('query = "exosome[tiab]"', "query='exosome[tiab]'"))
    third = parse_protocol(MINIMAL.replace("exosome[tiab]", "exosomes[tiab]"))
    assert first.content_hash() == second.content_hash() != third.content_hash()


def test_query_string_adds_filters() -> None:
    source = parse_protocol(MINIMAL).sources[0]
    assert source.query_string() == "(exosome[tiab]) AND 2020:3000/12/31[dp]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL.replace('name = "pubmed"', 'name = "scopus"'), r"tiny.toml:\d+: field sources.0.name"),
        (MINIMAL.replace('date_from = "2020"', 'date_from = "last year"'), r"tiny.toml:9: field sources.0.date_from"),
        (MINIMAL.replace('question = "Does it work?"\n', ""), r"tiny.toml: field question: Field required"),
        (MINIMAL + "\nunknown_key = 1\n", r"tiny.toml:\d+: field report.unknown_key"),
        (MINIMAL.replace('title = "Tiny"', 'title = "Tiny'), r"tiny.toml: not valid TOML"),
    ],
)
def test_bad_protocol_names_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    with pytest.raises(ProtocolError, match=expected):
        load_protocol(path)


def test_unknown_protocol_name_lists_builtins() -> None:
    with pytest.raises(ProtocolError, match="built-ins: exosome-aesthetics"):
        load_protocol("no-such-protocol")


def test_protocol_extending_taxonomy_overrides_one_class(tmp_path: Path) -> None:
    text = MINIMAL + """
[taxonomy]
extends = "exosome-aesthetics"

[taxonomy.facets.indication.nail_disorders]
label = "Nail disorders"
patterns = ["\\\\bnail\\\\b", "onychomycosis"]
"""
    protocol = parse_protocol(text, "custom.toml")
    indications = protocol.taxonomy.classes("indication")
    assert "nail_disorders" in indications and "hair_loss" in indications
