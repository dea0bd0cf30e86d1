"""The synthetic corpus: determinism, taxonomy coverage, noise, hand search, identifiers, speed."""

from __future__ import annotations

import collections
import re
import time
import tomllib
from importlib import resources
from typing import Any

import pytest

from exoreview.demo.corpus import DemoCorpus, demo_corpus, generate, iter_labelled, iter_records, truth_key
from exoreview.records import Record

_WORDS = re.compile(r"[^\W_]+")


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


@pytest.fixture(scope="module")
def demo() -> DemoCorpus:
    return demo_corpus()


def _truths(demo: DemoCorpus) -> list[dict[str, Any]]:
    return [demo.truth_of(r) for r in demo.pubmed]


# -- determinism and identity -----------------------------------------------------------


def test_same_seed_same_records_and_other_seed_other_records() -> None:
    first = [r.to_json() for r in generate(80, seed=11)]
    assert first == [r.to_json() for r in generate(80, seed=11)]
    assert first != [r.to_json() for r in generate(80, seed=12)]


def test_demo_corpus_is_deterministic(demo: DemoCorpus) -> None:
    again = demo_corpus()
    assert [r.to_json() for r in again.pubmed] == [r.to_json() for r in demo.pubmed]
    assert [r.to_json() for r in again.hand_search] == [r.to_json() for r in demo.hand_search]
    assert again.truth == demo.truth
    other = demo_corpus(seed=7)
    assert [r.title for r in other.pubmed] != [r.title for r in demo.pubmed]


def test_labelled_stream_holds_the_same_records() -> None:
    plain = [r.to_json() for r in iter_records(150, 3)]
    assert plain == [r.to_json() for r, _ in iter_labelled(150, 3)]


def test_every_record_is_synthetic_and_pmids_are_unique_and_reserved(demo: DemoCorpus) -> None:
    assert len(demo.pubmed) == 400
    assert all(r.synthetic for r in demo.pubmed + demo.hand_search)
    pmids = [r.pmid for r in demo.pubmed]
    assert len(set(pmids)) == len(pmids)
    assert all(int(p) >= 90_000_001 for p in pmids)
    assert all(r.doi.startswith("10.99999/exoreview-synthetic.") for r in demo.pubmed)
    assert all(r.pmcid == "" or (r.free_full_text and r.pmcid.startswith("PMC99")) for r in demo.pubmed)
    assert not any(r.pmid for r in demo.hand_search)


def test_start_pmid_shifts_identifiers() -> None:
    records = list(iter_records(5, 1, start_pmid=95_000_000))
    assert [r.pmid for r in records] == [str(95_000_000 + i) for i in range(5)]
    assert records[0].doi == "10.99999/exoreview-synthetic.95000000"


def test_titles_in_the_demo_are_distinct(demo: DemoCorpus) -> None:
    titles = [_norm(r.title) for r in demo.pubmed + demo.hand_search]
    pubmed_titles = titles[:400]
    assert len(set(pubmed_titles)) == 400


# -- ground truth and taxonomy coverage ---------------------------------------------------

