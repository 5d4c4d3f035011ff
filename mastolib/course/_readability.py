"""Readability of course prose: Flesch-Kincaid grade, computed offline.

Recent ``textstat`` releases fetch a pronunciation dictionary at first use, which fails on an
offline machine, so syllables are counted here with a small rule set (vowel groups, a silent
final *e*, *-le*, *-ed*/*-es* endings). It is an estimate, as every syllable counter is; it
agrees with dictionary counts on common English words to within about one syllable per word
and is used only to compare course texts with each other and with the grade-8 target of the
patient track.

Grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59
(Kincaid, Fishburne, Rogers, Chissom 1975).

Prose of a notebook = its markdown cells without headings, tables, code, HTML tags, link
targets and the numbers-only tokens; a list item or a line without an end mark counts as one
sentence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")
# Words whose vowel groups the rules below miscount (checked against a dictionary).
_EXCEPTIONS = {
    "the": 1, "are": 1, "were": 1, "there": 1, "where": 1, "here": 1, "one": 1, "once": 1,
    "some": 1, "come": 1, "done": 1, "gone": 1, "none": 1, "give": 1, "live": 1, "have": 1,
    "move": 1, "lose": 1, "whose": 1, "eye": 1, "eyes": 1, "people": 2, "every": 3,
    "area": 3, "idea": 3, "being": 2, "doing": 2, "going": 2, "seeing": 2, "create": 2,
    "created": 3, "real": 1, "really": 2, "science": 2, "quiet": 2, "diet": 2, "period": 3,
    "video": 3, "radio": 3, "ion": 2, "via": 2, "medicine": 3, "medicines": 3, "doctor": 2,
    "business": 2, "family": 3, "different": 3, "several": 3, "everything": 4,
    "somewhere": 2, "someone": 2, "sometimes": 2, "anyone": 3, "whole": 1, "while": 1,
    "because": 2, "before": 2, "more": 1, "make": 1, "made": 1, "take": 1, "like": 1,
    "time": 1, "name": 1, "same": 1, "life": 1, "lifelong": 2, "home": 1, "side": 1,
    "nurse": 1, "nurses": 2, "cause": 1, "causes": 2, "use": 1, "used": 1, "uses": 2,
    "sure": 1, "age": 1, "ages": 2, "ago": 2, "toe": 1, "shoe": 1, "shoes": 1,
}


def syllables(word: str) -> int:
    """Estimated syllables of one English word (at least 1)."""
    w = word.lower().strip("'’")
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    base = w
    if base.endswith("'s") or base.endswith("’s"):
        base = base[:-2]
    count = len(_VOWELS.findall(base))
    # silent final e ("make"), but not "-le" after a consonant ("table") or "-ee"
    if base.endswith("e") and not base.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif base.endswith("le") and len(base) > 2 and base[-3] in "aeiouy" and count > 1:
        count -= 1
    # "-ed" is silent unless after t or d ("used" 1, "wanted" 2)
    if base.endswith("ed") and len(base) > 3 and base[-3] not in "td" and count > 1:
        count -= 1
    # "-es" is silent after most letters ("makes"), heard after s, x, z, ch, sh, g, c
    if (base.endswith("es") and len(base) > 3 and not base.endswith(
            ("ses", "xes", "zes", "ches", "shes", "ges", "ces")) and count > 1):
        count -= 1
    # vowel pairs read as two syllables ("ia" in "bacteria", "io" in "biopsy" is one)
    count += len(re.findall(r"(?:ia|iu|eo|ua|uo)(?![aeiouy])", base))
    return max(1, count)


def _clean_markdown(text: str) -> list[str]:
    """Prose lines of a markdown text: no code, headings, tables, tags or link targets."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+", " ", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|")):
            continue
        stripped = re.sub(r"^(?:>\s*)+", "", stripped)
        stripped = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", stripped)
        stripped = re.sub(r"[*_]{1,3}", "", stripped)
        if stripped:
            lines.append(stripped)
    return lines


def text_stats(lines: list[str]) -> tuple[int, int, int]:
    """``(sentences, words, syllables)`` of prose lines; a line without an end mark is one
    sentence."""
    sentences = words = syl = 0
    for line in lines:
        found = _WORD.findall(line)
        if not found:
            continue
        words += len(found)
        syl += sum(syllables(w) for w in found)
        ends = len(_SENTENCE_END.findall(line))
        if not _SENTENCE_END.search(line.rstrip()[-1:] + " "):
            ends += 1
        sentences += max(1, ends)
    return sentences, words, syl


def fk_grade(lines: list[str] | str) -> float:
    """Flesch-Kincaid grade of prose (a markdown string or prose lines)."""
    if isinstance(lines, str):
        lines = _clean_markdown(lines)
    sentences, words, syl = text_stats(lines)
    if not words:
        raise ValueError("text: no words to measure (expected some prose)")
    return 0.39 * words / sentences + 11.8 * syl / words - 15.59


def notebook_prose(path) -> list[str]:
    """Prose lines of the markdown cells of one notebook."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    lines: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        lines += _clean_markdown("".join(src) if isinstance(src, list) else src)
    return lines


def notebook_grade(path) -> float:
    """Flesch-Kincaid grade of one notebook's markdown prose."""
    return fk_grade(notebook_prose(path))
