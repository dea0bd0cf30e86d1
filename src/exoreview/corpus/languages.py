"""Vernacular titles for the non-English part of the corpus.

PubMed keeps an English translation of a foreign title in square brackets in
ArticleTitle and the original in VernacularTitle; the abstract, when there is one,
is usually the author's English abstract. These short templates give each language
a plausible original title per indication; they are our own wording.
"""

from __future__ import annotations

# PubMed language codes -> (template, word for exosomes, indication -> topic phrase)
VERNACULAR: dict[str, tuple[str, str, dict[str, str]]] = {
    "chi": ("{ev}在{topic}中的作用及机制研究", "外泌体", {
        "skin_rejuvenation": "皮肤年轻化", "hair_loss": "脱发", "pigmentation": "色素沉着", "scars": "瘢痕",
        "wound_healing": "创面愈合", "inflammatory_skin": "炎症性皮肤病", "post_procedure": "术后修复",
    }),
    "kor": ("{topic}에 대한 {ev}의 효과", "엑소좀", {
        "skin_rejuvenation": "피부 재생", "hair_loss": "탈모", "pigmentation": "색소침착", "scars": "흉터",
        "wound_healing": "상처 치유", "inflammatory_skin": "염증성 피부질환", "post_procedure": "시술 후 회복",
    }),
    "jpn": ("{topic}に対する{ev}の効果", "エクソソーム", {
        "skin_rejuvenation": "皮膚の若返り", "hair_loss": "脱毛症", "pigmentation": "色素沈着", "scars": "瘢痕",
        "wound_healing": "創傷治癒", "inflammatory_skin": "炎症性皮膚疾患", "post_procedure": "施術後の回復",
    }),
    "ger": ("{ev} in der Behandlung von {topic}", "Exosomen", {
        "skin_rejuvenation": "Hautalterung", "hair_loss": "Haarausfall", "pigmentation": "Hyperpigmentierung",
        "scars": "Narben", "wound_healing": "Wunden", "inflammatory_skin": "entzündlichen Hauterkrankungen",
        "post_procedure": "Hautreizungen nach ästhetischen Eingriffen",
    }),
}
LANGUAGES = tuple(VERNACULAR)


def vernacular_title(language: str, indication: str) -> str:
    template, ev, topics = VERNACULAR[language]
    return template.format(ev=ev, topic=topics[indication])