EXPECTED: dict[str, set[str]] = {
    "indication": {"skin_rejuvenation", "hair_loss", "pigmentation", "scars", "wound_healing", "inflammatory_skin",
                   "post_procedure"},
    "condition": {"photoaging", "wrinkles", "androgenetic_alopecia", "alopecia_areata", "hair_growth", "melasma",
                  "hyperpigmentation", "vitiligo", "acne_scars", "hypertrophic_scars", "keloids", "diabetic_wounds",
                  "burns", "atopic_dermatitis", "psoriasis", "acne", "rosacea", "post_laser", "post_microneedling"},
    "ev_source": {"adipose_msc", "bone_marrow_msc", "umbilical_cord_msc", "wharton_jelly_msc", "placenta", "amnion",
                  "ipsc", "keratinocyte", "fibroblast", "dermal_papilla", "melanocyte", "platelet_prp", "plasma_serum",
                  "plant", "milk", "bacteria", "engineered", "synthetic_mimetic"},
    "isolation": {"differential_ultracentrifugation", "density_gradient", "size_exclusion_chromatography",
                  "polymer_precipitation", "ultrafiltration", "tangential_flow_filtration", "immunoaffinity",
                  "microfluidics", "af4"},
    "characterization": {"nta", "dls", "trps", "tem_cryoem", "nano_flow", "western_blot", "positive_cd9",
                         "positive_cd63", "positive_cd81", "positive_tsg101", "positive_alix", "positive_hsp70",
                         "positive_flotillin", "negative_calnexin", "negative_gm130", "negative_apoa1",
                         "protein_quantification", "particle_protein_ratio"},
    "design": {"in_vitro", "ex_vivo", "animal", "case_report", "case_series", "nonrandomized_trial", "split_face",
               "rct", "narrative_review", "systematic_review", "meta_analysis"},
    "species": {"mouse", "rat", "pig"},
    "mechanism": {"collagen_elastin", "fibroblast_proliferation_migration", "mmp_timp", "tgfb_smad", "pi3k_akt",
                  "erk_mapk", "wnt_beta_catenin", "anagen_prolongation", "angiogenesis_vegf", "antioxidant_ros",
                  "anti_inflammatory", "melanogenesis_inhibition", "microrna_cargo"},
    "delivery": {"topical", "microneedling", "fractional_laser", "intradermal_injection", "hydrogel_scaffold"},
    "safety": {"no_adverse_events", "adverse_events_reported", "serious_adverse_event"},
    "outcome": {"improved", "no_change", "worsened"},
}


@pytest.mark.parametrize("seed", [2025, 1])
def test_every_taxonomy_class_appears_in_included_records(seed: int) -> None:
    # Coverage must hold where it matters: records that pass the seed review's filters.
    demo = demo_corpus(seed)
    included = [t for t in _truths(demo) if t["include"] and t["has_abstract"]]
    for facet, expected in EXPECTED.items():
        seen: set[str] = set()
        for t in included:
            value = t[facet]
            seen.update(value if isinstance(value, list) else [value])
        assert expected <= seen, f"{facet}: missing {sorted(expected - seen)}"
    assert {t["ev_source_detail"] for t in included} >= {"ginseng", "grape", "aloe vera"}
    assert any(t["hedged"] for t in included) and any(not t["hedged"] for t in included)
    assert any(t["mechanism_negated"] for t in included) and any(t["mechanism_hedged"] for t in included)


def test_every_record_has_truth(demo: DemoCorpus) -> None:
    assert len(demo.truth) == len(demo.pubmed) + len(demo.hand_search)
    for record in demo.pubmed + demo.hand_search:
        assert truth_key(record) in demo.truth


def test_relevant_text_names_vesicles_and_hedges_where_truth_says(demo: DemoCorpus) -> None:
    for record in demo.pubmed:
        t = demo.truth_of(record)
        if not (t["relevant"] and record.abstract):
            continue
        text = record.abstract_text.casefold()
        assert "exosome" in text or "extracellular vesicle" in text, record.pmid
        conclusion = record.abstract[-1].text.split(". ")[-1] if len(record.abstract) > 1 else text
        if t["hedged"] and t["design"] not in ("narrative_review", "systematic_review", "meta_analysis"):
            assert " may " in text, record.pmid
        if t["outcome"] == "no_change":
            assert "did not" in text or "no meaningful" in text, (record.pmid, conclusion)


# -- noise ------------------------------------------------------------------------------------


def test_noise_proportions_in_a_larger_stream() -> None:
    truths = [t for _, t in iter_labelled(6000, 5)]
    n = len(truths)
    share = collections.Counter()
    for t in truths:
        share["irrelevant"] += not t["relevant"]
        share["no_abstract"] += not t["has_abstract"]
        share["non_english"] += t["language"] != "eng"
        share["outside_dates"] += not t["in_date_range"]
        share["free"] += t["free_full_text"]
        share["retracted"] += t["retracted"]
        share["notices"] += t["noise"] in ("retraction_notice", "erratum")
    assert 0.22 <= share["irrelevant"] / n <= 0.32
    assert 0.03 <= share["no_abstract"] / n <= 0.07
    assert 0.03 <= share["non_english"] / n <= 0.07
    assert 0.08 <= share["outside_dates"] / n <= 0.25
    assert 0.60 <= share["free"] / n <= 0.70
    assert share["retracted"] >= 20 and share["notices"] >= 60


