"""Whose finding a sentence reports: this study's, or other people's work cited as background.

An abstract opens with what is known ("Exosomes have been shown to speed wound closure; no
adverse events have been reported") and then says what this study did and found. A label read
from the background is someone else's result: the study's own safety finding, route or subjects
must come from its own sentences. So each sentence gets a scope:

- `study`: the title, the keywords, the aim, methods, results and conclusions;
- `background`: a structured abstract's BACKGROUND/INTRODUCTION section; in an unstructured
  abstract, the sentences before the first one that speaks of this study ("we", "this study",
  "here", "were treated"), and anywhere a sentence that reports earlier work ("previous studies
  have shown", "has been reported").
"""

from __future__ import annotations

import re

from exoreview.classify.sentences import Sentence

STUDY, BACKGROUND = "study", "background"

_BACKGROUND_SECTIONS = re.compile(r"^(?:BACKGROUND|INTRODUCTION|CONTEXT|RATIONALE|IMPORTANCE|SIGNIFICANCE)",
                                  re.IGNORECASE)
_STUDY_MARKER = re.compile(
    r"\b(?:we|our|us|here(?:in)?"
    r"|this (?:[\w-]+ ){0,2}?(?:study|work|paper|article|review|trial|report|case|series|investigation"
    r"|research|analysis|overview|perspective|manuscript)"
    r"|the (?:present|current) (?:study|work|review|report|investigation|article|paper)"
    r"|(?:the )?aims? (?:of|was|were|is)|aimed|objectives?|purpose"
    r"|(?:were|was) (?:enrolled|recruited|randomi[sz]ed|treated|included|injected|divided|assigned|cultured"
    r"|isolated|evaluated|assessed|measured|analy[sz]ed|collected|applied|administered|conducted|performed"
    r"|established|used|exposed|incubated|characteri[sz]ed|investigated|examined|compared|followed)"
    r"|(?:patients?|participants?|subjects?|volunteers?|mice|rats) (?:received|underwent)"
    r"|results? (?:showed|demonstrated|revealed|indicated|suggest)"
    r"|(?:showed|demonstrated|revealed|indicated|found) that"
    # a case report's patient: "A 32-year-old man presented with nodules"
    r"|\d+-year-old|presented (?:to|with|at)"
    r"|(?:this|it) is the first (?:[\w-]+ )?(?:study|report|trial|investigation|description|clinical study))\b",
    re.IGNORECASE,
)
# A finding told in the simple past ("Exosomes significantly increased the viability of HaCaT cells",
# "Twenty women applied the cream"): the study's own result or method, whatever marker comes later.
# Background states what is known in the present or present perfect ("have been shown to increase").
_OWN_FINDING = re.compile(
    r"(?<!\bhas )(?<!\bhave )(?<!\bhad )(?<!\bbeen )(?<!\bbe )(?<!\bto )(?<!\bwhich )(?<!\bthat )"
    # not an adjective before a noun: "the development of improved treatments", "an increased risk"
    r"(?<!\bthe )(?<!\ban )(?<!\ba )(?<!\bof )(?<!\bfor )(?<!\bwith )(?<!\band )(?<!\bor )(?<!\bmore )"
    r"(?<!\bis )(?<!\bare )(?<!\bwidely )(?<!\bcommonly )(?<!\bfrequently )(?<!\boften )(?<!\bincreasingly )"
    r"(?<![-/])\b(?:(?:significantly|markedly|dramatically|effectively|further|also|both) )?"
    r"(?:increased|decreased|reduced|promoted|improved|enhanced|inhibited|suppressed|accelerated|attenuated"
    r"|alleviated|ameliorated|restored|stimulated|upregulated|up-regulated|downregulated|down-regulated|elevated"
    r"|lowered|prevented|rescued|reversed|applied|received|underwent|fell|rose|declined|dropped|doubled|halved"
    r"|healed|closed|regrew|recovered|used|wore|kept|took|showed|exhibited|displayed|induced|resulted in"
    r"|prolonged|delayed|extended|shortened|triggered|activated|blocked|abolished|mitigated|protected|repaired"
    r"|lightened|whitened|thickened|strengthened|shifted|normali[sz]ed|abrogated|potentiated|augmented|diminished"
    r"|impaired|boosted|hastened|yielded|achieved|outperformed|grew|supported(?! by\b))\b"
    r"(?! (?:by|in) (?:previous|prior|earlier|other) )"
    # a method in the passive past: "HaCaT cells were pretreated", "burns were induced on rats"
    r"|\b(?:was|were) (?:\w+ly )?(?!(?:known|thought|believed|considered|first|once|previously|originally|"
    r"reported|described|discovered|identified|proposed|named|termed|defined)\b)(?:[a-z]+-)?[a-z]+ed\b"
    r"|\b(?:was|were) (?:kept|grown|taken|made|built|held|seen)\b",
    re.IGNORECASE,
)
# The same, for callers that ask whether a phrase reports a result of the study's own.
FINDING_TOLD_AS_DONE = _OWN_FINDING
_CITED_WORK = re.compile(
    r"\b(?:previous(?:ly)?|prior|earlier|recent|several|many|numerous|other|existing|published) (?:[\w-]+ )?"
    r"(?:studies|reports|research|work|trials|literature|findings|investigations)\b"
    r"|\b(?:has|have) (?:been|also been|previously been|recently been) (?:shown|reported|demonstrated|described"
    r"|found|documented|observed|suggested|proposed|linked|implicated)\b"
    r"|\b(?:it is|it has been) (?:well[- ])?(?:known|established|reported)\b"
    r"|\b(?:studies|reports|evidence) (?:have|has) (?:shown|demonstrated|reported|suggested|indicated)\b"
    r"|\b(?:studies|reports|trials|experiments) (?:in|on|with|using) (?:[\w-]+ ){1,3}?"
    r"(?:show|suggest|indicate|demonstrate|report)\b"
    r"|\bto date\b|\bthus far\b|\bso far\b"
    r"|\b(?:a|one|an(?:other)?) (?:previous|prior|earlier|recent|published) (?:[\w-]+ )?"
    r"(?:study|report|trial|work|paper|article)\b"
    r"|\bet al\b|\bwe read with (?:great )?interest\b",
    re.IGNORECASE,
)


