"""Notices about an article (errata, corrections, retractions, comments, replies): never the article itself.

They share the article's title, authors and journal, so a title matcher sees
a perfect copy. We recognise them by publication type, by CommentsCorrections
links, by OpenAlex work type, and by the words their titles start with.
"""

from __future__ import annotations

import re

from exoreview.dedup.normalize import normalize_text
from exoreview.records import Record

NOTICE_TYPES = frozenset({
    "Published Erratum", "Erratum", "Correction", "Retraction of Publication", "Retraction Notice", "Comment",
    "Expression of Concern", "Corrected and Republished Article",
})
NOTICE_WORK_TYPES = frozenset({"erratum", "retraction", "correction"})
# Links a notice carries to the article it is about.
NOTICE_LINKS = frozenset({"ErratumFor", "RetractionOf", "CommentOn", "ExpressionOfConcernFor", "ReprintOf",
                          "CorrectedandRepublishedFrom", "RepublishedFrom"})
# Cues that open a notice's title ("Erratum: ...", "Reply to ..."), and cues strong enough anywhere in it,
# matched on the normalized title (lowercase ASCII words), so accents and punctuation cannot hide them.
_OPENING = re.compile(
    r"^(?:re )?(?:errat(?:um|a)|corrigend(?:um|a)|corrections?|retract(?:ion|ed)|notice of retraction|"
    r"expression of concern|comment(?:ary|s)? on|reply|response to|in response|authors?(?: s)? reply|"
    r"letter to the editor re|withdrawn|withdrawal)\b")
_ANYWHERE = re.compile(
    r"\b(?:erratum|corrigendum|retraction notice|notice of retraction|expression of concern|"
    r"authors?(?: s)? reply|reply to|in reply to|correction to)\b")
_CUES = ("errat", "corrig", "correction", "retract", "concern", "comment", "reply", "response", "withdraw",
         "letter to the editor")


def notice_signature(record: Record, normalized_title: str | None = None) -> tuple[bool, bool]:
    """(marked a notice by type, work type or link; titled like one). (False, False) for an article.

    Two records merge only with equal signatures: an article whose own title happens to read like
    a notice ("Reply to ...") still never merges with its erratum, which carries the type as well.
    """
    typed = (any(p.name in NOTICE_TYPES for p in record.publication_types)
             or record.work_type.lower() in NOTICE_WORK_TYPES
             or any(c.ref_type in NOTICE_LINKS for c in record.corrections))
    title = normalize_text(record.title) if normalized_title is None else normalized_title
    titled = False
    for cue in _CUES:  # plain substring tests first: most titles have none of these words
        if cue in title:
            titled = bool(_OPENING.match(title) or _ANYWHERE.search(title))
            break
    return typed, titled


def is_notice(record: Record) -> bool:
    """An erratum, correction, retraction notice, comment or reply: about an article, not the article."""
    return any(notice_signature(record))


def linked_pmids(record: Record) -> frozenset[str]:
    """PMIDs a record points to through CommentsCorrections: it is never the same study as any of them."""
    return frozenset(c.pmid for c in record.corrections if c.pmid)