def test_demo_noise(demo: DemoCorpus) -> None:
    truths = _truths(demo)
    irrelevant = [t for t in truths if not t["relevant"]]
    assert 80 <= len(irrelevant) <= 130
    kinds = collections.Counter(t["noise"] for t in irrelevant)
    assert {"off_topic_oncology", "off_topic_neurology", "aesthetic_without_ev"} <= set(kinds)
    assert sum(not r.abstract for r in demo.pubmed) >= 8
    foreign = [r for r in demo.pubmed if r.languages != ["eng"]]
    assert 10 <= len(foreign) <= 35
    assert {r.languages[0] for r in foreign} <= {"chi", "kor", "jpn", "ger"}
    assert all(r.vernacular_title and r.title.startswith("[") for r in foreign)
    years = [r.year or 0 for r in demo.pubmed]
    assert min(years) < 2014 and max(years) > 2024 and min(years) >= 2010


def test_retractions_and_errata_link_both_ways(demo: DemoCorpus) -> None:
    by_pmid = {r.pmid: r for r in demo.pubmed}
    retracted = [r for r in demo.pubmed if r.is_retracted]
    assert len(retracted) >= 2
    for record in retracted:
        assert any(p.name == "Retracted Publication" and p.ui == "D016441" for p in record.publication_types)
        (link,) = [c for c in record.corrections if c.ref_type == "RetractionIn"]
        notice = by_pmid[link.pmid]
        assert [(p.name, p.ui) for p in notice.publication_types] == [("Retraction of Publication", "D016440")]
        assert [(c.ref_type, c.pmid) for c in notice.corrections] == [("RetractionOf", record.pmid)]
        assert not demo.truth_of(record)["include"]
    errata = [r for r in demo.pubmed if any(p.name == "Published Erratum" for p in r.publication_types)]
    assert len(errata) >= 2
    for erratum in errata:
        assert erratum.publication_types[0].ui == "D016425"
        (link,) = erratum.corrections
        assert link.ref_type == "ErratumFor"
        assert any(c.ref_type == "ErratumIn" and c.pmid == erratum.pmid for c in by_pmid[link.pmid].corrections)


# -- identifiers used by the search ----------------------------------------------------------

PUBLICATION_TYPE_UIS = {
    "Journal Article": "D016428", "Review": "D016454", "Randomized Controlled Trial": "D016449",
    "Case Reports": "D002363", "Systematic Review": "D000078182", "Meta-Analysis": "D017418",
    "Clinical Trial": "D016430", "Retracted Publication": "D016441", "Retraction of Publication": "D016440",
    "Published Erratum": "D016425", "Comparative Study": "D003160", "English Abstract": "D004740",
    "Research Support, Non-U.S. Gov't": "D013485", "Congress": "D016423",
}
DESIGN_TYPES = {"rct": "Randomized Controlled Trial", "case_report": "Case Reports", "meta_analysis": "Meta-Analysis",
                "systematic_review": "Systematic Review", "narrative_review": "Review",
                "nonrandomized_trial": "Clinical Trial"}
DOMAIN_MESH = {
    "Exosomes": "D055354", "Extracellular Vesicles": "D000067128", "Esthetics": "D004954",
    "Cosmetic Techniques": "D003357", "Rejuvenation": "D012060", "Skin Aging": "D015595", "Hair": "D006197",
    "Alopecia": "D000505", "Hyperpigmentation": "D017495", "Melanosis": "D008548", "Cicatrix": "D002921",
    "Wound Healing": "D014945", "Collagen": "D003094", "Humans": "D006801", "Animals": "D000818",
    "Mice": "D051379", "Rats": "D051381", "Swine": "D013552", "Female": "D005260", "Male": "D008297",
}