# "We have previously shown that ...", "In our earlier work, ...": the authors' own earlier study, cited.
_OUR_EARLIER_WORK = re.compile(
    r"\b(?:we|our (?:group|laboratory|lab|team)) (?:have|has|had) (?:previously|recently|already|earlier) "
    r"(?:shown|reported|demonstrated|found|described|observed)\b"
    r"|\bin (?:our|a) (?:previous|earlier|prior) (?:work|study|report|investigation)\b"
    r"|\bour (?:previous|earlier|prior) (?:work|study|studies|report|findings)\b"
    r"|\b(?:previous|earlier|prior) (?:work|studies|research) (?:from|by|of) our (?:group|laboratory|lab|team)\b",
    re.IGNORECASE,
)


def sentence_scopes(sentences: list[tuple[str, Sentence]]) -> list[str]:
    """STUDY or BACKGROUND for each (field, sentence), aligned with the input."""
    abstract = [i for i, (field_name, _) in enumerate(sentences) if field_name == "abstract"]
    scopes = [STUDY] * len(sentences)
    structured = any(sentences[i][1].section for i in abstract)
    if structured:
        for i in abstract:
            if _BACKGROUND_SECTIONS.match(sentences[i][1].section):
                scopes[i] = BACKGROUND
    else:
        first_study = next((i for i in abstract if _STUDY_MARKER.search(sentences[i][1].text)
                            or _OWN_FINDING.search(sentences[i][1].text)), None)
        if first_study is not None:
            for i in abstract:
                if i >= first_study:
                    break
                scopes[i] = BACKGROUND
    for i in abstract:
        text = sentences[i][1].text
        if scopes[i] == STUDY and (_OUR_EARLIER_WORK.search(text)
                                   or (_CITED_WORK.search(text) and not _speaks_of_this_study(text))):
            scopes[i] = BACKGROUND
    return scopes


_THIS_STUDY = re.compile(
    r"\b(?:we|our|here(?:in)?|this (?:study|work|paper|article|review|trial|report|case|series|overview|perspective"
    r"|analysis|investigation|mini-?review)|the (?:present|current) (?:study|work|review|report|investigation))\b",
    re.IGNORECASE)


def _speaks_of_this_study(text: str) -> bool:
    return bool(_THIS_STUDY.search(text))


# "we isolated", "we found", "we built": the authors telling what they did.
_WE_DID = re.compile(r"\bwe (?:\w+ly )?(?:[a-z]+ed|found|showed|made|built|grew|took|ran|saw|gave|chose|sought)\b"
                     r"(?<!\bwe reviewed)(?<!\bwe summarized)(?<!\bwe summarised)(?<!\bwe discussed)", re.IGNORECASE)


def reports_own_work(text: str) -> bool:
    """Whether a sentence tells what a study did or found (past tense, a method in the passive, "we did").

    "Studies in murine models have shown faster closure" and "Mouse models of alopecia are
    discussed" report no work of the paper's own; "Mice were treated with exosomes" does.
    """
    return bool(_OWN_FINDING.search(text) or _WE_DID.search(text))


def summarises_others_only(sentences: list[str]) -> int | None:
    """For an abstract that reports no work of its own, the index of the sentence that best shows it
    summarises others' (one citing earlier work, else the first); None when any sentence speaks of
    this study or tells what it did.

    "Exosomes from immune cells drive psoriasis. Previous studies have shown ... Engineered exosomes
    may serve as carriers." is an overview even though it never calls itself a review.
    """
    if len(sentences) < 3 or any(_STUDY_MARKER.search(s) or reports_own_work(s) for s in sentences):
        return None
    return next((i for i, s in enumerate(sentences) if _CITED_WORK.search(s)), 0)


# "Although plant and bacterial EVs have been reported to aid healing, we examined keratinocyte exosomes":
# what the concession grants is earlier work; the study begins after its comma.
_CONCESSION_THEN_OWN = re.compile(
    r"^(?:although|though|even though|while|whereas|despite)\b[^;]*?(,)\s*(?:here,?\s*)?"
    r"(?:we|this (?:study|work)|the (?:present|current) (?:study|work)|our (?:study|work))\b", re.IGNORECASE)


_VESICLES_NAMED = re.compile(r"\b(?:exo(?:somes?|somal)?s?|s?EVs?|(?:extracellular |micro|nano)?vesicles?)\b",
                             re.IGNORECASE)


def conceded_earlier_work(text: str) -> int:
    """The end of an opening concession about earlier work that the study's own clause follows ("Although X
    have been reported, we ..."), or 0 when the sentence does not open so."""
    found = _CONCESSION_THEN_OWN.match(text)
    if found is None or not _CITED_WORK.search(text, 0, found.start(1)):
        return 0
    # "..., we investigated whether they reduce scars": the study's own vesicles are the conceded ones
    return found.start(1) if _VESICLES_NAMED.search(text, found.end()) else 0
