"""PubMed query parsing, translation and evaluation over a small invented corpus.

All record text below is made up for these tests; only MeSH names and UIs are real.
"""

from __future__ import annotations

import random

import pytest

from exoreview.eutils.index import RecordIndex
from exoreview.eutils.query import FIELD_TAGS, BoolOp, DateRange, QuerySyntaxError, Term, parse
from exoreview.mesh import MeshTree
from exoreview.records import (
    AbstractSection,
    Author,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

# -- parsing ----------------------------------------------------------------------------


def t(text: str, tag: str | None = None, quoted: bool = False) -> Term:
    return Term(text, tag, quoted)


def test_operators_bind_left_to_right() -> None:
    assert parse("a OR b AND c") == BoolOp("AND", BoolOp("OR", t("a"), t("b")), t("c"))
    assert parse("a AND b OR c") == BoolOp("OR", BoolOp("AND", t("a"), t("b")), t("c"))
    assert parse("a NOT b OR c") == BoolOp("OR", BoolOp("NOT", t("a"), t("b")), t("c"))


def test_parentheses_override_and_nest() -> None:
    assert parse("a OR (b AND c)") == BoolOp("OR", t("a"), BoolOp("AND", t("b"), t("c")))
    nested = parse("((a OR b) AND (c OR (d NOT e)))")
    assert nested == BoolOp(
        "AND", BoolOp("OR", t("a"), t("b")), BoolOp("OR", t("c"), BoolOp("NOT", t("d"), t("e")))
    )
    assert isinstance(nested, BoolOp) and nested.grouped
    assert parse("(a)") == t("a")


def test_operators_are_case_insensitive() -> None:
    assert parse("a or b and c") == BoolOp("AND", BoolOp("OR", t("a"), t("b")), t("c"))
    assert parse('a AND "not"[ti]') == BoolOp("AND", t("a"), t("not", "ti", quoted=True))
    assert parse("a Not b") == BoolOp("NOT", t("a"), t("b"))


def test_implicit_and_between_adjacent_terms() -> None:
    assert parse("a[ti] b[ti]") == BoolOp("AND", t("a", "ti"), t("b", "ti"))
    assert parse('"skin aging" wrinkles') == BoolOp("AND", t("skin aging", quoted=True), t("wrinkles"))
    assert parse("(a) (b)") == BoolOp("AND", t("a"), t("b"))


def test_tag_binds_to_the_whole_run_of_words() -> None:
    assert parse("skin aging[tiab]") == t("skin aging", "tiab")
    assert parse("a OR hair growth[tiab]") == BoolOp("OR", t("a"), t("hair growth", "tiab"))
    assert parse("free full text[sb]") == t("free full text", "sb")
    assert parse('"skin aging" [TIAB]') == t("skin aging", "tiab", quoted=True)
    assert parse("skin aging") == t("skin aging")  # untagged run: mapped later


@pytest.mark.parametrize(("tag", "key"), sorted((k, v) for k, v in FIELD_TAGS.items() if v != "dp"))
def test_every_field_tag(tag: str, key: str) -> None:
    assert parse(f"exosomes[{tag}]") == t("exosomes", key)
    assert parse(f"exosomes[{tag.upper()}]") == t("exosomes", key)


def test_long_tags_with_odd_spacing() -> None:
    assert parse("exosomes[MeSH  Terms]") == t("exosomes", "mh")
    assert parse("exosomes[MeSH Major Topic]") == t("exosomes", "majr")
    assert parse("exosomes[mesh:noexp]") == t("exosomes", "mh_noexp")


def test_parse_truncation() -> None:
    term = parse("rejuvenat*[tiab]")
    assert term == t("rejuvenat*", "tiab") and isinstance(term, Term) and term.truncated
    assert parse('"skin rejuv*"[tiab]') == t("skin rejuv*", "tiab", quoted=True)


@pytest.mark.parametrize(
    ("query", "start", "end", "label"),
    [
        ("2019[dp]", "2019/01/01", "2019/12/31", "2019"),
        ("2024/02[dp]", "2024/02/01", "2024/02/29", "2024/02"),
        ("2014:2024[dp]", "2014/01/01", "2024/12/31", ""),
        ("2014/01/01:2024/12/31[dp]", "2014/01/01", "2024/12/31", ""),
        ("2014/3:2015/6[Date - Publication]", "2014/03/01", "2015/06/30", ""),
        ('"2014/01/01"[PDAT] : "2024/12/31"[PDAT]', "2014/01/01", "2024/12/31", ""),
    ],
)
def test_parse_date_ranges(query: str, start: str, end: str, label: str) -> None:
    assert parse(query) == DateRange(start, end, label)


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("(exosomes OR skin", 0, "'(' is never closed"),
        ("a AND (b OR (c)", 6, "'(' is never closed"),
        ("exosomes)", 8, "')' without '('"),
        ("exosomes[foo]", 8, "unknown field tag [foo]"),
        ("exosomes AND", 9, "dangling operator AND"),
        ("OR exosomes", 0, "dangling operator OR"),
        ("a AND OR b", 2, "dangling operator AND"),
        ("(a NOT) b", 3, "dangling operator NOT"),
        ("a AND ()", 6, "empty parentheses"),
        ('"skin aging', 0, "unbalanced quote"),
        ("skin[tiab", 4, "unclosed field tag"),
        ("a]", 1, "unexpected ']'"),
        ("[tiab]", 0, "has no term before it"),
        ("ski*n[ti]", 3, "only at the end of a word"),
        ("skin* aging[ti]", 4, "last word of a phrase"),
        ("*[ti]", 0, "needs a word stem"),
        ("2019/13[dp]", 0, "invalid month"),
        ("2019:20x[dp]", 5, "invalid date"),
        ("a : b", 2, "unexpected ':'"),
        ('""[ti]', 0, "empty phrase"),
    ],
)
def test_syntax_errors_have_positions(query: str, position: int, reason: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caught.value.position == position
    assert reason in caught.value.reason
    assert f"position {position}" in str(caught.value)


# -- an invented corpus ----------------------------------------------------------------


def rec(pmid: str, title: str, date: tuple[int, ...], **fields: object) -> Record:
    abstract = fields.pop("abstract", "")
    record = Record(pmid=pmid, title=title, pub_date=PubDate(*date), **fields)  # type: ignore[arg-type]
    if abstract:
        record.abstract = [AbstractSection(str(abstract))]
    return record


def mh(name: str, ui: str, major: bool = False, *qualifiers: str) -> MeshHeading:
    return MeshHeading(name, ui, major, [MeshQualifier(q) for q in qualifiers])


JOURNAL = Journal(title="Journal of Imaginary Dermatology", iso_abbreviation="J Imag Dermatol")
HUMANS, MICE = mh("Humans", "D006801"), mh("Mice", "D051379")

CORPUS = [
    rec("101", "Vesicle serum from adipose stem cells smooths skin wrinkles", (2021, 5, 3),
        abstract="In a split-face trial the topical serum reduced wrinkle depth.",
        mesh=[mh("Exosomes", "D055354", True, "therapeutic use"), mh("Skin Aging", "D015595"), HUMANS],
        publication_types=[PublicationType("Randomized Controlled Trial")], languages=["eng"],
        authors=[Author("Smith", "Jane A", "JA")], journal=JOURNAL, free_full_text=True),
    rec("102", "Secreted particles promote hair growth in mice", (2019, 11),
        abstract="Dermal papilla cells treated with the particles entered anagen early.",
        mesh=[mh("Extracellular Vesicles", "D000067128", True), mh("Alopecia", "D000505"), MICE],
        publication_types=[PublicationType("Journal Article")], languages=["eng"],
        authors=[Author("Smithson", "Bo", "B")], free_full_text=True),
    rec("103", "An overview of cosmetic dermatology", (2013, 2, 1), keywords=["skin rejuvenation"],
        mesh=[mh("Cosmetics", "D003358")], publication_types=[PublicationType("Review")],
        languages=["eng"], free_full_text=True),
    rec("104", "Vesicles lighten hyperpigmented patches", (2024, 12, 31),
        mesh=[mh("Melanosis", "D008548")], languages=["fre"], free_full_text=False),
    rec("105", "Skin rejuvenation after fractional laser", (2025, 1, 1),
        abstract="Extracellular vesicles were applied after each session.", languages=["eng"],
        free_full_text=True),
    rec("106", "Rejuvenating effects of a platelet lysate", (2021, 5, 3), languages=["eng"],
        free_full_text=True),
    rec("107", "Café-au-lait macules in a cohort", (2016, 7, 9), authors=[Author("Müller", "Karl", "K")],
        languages=["ger"]),
    rec("108", "Laser resurfacing outcomes", (2019,), keywords=["laser", "skin", "rejuvenation"],
        languages=["eng"], free_full_text=True),
    rec("109", "Exosomes in plasma as tumour markers", (2020, 3, 3),
        mesh=[mh("Exosomes", "D055354")], languages=["eng"], free_full_text=True),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> RecordIndex:
    return RecordIndex(CORPUS, mesh=MeshTree.demo())


def found(index: RecordIndex, query: str) -> set[str]:
    return set(index.search(query))


def test_seed_review_query(index: RecordIndex) -> None:
    query = (
        '(exosomes[mh] OR exosomes[tiab] OR extracellular vesicles[mh] OR "extracellular vesicles"[tiab]) '
        "AND (esthetics[mh] OR cosmetic dermatology[tiab] OR skin rejuvenation[tiab] OR hair growth[tiab] "
        "OR wrinkle*[tiab] OR skin aging[mh] OR alopecia[mh]) "
        "AND free full text[sb] AND 2014/01/01:2024/12/31[dp]"
    )
    # 103 is from 2013, 104 not free, 105 from 2025, 109 not about skin or hair.
    assert index.search(query) == ["101", "102"]
    assert index.count(query) == 2


def test_phrases(index: RecordIndex) -> None:
    assert found(index, '"skin wrinkles"[ti]') == {"101"}
    assert found(index, '"wrinkles skin"[ti]') == set()
    # 108 has "skin" and "rejuvenation" as separate keywords: no phrase across them.
    assert found(index, '"skin rejuvenation"[tiab]') == {"103", "105"}
    assert found(index, "skin rejuvenation[tiab]") == {"103", "105"}
    assert found(index, '"extracellular vesicles"[ab]') == {"105"}
    assert found(index, '"extracellular vesicles"[ti]') == set()


def test_diacritics_and_hyphens(index: RecordIndex) -> None:
    assert found(index, "café-au-lait[ti]") == {"107"}
    assert found(index, '"cafe au lait"[ti]') == {"107"}
    assert found(index, "lait[ti]") == {"107"}
    assert found(index, "muller k[au]") == {"107"}
    assert found(index, "split-face[tiab]") == {"101"}


def test_truncation(index: RecordIndex) -> None:
    assert found(index, "rejuvenat*[tiab]") == {"103", "105", "106", "108"}
    assert found(index, "rejuvenat*[ti]") == {"105", "106"}
    assert found(index, '"skin rejuv*"[tiab]') == {"103", "105"}
    assert found(index, "hyperpigment*") == {"104"}
    assert found(index, "exosom*[mh]") == {"101", "109"}


def test_date_ranges(index: RecordIndex) -> None:
    assert found(index, "2019[dp]") == {"102", "108"}  # 108 has a year only
    assert found(index, "2024/12/31[dp]") == {"104"}
    assert found(index, "2019/11[dp]") == {"102"}
    in_range = found(index, "2014:2024[dp]")
    assert in_range == {r.pmid for r in CORPUS} - {"103", "105"}
    assert found(index, "2025/01/01:2025/01/01[dp]") == {"105"}
    assert found(index, "2030:2040[dp]") == set()


def test_free_full_text_subset(index: RecordIndex) -> None:
    assert found(index, "free full text[sb]") == {r.pmid for r in CORPUS if r.free_full_text}
    assert found(index, '"free full text"[Filter]') == found(index, "free full text[sb]")
    assert found(index, "vesicles[ti] NOT free full text[sb]") == {"104"}
    assert found(index, "hasabstract[sb]") == {"101", "102", "105"}
    assert found(index, "nonsense subset[sb]") == set()


def test_mesh_explosion(index: RecordIndex) -> None:
    assert found(index, "extracellular vesicles[mh]") == {"101", "102", "109"}  # Exosomes lies beneath
    assert found(index, "extracellular vesicles[mesh:noexp]") == {"102"}
    assert found(index, "hyperpigmentation[MeSH Terms]") == {"104"}  # via Melanosis
    assert found(index, "D055354[mh]") == {"101", "109"}
    # Mice is beneath Animals, and so are Humans (B01.050...), exactly as in PubMed.
    assert found(index, "animals[mh]") == {"101", "102"}


def test_major_topic(index: RecordIndex) -> None:
    assert found(index, "exosomes[majr]") == {"101"}  # 101's star is on a qualifier
    assert found(index, "extracellular vesicles[majr]") == {"101", "102"}
    assert found(index, "extracellular vesicles[majr:noexp]") == {"102"}
    assert found(index, "alopecia[majr]") == set()


def test_publication_type_language_journal_pmid(index: RecordIndex) -> None:
    assert found(index, "review[pt]") == {"103"}
    assert found(index, "randomized controlled trial[Publication Type]") == {"101"}
    assert found(index, "french[la]") == found(index, "fre[la]") == {"104"}
    assert found(index, "German[Language]") == {"107"}
    assert len(found(index, "english[la]")) == 7
    assert found(index, "journal of imaginary dermatology[ta]") == {"101"}
    assert found(index, "J Imag Dermatol[Journal]") == {"101"}
    assert found(index, "102[pmid] OR 109[uid] OR 999[pmid]") == {"102", "109"}


def test_authors(index: RecordIndex) -> None:
    assert found(index, "smith j[au]") == {"101"}  # Smith JA, not Smithson B
    assert found(index, "smith[au]") == {"101"}
    assert found(index, "smith*[au]") == {"101", "102"}
    assert found(index, "smithson b[Author]") == {"102"}
    assert found(index, '"smith j"[au]') == set()  # quotes switch off initial completion
    assert found(index, '"smith ja"[au]') == {"101"}
    assert found(index, "smith jane[au]") == {"101"}


def test_untagged_terms_search_all_fields_and_map_to_mesh(index: RecordIndex) -> None:
    assert found(index, "alopecia") == {"102"}  # only in MeSH
    assert found(index, "smithson") == {"102"}  # author names are in All Fields
    assert found(index, "imaginary") == {"101"}  # so are journal titles
    assert found(index, "therapeutic") == {"101"}  # and MeSH qualifiers
    assert found(index, "exosomes") == {"101", "109"}
    assert found(index, "hair mice") == {"102"}
    assert found(index, "cosmetics[tw]") == {"103"}
    assert found(index, "smithson[tw]") == set()  # [tw] leaves out authors


def test_not_and_grouping(index: RecordIndex) -> None:
    assert found(index, "vesicles[tiab] NOT mice[mh]") == {"104", "105"}
    assert found(index, "skin[tiab] NOT (laser[tiab] OR review[pt])") == {"101"}
    assert found(index, "laser[tiab] OR skin[tiab] AND 2025[dp]") == {"105"}  # left to right
    assert found(index, "laser[tiab] OR (skin[tiab] AND 2025[dp])") == {"105", "108"}


def test_most_recent_first(index: RecordIndex) -> None:
    # 106 and 101 share a date: higher PMID first.
    assert index.search("2014:2030[dp]") == ["105", "104", "106", "101", "109", "102", "108", "107"]
    assert index.search(parse("rejuvenat*[tiab]")) == ["105", "106", "108", "103"]


def test_translation(index: RecordIndex) -> None:
    assert index.translate("exosomes[mh] AND skin aging[tiab]") == (
        '"exosomes"[MeSH Terms] AND "skin aging"[Title/Abstract]'
    )
    assert index.translate("exosomes") == '"exosomes"[MeSH Terms] OR "exosomes"[All Fields]'
    assert index.translate("vesicles AND (alopecia OR rejuvenat*[tiab])") == (
        '"vesicles"[All Fields] AND (("alopecia"[MeSH Terms] OR "alopecia"[All Fields]) '
        "OR rejuvenat*[Title/Abstract])"
    )
    assert index.translate("skin aging") == (
        '"skin aging"[MeSH Terms] OR ("skin"[All Fields] AND "aging"[All Fields]) OR "skin aging"[All Fields]'
    )
    assert index.translate("free full text[sb] AND 2014:2024[dp] AND 2019[dp] NOT review[pt]") == (
        '"free full text"[Filter] AND 2014/01/01:2024/12/31[Date - Publication] '
        'AND "2019"[Date - Publication] NOT "review"[Publication Type]'
    )
    assert index.translate("smith j[au] AND eng[la] AND exosomes[majr]") == (
        '"smith j"[Author] AND "eng"[Language] AND "exosomes"[MeSH Major Topic]'
    )


def test_explosion_with_the_full_2017_tree(shared) -> None:
    full = RecordIndex(CORPUS, mesh=MeshTree.from_tsv(shared("data", "mesh", "2017MeshTree.tsv")))
    assert found(full, "extracellular vesicles[mh]") == {"101", "102", "109"}
    assert found(full, "skin diseases[mh]") == {"102", "104"}  # Alopecia, Melanosis beneath
    assert found(full, "skin aging[mh] OR cosmetics[mh]") == {"101", "103"}
    assert full.translate("skin diseases") == (
        '"skin diseases"[MeSH Terms] OR ("skin"[All Fields] AND "diseases"[All Fields]) '
        'OR "skin diseases"[All Fields]'
    )


def test_stray_punctuation_is_ignored(index: RecordIndex) -> None:
    assert found(index, "hair - mice") == {"102"}


def test_without_a_tree_mesh_matches_by_name_only() -> None:
    plain = RecordIndex(CORPUS)
    assert found(plain, "extracellular vesicles[mh]") == {"102"}
    assert found(plain, "exosomes[mh]") == {"101", "109"}
    assert found(plain, "alopecia") == {"102"}  # mapped with the names seen in records
    assert plain.translate("alopecia") == '"alopecia"[MeSH Terms] OR "alopecia"[All Fields]'


def test_add_replaces_and_deletes() -> None:
    index = RecordIndex(CORPUS[:3], mesh=MeshTree.demo())
    assert found(index, "wrinkles[ti]") == {"101"}
    index.add([rec("101", "Revised title about scalp care", (2022, 1, 1)), CORPUS[5]])
    assert found(index, "wrinkles[ti]") == set()
    assert found(index, "scalp[ti]") == {"101"}
    assert index.search("2014:2030[dp]") == ["101", "106", "102"]
    assert len(index) == 4 and index.get("101").title.startswith("Revised")
    index.add([Record(pmid="102", kind="deleted")])
    assert "102" not in index and found(index, "hair[ti]") == set()


def test_spelling(index: RecordIndex) -> None:
    assert index.spell("exosmoes wrinkels") == "exosomes wrinkles"
    assert index.spell("vesicels[tiab] AND hair") == "vesicles[tiab] AND hair"
    assert index.spell("skin AND laser") == "skin AND laser"  # all known: unchanged
    assert index.spell("rejuvenat*") == "rejuvenat*"  # a stem is not a typo
    assert index.spell("zzzzqqqq") == "zzzzqqqq"  # nothing within two edits


def test_agrees_with_brute_force_on_random_corpus() -> None:
    """Phrases, truncation and booleans against a naive scan of a random invented corpus."""
    rng = random.Random(20240601)
    vocabulary = ["alpha", "alps", "beta", "gamma", "gammon", "delta", "skin", "hair", "vesicle", "vesicles"]
    titles = {str(1000 + i): " ".join(rng.choices(vocabulary, k=rng.randint(0, 9))) for i in range(400)}
    index = RecordIndex(rec(pmid, title, (2000 + int(pmid) % 20,)) for pmid, title in titles.items())

    def has_phrase(title: str, words: list[str], prefix: bool) -> bool:
        tokens = title.split()
        for i in range(len(tokens) - len(words) + 1):
            window = tokens[i : i + len(words)]
            if window[:-1] == words[:-1] and (
                window[-1] == words[-1] or (prefix and window[-1].startswith(words[-1]))
            ):
                return True
        return False

    for _ in range(150):
        words = rng.choices(vocabulary, k=rng.randint(1, 3))
        prefix = rng.random() < 0.3
        if prefix:
            words[-1] = words[-1][: rng.randint(2, len(words[-1]))]
        query = '"' + " ".join(words) + ("*" if prefix else "") + '"[ti]'
        expected = {p for p, title in titles.items() if has_phrase(title, words, prefix)}
        assert set(index.search(query)) == expected, query

    def with_word(word: str) -> set[str]:
        return {p for p, title in titles.items() if word in title.split()}

    assert set(index.search("skin[ti] AND hair[ti] NOT beta[ti]")) == (
        with_word("skin") & with_word("hair") - with_word("beta")
    )
    assert set(index.search("skin[ti] OR hair[ti] AND beta[ti]")) == (
        (with_word("skin") | with_word("hair")) & with_word("beta")
    )
    ordered = index.search("2000:2019[dp]")
    assert ordered == sorted(titles, key=lambda p: (2000 + int(p) % 20, int(p)), reverse=True)