def test_publication_types_match_designs(demo: DemoCorpus) -> None:
    for record in demo.pubmed + demo.hand_search:
        for pt in record.publication_types:
            assert PUBLICATION_TYPE_UIS[pt.name] == pt.ui
        design = demo.truth_of(record)["design"]
        if design in DESIGN_TYPES and record in demo.pubmed:
            assert DESIGN_TYPES[design] in {p.name for p in record.publication_types}, record.pmid


def test_mesh_identifiers(demo: DemoCorpus) -> None:
    used = {(h.descriptor, h.ui) for r in demo.pubmed for h in r.mesh}
    for name, ui in used:
        if name in DOMAIN_MESH:
            assert DOMAIN_MESH[name] == ui, name
    assert {"metabolism": "Q000378", "therapeutic use": "Q000627", "drug therapy": "Q000188"}.items() <= {
        (q.name, q.ui) for r in demo.pubmed for h in r.mesh for q in h.qualifiers}
    assert any(h.is_major for r in demo.pubmed for h in r.mesh)


@pytest.mark.shared
def test_mesh_descriptors_exist_in_the_2017_tree(shared, demo: DemoCorpus) -> None:
    rows = shared("data", "mesh", "2017MeshTree.tsv").read_text(encoding="utf-8-sig").splitlines()[1:]
    known = {(name, ui) for _, ui, name in (line.split("\t") for line in rows if line)}
    treeless = {("Female", "D005260"), ("Male", "D008297")}  # check tags without a tree position
    used = {(h.descriptor, h.ui) for r in demo.pubmed for h in r.mesh}
    assert used - known - treeless == set()


# The seed query: (Exosomes[MeSH] OR Extracellular Vesicles[MeSH] OR exosome(s)/extracellular vesicle(s)[tiab])
# AND (aesthetic descriptors[MeSH], exploded, OR aesthetic phrases[tiab]). Explosion is spelled out for the
# descendants the generator uses (Exosomes sits under Extracellular Vesicles).
EV_UIS = {"D055354", "D000067128"}
AESTHETIC_UIS = {"D004954", "D003357", "D012060", "D015595", "D006197", "D018859", "D000505", "D000506",
                 "D017495", "D008548", "D002921", "D017439", "D007627", "D003880", "D003358"}
EV_PHRASES = ("exosome", "exosomes", "extracellular vesicle", "extracellular vesicles")
AESTHETIC_PHRASES = ("cosmetic dermatology", "skin rejuvenation", "hair growth", "wrinkle reduction", "aesthetic",
                     "aesthetics", "wrinkles", "photoaging", "hair loss", "melasma", "pigmentation")


def _matches(record: Record, uis: set[str], phrases: tuple[str, ...]) -> bool:
    if any(h.ui in uis for h in record.mesh):
        return True
    text = f" {_norm(record.title + ' ' + record.abstract_text)} "
    return any(f" {p} " in text for p in phrases)


def test_every_pubmed_record_matches_the_seed_query(demo: DemoCorpus) -> None:
    for record in demo.pubmed:
        assert _matches(record, EV_UIS, EV_PHRASES), record.pmid
        assert _matches(record, AESTHETIC_UIS, AESTHETIC_PHRASES), record.pmid


def test_text_expresses_the_truth_classes(demo: DemoCorpus) -> None:
    """Each truth class is named in the text by at least one of the built-in taxonomy's patterns."""
    resource = resources.files("exoreview.protocol.builtin") / "taxonomies" / "exosome-aesthetics.toml"
    if not resource.is_file():
        pytest.skip("built-in taxonomy not present")
    facets = tomllib.loads(resource.read_text(encoding="utf-8"))["facets"]
    patterns = {(f, k): [re.compile(p, re.I) for p in c.get("patterns", [])]
                for f, classes in facets.items() for k, c in classes.items()}
    for record in demo.pubmed:
        t = demo.truth_of(record)
        if not (t["relevant"] and record.abstract and t["language"] == "eng"):
            continue
        sentences = [record.title, *re.split(r"(?<=[.;])\s+", record.abstract_text)]
        for facet in ("indication", "ev_source", "isolation", "characterization", "design", "species",
                      "mechanism", "delivery", "safety"):
            value = t[facet]
            for cls in value if isinstance(value, list) else [value]:
                # A laboratory design has no patterns of its own: it is read from the subjects facet.
                found = patterns.get((facet, cls)) or (patterns.get(("subjects", cls)) if facet == "design" else None)
                if found:
                    assert any(p.search(s) for p in found for s in sentences), (record.pmid, cls)


