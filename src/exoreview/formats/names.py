"""Author names and dates as flat text formats write them, to and from typed fields."""

from __future__ import annotations

import re

from exoreview.records import Author

_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_PARTICLES = {"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "ten", "ter", "dos"}


def initials_of(fore_name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", fore_name) if part[:1].isalpha()).upper()


def parse_name(text: str) -> Author:
    """'Smith, John A.', 'Smith JA' or 'John A. Smith' to an Author; anything else is a collective name."""
    name = " ".join(text.split()).strip(" ;,")
    if not name:
        return Author()
    if "," in name:
        last, _, fore = name.partition(",")
        fore = fore.strip()
        return Author(last_name=last.strip(), fore_name=fore, initials=initials_of(fore))
    parts = name.split(" ")
    if len(parts) == 1:
        return Author(last_name=name)
    if _INITIALS.match(parts[-1]) and len(parts) >= 2:  # Vancouver: 'Smith JA', 'van der Berg J'
        initials = parts[-1].replace(".", "").replace("-", "")
        return Author(last_name=" ".join(parts[:-1]), initials=initials)
    if len(parts) > 4:  # 'Working Group on Skin Health': a group, not a person
        return Author(collective_name=name)
    start = len(parts) - 1  # 'Jan van der Berg': the particles belong to the last name
    while start > 1 and parts[start - 1].lower() in _PARTICLES:
        start -= 1
    fore = " ".join(parts[:start])
    return Author(last_name=" ".join(parts[start:]), fore_name=fore, initials=initials_of(fore))


def split_authors(text: str) -> list[Author]:
    """One cell of authors: ';'-separated, ' and '-separated (BibTeX, Rayyan), or 'Smith JA, Doe B' (Vancouver)."""
    text = text.strip()
    if not text:
        return []
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\s+and\s+", text):
        parts = re.split(r"\s+and\s+", text)
    elif "," in text and all(_is_vancouver(p) for p in text.split(",")):
        parts = text.split(",")
    else:
        parts = [text]
    return [a for a in (parse_name(p) for p in parts) if a.last_name or a.collective_name]


def _is_vancouver(part: str) -> bool:
    words = part.split()
    return len(words) >= 2 and bool(_INITIALS.match(words[-1]))


def name_last_first(author: Author) -> str:
    """'Smith, John A.' (or 'Smith, JA' when only initials are known, or the collective name)."""
    if author.collective_name and not author.last_name:
        return author.collective_name
    first = author.fore_name or author.initials
    return f"{author.last_name}, {first}" if first else author.last_name


def year_of(text: object) -> int | None:
    match = _YEAR.search(str(text or ""))
    return int(match.group(1)) if match else None


def split_list(text: str) -> list[str]:
    """Keywords and similar lists: ';' separated, else ',' separated."""
    text = text.strip()
    if not text:
        return []
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]
