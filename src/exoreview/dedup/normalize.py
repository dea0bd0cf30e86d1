"""Normal forms of the fields copies of one study disagree on: titles, DOIs, names, journals, pages."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from exoreview.records import bare_doi

_TAGS = re.compile(r"<[^>]+>")
# Letters NFKD does not reduce to ASCII, spelled the way English exports spell them.
_TRANSLIT = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "œ": "oe",
    "Œ": "OE", "þ": "th", "ı": "i", "–": "-", "—": "-", "’": "'",
    **{letter: f" {name} " for letters, name in (
        ("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"), ("εϵ", "epsilon"), ("ζ", "zeta"),
        ("η", "eta"), ("θϑ", "theta"), ("ι", "iota"), ("κϰ", "kappa"), ("λ", "lambda"), ("μµ", "mu"), ("ν", "nu"),
        ("ξ", "xi"), ("πϖ", "pi"), ("ρϱ", "rho"), ("σς", "sigma"), ("τ", "tau"), ("υ", "upsilon"), ("φϕ", "phi"),
        ("χ", "chi"), ("ψ", "psi"), ("ω", "omega")) for letter in letters},
})
STOPWORDS = frozenset({"a", "an", "the", "of", "and", "in", "on", "for", "to", "with", "by", "at", "from", "or",
                       "as", "is", "its", "de", "la", "le", "der", "die", "und", "et", "y", "el", "en"})
_ROMAN = re.compile(r"^(?:i{1,3}|iv|v|vi{1,3}|ix|x)$")


_PUNCT_TO_SPACE = {c: " " for c in range(128) if not chr(c).isalnum()}


def normalize_text(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: tags, entities, accents and punctuation do not count."""
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text).replace("&", " and ")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().translate(_PUNCT_TO_SPACE).split())


def normalize_title(title: str) -> str:
    return normalize_text(title)


def normalize_doi(doi: str) -> str:
    return bare_doi(doi).lower()


def is_number_token(token: str) -> bool:
    """Numbers in a title tell studies apart: 'phase 2' and 'phase 3', 'part ii' and 'part iii'."""
    return any(c.isdigit() for c in token) or bool(_ROMAN.match(token))


@lru_cache(maxsize=65536)
def surname_key(last_name: str) -> str:
    """The last word of a surname: 'van der Berg' and 'Berg' compare equal, as do 'García López' and 'López'."""
    words = normalize_text(last_name).split()
    return words[-1] if words else ""


@lru_cache(maxsize=16384)
def journal_tokens(title: str) -> tuple[str, ...]:
    return tuple(t for t in normalize_text(title).split() if t not in STOPWORDS)


def journals_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """'J Invest Dermatol' fits 'Journal of Investigative Dermatology'; 'JAMA' fits its spelled-out name.

    ISO 4 abbreviations shorten words to their beginnings and drop short function words, so each
    word of the shorter name must begin a word of the longer one, in order.
    """
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return False
    if len(short) == 1 and len(long) > 1 and short[0] == "".join(t[0] for t in long):
        return True  # an acronym
    position = 0
    for word in short:
        while position < len(long) and not long[position].startswith(word):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def first_page(pages: str) -> str:
    """The first page as digits ('e1234' and '1234' agree), or '' when there is none."""
    if not pages:
        return ""
    head = pages.split("-", 1)[0]
    if head.isdigit():  # '401-408', the common case, without a regular expression
        return head.lstrip("0")
    head = re.split(r"[-–,\s]", pages.strip(), maxsplit=1)[0]
    return "".join(c for c in head if c.isdigit()).lstrip("0")
