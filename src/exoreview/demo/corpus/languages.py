"""Vernacular titles for the non-English part of the corpus.

PubMed keeps an English translation of a foreign title in square brackets in
ArticleTitle and the original in VernacularTitle; the abstract, when there is one,
is usually the author's English abstract. These short templates give each language
a plausible original title per indication; they are our own wording.
"""

from __future__ import annotations

from exoreview.demo.corpus.tables import load

# PubMed language codes -> (template, word for exosomes, indication -> topic phrase); data/languages.json.
VERNACULAR: dict[str, tuple[str, str, dict[str, str]]] = {
    code: (entry["template"], entry["ev"], entry["topics"])
    for code, entry in load("languages.json")["vernacular"].items()
}
LANGUAGES = tuple(VERNACULAR)


def vernacular_title(language: str, indication: str) -> str:
    template, ev, topics = VERNACULAR[language]
    return template.format(ev=ev, topic=topics[indication])
