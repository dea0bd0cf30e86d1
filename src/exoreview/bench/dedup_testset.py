"""A labelled deduplication test set built from real records: export copies and hard negatives.

Everything is drawn from one seeded `random.Random`, so a seed fixes the set.

Copies (`copy_share` of the records that have a title) are what another
database's export of the same study looks like: PMID, PMCID, OpenAlex id,
MeSH and affiliations gone, then `kinds_per_copy` rewrites drawn uniformly
without replacement from COPY_KINDS:

- case: title in upper, lower or title case;
- punctuation: trailing full stop, colons, commas, hyphens and quotes changed;
- html_tags: words wrapped in <i>/<sup>/<b> tags, '&' written as '&amp;';
- diacritics: accents stripped where there are some, added to the first author and a title word otherwise;
- truncated_title: title cut at 50-90% of its length, at a word boundary or mid-word, '...' half the time;
- subtitle: the subtitle after a colon dropped, or a generic one (": a pilot study") added when there is none;
- doi_missing: no DOI;  doi_format: DOI as a doi.org URL, with 'doi:' or in upper case;
- author_initials: given names reduced to initials;
- journal_abbrev: journal name abbreviated ISO 4 style (function words dropped, long words cut);
- year_shift: publication year one earlier or later (online versus print dates).

Hard negatives (`negative_share` of the titled records), drawn uniformly from NEGATIVE_KINDS,
are different records that look like copies; half also get one cosmetic rewrite (case,
punctuation, tags or diacritics):

- other_year: same title and authors 2-6 years apart (an updated review, a repeated survey), new pages;
- adjacent_year_other_study: same title one year apart by other authors in another journal;
- notice: an erratum, correction, retraction notice, comment or reply, marked the ways databases mark them
  (a title prefix; the article's own title with a publication type, an OpenAlex work type, or a
  CommentsCorrections link);
- near_identical_title: one number changed, or one content word replaced by another word of the dataset
  (another population, drug or outcome), by the same first author half the time.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from exoreview.records import Author, Correction, PublicationType, Record

COPY_KINDS = ("case", "punctuation", "html_tags", "diacritics", "truncated_title", "subtitle", "doi_missing",
              "doi_format", "author_initials", "journal_abbrev", "year_shift")
NEGATIVE_KINDS = ("other_year", "adjacent_year_other_study", "notice", "near_identical_title")
COSMETIC = ("case", "punctuation", "html_tags", "diacritics")
_SUBTITLES = (": a pilot study", ": a systematic review", ": results of a cohort study", ": a retrospective analysis",
              " - a randomised controlled trial", ": a narrative review", ": a multicentre study")
_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "n": "ñ", "c": "ç"}
_JOURNAL_WORDS = {"journal": "J", "international": "Int", "american": "Am", "british": "Br", "european": "Eur",
                  "clinical": "Clin", "medicine": "Med", "medical": "Med", "research": "Res", "review": "Rev",
                  "reviews": "Rev", "psychiatry": "Psychiatry", "science": "Sci", "sciences": "Sci"}
_FUNCTION_WORDS = {"of", "the", "and", "for", "in", "on", "&"}
_NOTICE_PREFIXES = (("Erratum: ", "Published Erratum"), ("Correction to: ", "Published Erratum"),
                    ("Retraction notice to: ", "Retraction of Publication"), ("Comment on: ", "Comment"),
                    ("Reply to: ", "Comment"), ("Response to: ", "Comment"))
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']{3,}")


@dataclass
class TestSet:
    records: list[Record] = field(default_factory=list)
    study: list[int] = field(default_factory=list)  # records with the same number are one study
    kind: list[str] = field(default_factory=list)  # "original", "copy:<kind>+<kind>", "negative:<kind>"

    def add(self, record: Record, study: int, kind: str) -> None:
        self.records.append(record)
        self.study.append(study)
        self.kind.append(kind)


def _clone(record: Record) -> Record:
    return Record.from_dict(record.to_dict())


def build_testset(originals: list[Record], *, seed: int = 0, copy_share: float = 0.5, negative_share: float = 0.25,
                  kinds_per_copy: int = 2, study_offset: int = 0) -> TestSet:
    rng = random.Random(seed)
    out = TestSet()
    for n, record in enumerate(originals):
        out.add(record, study_offset + n, "original")
    titled = [n for n, r in enumerate(originals) if r.title.strip()]
    vocabulary = sorted({w.lower() for n in titled for w in _WORD.findall(originals[n].title)})
    for n in rng.sample(titled, round(copy_share * len(titled))):
        kinds = sorted(rng.sample(COPY_KINDS, kinds_per_copy))
        copy = _export_copy(originals[n], rng)
        for kind in kinds:
            _REWRITES[kind](copy, rng)
        out.add(copy, study_offset + n, "copy:" + "+".join(kinds))
    next_study = study_offset + len(originals)
    for n in rng.sample(titled, round(negative_share * len(titled))):
        kind = rng.choice(NEGATIVE_KINDS)
        negative = _NEGATIVES[kind](originals[n], originals, vocabulary, rng, next_study)
        if negative is None:
            continue
        if rng.random() < 0.5:
            _REWRITES[rng.choice(COSMETIC)](negative, rng)
        out.add(negative, next_study, "negative:" + kind)
        next_study += 1
    return out


def _export_copy(record: Record, rng: random.Random) -> Record:
    copy = _clone(record)
    copy.pmid = copy.pmcid = copy.openalex_id = ""
    copy.mesh = []
    copy.referenced_works = []
    for author in copy.authors:
        author.affiliations = []
        author.orcid = ""
    return copy


# -- copy rewrites ---------------------------------------------------------------------------------

def _case(record: Record, rng: random.Random) -> None:
    style = rng.randrange(3)
    record.title = (record.title.upper() if style == 0 else record.title.lower() if style == 1
                    else " ".join(w[:1].upper() + w[1:].lower() for w in record.title.split(" ")))


def _punctuation(record: Record, rng: random.Random) -> None:
    text = record.title
    text = text.rstrip(".") if text.endswith(".") else text + "."
    if rng.random() < 0.5:
        text = text.replace(":", rng.choice((" -", ".", ";")))
    if rng.random() < 0.5:
        text = text.replace(",", "")
    if rng.random() < 0.5:
        text = text.replace("-", rng.choice((" ", "")))
    if rng.random() < 0.5:
        text = text.replace('"', "'").replace("“", '"').replace("”", '"')
    record.title = text


def _html_tags(record: Record, rng: random.Random) -> None:
    words = record.title.split(" ")
    for _ in range(min(2, len(words))):
        i = rng.randrange(len(words))
        tag = rng.choice(("i", "sup", "b"))
        words[i] = f"<{tag}>{words[i]}</{tag}>"
    record.title = " ".join(words).replace(" and ", " &amp; " if rng.random() < 0.5 else " and ")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _accent(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in _ACCENTS]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + _ACCENTS[word[i]] + word[i + 1:]


def _diacritics(record: Record, rng: random.Random) -> None:
    has_accents = not record.title.isascii() or any(not a.last_name.isascii() for a in record.authors)
    if has_accents:
        record.title = _fold(record.title)
        for author in record.authors:
            author.last_name, author.fore_name = _fold(author.last_name), _fold(author.fore_name)
        return
    if record.authors:
        record.authors[0].last_name = _accent(record.authors[0].last_name, rng)
    words = record.title.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) > 4]
    if long_words:
        i = rng.choice(long_words)
        words[i] = _accent(words[i], rng)
    record.title = " ".join(words)


def _truncated_title(record: Record, rng: random.Random) -> None:
    text = record.title
    cut = max(1, int(len(text) * rng.uniform(0.5, 0.9)))
    if rng.random() < 0.5 and " " in text[:cut]:
        cut = text.rindex(" ", 0, cut)
    record.title = text[:cut].rstrip() + ("..." if rng.random() < 0.5 else "")


def _subtitle(record: Record, rng: random.Random) -> None:
    if ":" in record.title:
        record.title = record.title.split(":", 1)[0].rstrip()
    else:
        record.title = record.title.rstrip(".") + rng.choice(_SUBTITLES)


def _doi_missing(record: Record, rng: random.Random) -> None:
    record.doi = ""


def _doi_format(record: Record, rng: random.Random) -> None:
    if record.doi:
        record.doi = rng.choice((f"https://doi.org/{record.doi}", f"http://dx.doi.org/{record.doi}",
                                 f"doi:{record.doi}", record.doi.upper()))


def _author_initials(record: Record, rng: random.Random) -> None:
    dotted = rng.random() < 0.5
    for author in record.authors:
        initials = "".join(p[0] for p in re.split(r"[\s.\-]+", author.fore_name) if p).upper()
        author.initials = initials or author.initials
        author.fore_name = " ".join(f"{c}." for c in author.initials) if dotted else ""


def abbreviate_journal(title: str) -> str:
    words = [w for w in re.split(r"[\s:]+", title) if w and w.lower() not in _FUNCTION_WORDS]
    short = []
    for word in words:
        known = _JOURNAL_WORDS.get(word.lower())
        short.append(known or (word[:4] if len(word) > 6 else word))
    return " ".join(short)


def _journal_abbrev(record: Record, rng: random.Random) -> None:
    if record.journal.title:
        record.journal.title = abbreviate_journal(record.journal.title)
        record.journal.iso_abbreviation = ""


def _year_shift(record: Record, rng: random.Random) -> None:
    if record.pub_date.year:
        record.pub_date.year += rng.choice((-1, 1))
        record.pub_date.month = record.pub_date.day = None


_REWRITES = {"case": _case, "punctuation": _punctuation, "html_tags": _html_tags, "diacritics": _diacritics,
             "truncated_title": _truncated_title, "subtitle": _subtitle, "doi_missing": _doi_missing,
             "doi_format": _doi_format, "author_initials": _author_initials, "journal_abbrev": _journal_abbrev,
             "year_shift": _year_shift}


# -- hard negatives ----------------------------------------------------------------------------------

def _other_record(pool: list[Record], record: Record, rng: random.Random) -> Record:
    for _ in range(10):
        other = rng.choice(pool)
        if other is not record and other.authors and other.journal.title:
            return other
    return rng.choice(pool)


def _as_new_record(record: Record, rng: random.Random, study: int) -> Record:
    negative = _export_copy(record, rng)
    negative.doi = f"10.5555/negative.{study}" if rng.random() < 0.5 else ""
    negative.journal.pages = str(rng.randint(1, 2000))
    return negative


def _other_year(record: Record, pool: list[Record], vocabulary: list[str], rng: random.Random,
                study: int) -> Record | None:
    if not record.pub_date.year:
        return None
    negative = _as_new_record(record, rng, study)
    negative.pub_date.year = record.pub_date.year + rng.choice((-1, 1)) * rng.randint(2, 6)
    negative.journal.volume = str(rng.randint(1, 90))
    return negative


def _adjacent_year_other_study(record: Record, pool: list[Record], vocabulary: list[str], rng: random.Random,
                               study: int) -> Record | None:
    if not record.pub_date.year:
        return None
    negative = _as_new_record(record, rng, study)
    other = _other_record(pool, record, rng)
    negative.authors = [Author(a.last_name, a.fore_name, a.initials, a.collective_name) for a in other.authors]
    negative.journal = _clone(other).journal
    negative.pub_date.year = record.pub_date.year + rng.choice((-1, 1))
    negative.doi = ""
    return negative


def _notice(record: Record, pool: list[Record], vocabulary: list[str], rng: random.Random,
            study: int) -> Record | None:
    negative = _as_new_record(record, rng, study)
    form = rng.randrange(4)
    prefix, ptype = rng.choice(_NOTICE_PREFIXES)
    negative.publication_types = []
    if form == 0:
        negative.title = prefix + record.title
        if rng.random() < 0.5:
            negative.publication_types = [PublicationType(ptype)]
    elif form == 1:
        negative.publication_types = [PublicationType(ptype)]
    elif form == 2:
        negative.work_type = "erratum"
    elif record.pmid:
        negative.corrections = [Correction("ErratumFor", record.pmid)]
    else:
        negative.publication_types = [PublicationType(ptype)]
    if record.pub_date.year and rng.random() < 0.5:
        negative.pub_date.year = record.pub_date.year + 1
    return negative


def _near_identical_title(record: Record, pool: list[Record], vocabulary: list[str], rng: random.Random,
                          study: int) -> Record | None:
    negative = _as_new_record(record, rng, study)
    numbers = list(re.finditer(r"\b\d+\b", record.title))
    if numbers:
        match = rng.choice(numbers)
        changed = str(int(match.group()) + rng.randint(1, 3))
        negative.title = record.title[:match.start()] + changed + record.title[match.end():]
    else:
        words = list(_WORD.finditer(record.title))
        if not words or not vocabulary:
            return None
        match = rng.choice(words)
        replacement = rng.choice(vocabulary)
        if replacement == match.group().lower():
            return None
        negative.title = record.title[:match.start()] + replacement + record.title[match.end():]
    if rng.random() < 0.5:
        other = _other_record(pool, record, rng)
        negative.authors = [Author(a.last_name, a.fore_name, a.initials, a.collective_name) for a in other.authors]
    if rng.random() < 0.5:
        negative.journal = _clone(_other_record(pool, record, rng)).journal
    if record.pub_date.year:
        negative.pub_date.year = record.pub_date.year + rng.choice((-1, 0, 0, 1))
    return negative


_NEGATIVES = {"other_year": _other_year, "adjacent_year_other_study": _adjacent_year_other_study,
              "notice": _notice, "near_identical_title": _near_identical_title}


# -- tiling for scale ----------------------------------------------------------------------------------

def disguise(records: list[Record], tile: int, seed: int = 0) -> list[Record]:
    """The records as different studies: title words and surnames swapped within frequency bands, ids renamed.

    Used to tile a dataset to a large size without making every study appear many times;
    swapping words of similar frequency keeps blocking as hard as on the real titles.
    """
    rng = random.Random(seed * 1_000_003 + tile)
    words = Counter(w.lower() for r in records for w in re.findall(r"[A-Za-z]+", r.title))
    names = Counter(a.last_name for r in records for a in r.authors if a.last_name)
    word_map = _band_permutation([w for w, _ in words.most_common()], rng)
    name_map = _band_permutation([n for n, _ in names.most_common()], rng)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        new = word_map.get(word.lower(), word)
        return new.upper() if word.isupper() and len(word) > 1 else new.capitalize() if word[:1].isupper() else new

    out = []
    for record in records:
        copy = _clone(record)
        copy.title = re.sub(r"[A-Za-z]+", swap, record.title)
        for author in copy.authors:
            author.last_name = name_map.get(author.last_name, author.last_name)
        copy.doi = f"{record.doi}.t{tile}" if record.doi else ""
        copy.pmid = f"9{tile:03d}{record.pmid}" if record.pmid else ""
        copy.pmcid = f"PMC9{tile:03d}{record.pmcid[3:]}" if record.pmcid else ""
        copy.openalex_id = f"{record.openalex_id}T{tile}" if record.openalex_id else ""
        copy.corrections = []
        out.append(copy)
    return out


def _band_permutation(ranked: list[str], rng: random.Random, band: int = 25) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for start in range(0, len(ranked), band):
        group = ranked[start:start + band]
        shuffled = group[:]
        rng.shuffle(shuffled)
        mapping.update(zip(group, shuffled, strict=True))
    return mapping