# -- hand search -------------------------------------------------------------------------------


def test_hand_search_duplicates_point_at_real_pubmed_records(demo: DemoCorpus) -> None:
    assert len(demo.hand_search) == 40
    by_pmid = {r.pmid: r for r in demo.pubmed}
    duplicates = [r for r in demo.hand_search if demo.truth_of(r)["duplicate_of"]]
    assert 15 <= len(duplicates) <= 25
    kinds = collections.Counter(demo.truth_of(r)["duplicate_kind"] for r in duplicates)
    assert set(kinds) == {"doi", "title_year"}
    for record in duplicates:
        t = demo.truth_of(record)
        original = by_pmid[t["duplicate_of"]]
        assert record.year == original.year
        if t["duplicate_kind"] == "doi":
            bare = record.doi.lower().removeprefix("https://doi.org/").removeprefix("doi:")
            assert bare == original.doi
        else:
            assert record.doi == "" and _norm(record.title) == _norm(original.title)
            assert record.title != original.title  # a cosmetic difference, not a copy
        assert t["relevant"] == demo.truth_of(original)["relevant"]


def test_hand_search_new_records_are_not_in_pubmed(demo: DemoCorpus) -> None:
    pubmed_titles = {_norm(r.title) for r in demo.pubmed}
    pubmed_dois = {r.doi for r in demo.pubmed}
    new = [r for r in demo.hand_search if not demo.truth_of(r)["duplicate_of"]]
    assert len(new) >= 15
    assert sum(1 for r in new if not r.doi) >= 5  # conference abstracts carry neither PMID nor DOI
    for record in new:
        assert _norm(record.title) not in pubmed_titles and record.doi not in pubmed_dois


# -- load-test path ----------------------------------------------------------------------------


def test_streams_a_hundred_thousand_records() -> None:
    start = time.perf_counter()
    count, previous = 0, 90_000_000
    for record in iter_records(100_000, 99):
        assert int(record.pmid) == previous + 1
        previous, count = int(record.pmid), count + 1
    elapsed = time.perf_counter() - start
    assert count == 100_000
    print(f"\n{count} synthetic records in {elapsed:.2f} s ({count / elapsed:,.0f} records/s)")


def test_the_demo_corpus_takes_its_size_and_keeps_the_first_records() -> None:
    small = demo_corpus(size=60)
    assert len(small.pubmed) == 60
    assert [r.pmid for r in small.pubmed] == [r.pmid for r in demo_corpus().pubmed[:60]]
    assert all(small.truth_of(r) for r in small.pubmed + small.hand_search)
    with pytest.raises(ValueError, match="at least one record"):
        demo_corpus(size=0)


class _EveryTemplateTaken(set):
    """A corpus so large that every title the templates can write is already a PubMed record's."""

    def __contains__(self, title: object) -> bool:
        return "regional practice report" not in str(title)


def test_hand_search_records_are_written_when_every_template_title_is_taken() -> None:
    """At 45k records the hand-search generator used to draw titles forever; now a slot tells its title apart."""
    from exoreview.demo.corpus.demo import HAND_SEARCH_NEW, _new_records

    truth: dict = {}
    records = _new_records(2025, truth, _EveryTemplateTaken())
    assert len(records) == HAND_SEARCH_NEW
    assert len({r.title for r in records}) == HAND_SEARCH_NEW
    assert all("regional practice report" in r.title for r in records)
