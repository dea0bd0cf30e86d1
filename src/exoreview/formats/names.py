"""Author names and dates as flat text formats write them, to and from typed fields."""

from __future__ import annotations

import re

from exoreview.records import Author

_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_BRACED = re.compile(r"\{[^{}]*\}")
_HIDDEN = re.compile(r"\x00(\d+)\x00")
_PARTICLES = {"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "ten", "ter", "dos"}


def initials_of(fore_name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", fore_name) if part[:1].isalpha()).upper()


def parse_name(text: str) -> Author:
    """'Smith, John A.', 'Smith JA' or 'John A. Smith' to an Author; '{Skin Study Group}' or a long name is a
    group ('collective name'); 'Ben Aouicha,' (a surname with an empty given name) a person with no given name."""
    name = " ".join(text.split()).strip(" ;")
    if name.startswith("{") and name.endswith("}") and name[1:-1].strip():
        return Author(collective_name=name[1:-1].strip())
    if name.endswith(",") and name.count(",") == 1:
        return Author(last_name=name[:-1].strip())
    name = name.strip(" ,")
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
    """One cell of authors: ';'-separated, ' and '-separated (BibTeX, Rayyan), or 'Smith JA, Doe B' (Vancouver).

    A name in braces ('{Society for Skin and Hair}') is a group, kept whole whatever it holds."""
    text = text.strip()
    if not text:
        return []
    groups: list[str] = []
    text = _BRACED.sub(lambda m: groups.append(m.group(0)) or f"\x00{len(groups) - 1}\x00", text)
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\s+and\s+", text):
        parts = re.split(r"\s+and\s+", text)
    elif "," in text and all(_is_vancouver(p) for p in text.split(",")):
        parts = text.split(",")
    else:
        parts = [text]
    parts = [_HIDDEN.sub(lambda m: groups[int(m.group(1))], p) for p in parts]
    return [a for a in (parse_name(p) for p in parts) if a.last_name or a.collective_name]


def join_authors(authors: list[Author]) -> str:
    """The inverse of `split_authors`: 'Smith, John A.; Ben Aouicha,; {Movement Disorder Group}'.

    A lone author that would read as two ('van A, A A' looks like two Vancouver names) ends with ';'."""
    text = "; ".join(cell_name(a) for a in authors)
    if len(authors) == 1 and len(split_authors(text)) != 1:
        text += ";"
    return text


def cell_name(author: Author) -> str:
    """'Smith, John A.', 'Smith, JA', 'Smith', 'Ben Aouicha,' (no given name) or '{Movement Disorder Group}'."""
    if author.collective_name and not author.last_name:
        return "{" + author.collective_name + "}"
    first = author.fore_name or author.initials
    if not first:
        return f"{author.last_name}," if " " in author.last_name else author.last_name
    return f"{author.last_name}, {first}"


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


def join_list(items: list[str]) -> str:
    """The inverse of `split_list`: '; ' between items, and a closing ';' when one lone item holds a comma
    (so it is not split at the comma). Items holding ';' cannot survive: ';' is the separator."""
    text = "; ".join(items)
    return text + ";" if len(items) == 1 and "," in text else text
