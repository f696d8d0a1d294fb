"""What a text says, for the partner finder: words and their variants,
sectors named by their aliases, and value-chain steps.

English words are reduced to their Snowball stem (``snowballstemmer``), so
that "batteries" meets "battery" and "assembler" meets "assembly"; words in
another script (Chinese, Vietnamese with its tones, ...) are matched exactly
as written, against the local names a record holds. Stop words and words
that nearly every cluster text uses come from :mod:`matching`, which the
partnership-cluster matches use too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import snowballstemmer

from briefing_app.assembly.matching import GENERIC, STOPWORDS, record_text

_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9&²]*")
_STEMMER = snowballstemmer.stemmer("english")
MIN_WORD = 3

# Value-chain steps a profile may name, each with the words that show it in
# a record's text. A step is recognised by any of its words (stemmed).
STEP_WORDS: dict[str, tuple[str, ...]] = {
    "materials": ("materials", "raw materials", "metals"),
    "components": ("components", "parts", "cells", "modules", "sensors", "devices", "chips"),
    "assembly": ("assembly", "assembler", "assemblers", "vehicle maker", "carmaker"),
    "manufacturing": ("manufacturing", "factory", "factories", "maker", "makers", "producer"),
    "equipment": ("equipment", "machinery", "machines", "tools"),
    "design": ("design", "designers", "fashion"),
    "r-and-d": ("research", "R&D", "laboratory", "laboratories", "institute"),
    "testing": ("testing", "quality control", "clinical trials"),
    "software": ("software", "computing"),
    "services": ("services", "outsourcing", "consulting"),
    "recycling": ("recycling", "remediation", "waste management"),
    "distribution": ("logistics", "distribution", "export", "trade", "commodities"),
}
# Which steps each step feeds or is fed by: a maker of components meets an
# assembler, a designer a manufacturer. Symmetric by construction below.
_FEEDS = (
    ("materials", "components"),
    ("materials", "manufacturing"),
    ("components", "assembly"),
    ("components", "manufacturing"),
    ("equipment", "manufacturing"),
    ("equipment", "assembly"),
    ("design", "manufacturing"),
    ("r-and-d", "manufacturing"),
    ("r-and-d", "components"),
    ("testing", "manufacturing"),
    ("testing", "components"),
    ("software", "equipment"),
    ("software", "manufacturing"),
    ("services", "manufacturing"),
    ("manufacturing", "distribution"),
    ("manufacturing", "recycling"),
    ("assembly", "recycling"),
)
COMPLEMENTS: dict[str, frozenset[str]] = {
    step: frozenset({b for a, b in _FEEDS if a == step} | {a for a, b in _FEEDS if b == step})
    for step in STEP_WORDS
}


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The Snowball stem of an English word, lower-cased."""
    return _STEMMER.stemWord(word.lower())


def is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def content(word: str) -> bool:
    """Whether a word says something about a field: not a stop word, not a
    word nearly every cluster text uses, not a bare number."""
    low = word.lower()
    return (
        len(word) >= MIN_WORD
        and not word.isdigit()
        and low not in STOPWORDS
        and low not in GENERIC
        and stem(low) not in _GENERIC_STEMS
    )


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC)
# Words too broad to stand for a keyword alone: "battery management systems"
# met by "system" says nothing. A whole keyword may still hold them.
_WEAK_STEMS = frozenset(
    stem(w)
    for w in """system management service solution application process equipment device
    product material control quality electric electronic advanced modern new""".split()
)


@dataclass(frozen=True)
class Text:
    """A record's text as words (as written), their stems, and its local names."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    local: str  # local-script names and places, for exact matches

    @classmethod
    def of(cls, text: str, local: str = "") -> Text:
        words = tuple(_WORD_RE.findall(text))
        return cls(words, tuple(stem(w) for w in words), local)

    @functools.cached_property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)

    def find(self, phrase: tuple[str, ...]) -> int:
        """Where the stemmed ``phrase`` starts in the text, or -1."""
        n = len(phrase)
        if not n or phrase[0] not in self.stem_set:
            return -1
        for i in range(len(self.stems) - n + 1):
            if self.stems[i : i + n] == phrase:
                return i
        return -1

    def wording(self, start: int, size: int) -> str:
        """The text's own words at a place, lower-cased unless an acronym."""
        words = self.words[start : start + size]
        return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


def record_words(record: Any) -> Text:
    """The text of a record that says what it is about, with its local names."""
    local = " ".join(
        str(getattr(record, f, "") or "") for f in ("local_name", "city_local")
    ).strip()
    return Text.of(record_text(record), local)


@dataclass(frozen=True)
class Keyword:
    """One keyword of a profile: as written, its stems and its content stems."""

    text: str
    stems: tuple[str, ...]
    content: tuple[tuple[str, str], ...]  # (stem, word) of words that say something
    local: bool  # written in another script: matched exactly

    @classmethod
    def of(cls, text: str) -> Keyword:
        text = text.strip()
        if not is_latin(text):
            return cls(text, (), (), True)
        words = _WORD_RE.findall(text)
        stems = tuple(stem(w) for w in words)
        useful = tuple((stem(w), w.lower()) for w in words if content(w))
        return cls(text, stems, useful, False)


@dataclass(frozen=True)
class KeywordHit:
    keyword: str  # as the profile writes it
    wording: str  # as the record writes it
    weight: float  # 1 for the whole keyword, less for part of it
    local: bool = False  # found in the record's local-script names


def keyword_hits(
    keywords: Iterable[Keyword], text: Text, rarity: Callable[[str], float] = lambda _s: 1.0
) -> list[KeywordHit]:
    """The profile's keywords found in ``text``: whole (every word, in order,
    in any inflection) first, then in part (some of its telling words, not
    shown already). ``rarity(stem)`` (0..1) lowers the weight of words that
    most candidate texts share."""
    hits: list[KeywordHit] = []
    shown: set[str] = set()  # stems already in a hit
    partial: list[Keyword] = []
    for keyword in keywords:
        if keyword.local:
            if keyword.text and keyword.text in text.local:
                hits.append(KeywordHit(keyword.text, keyword.text, 1.0, local=True))
            continue
        at = text.find(keyword.stems)
        if at < 0 or not (keyword.content or len(keyword.stems) > 1):
            partial.append(keyword)
            continue
        if set(keyword.stems) <= shown:
            continue
        shown.update(keyword.stems)
        weight = min((rarity(s) for s, _w in keyword.content), default=1.0)
        hits.append(KeywordHit(keyword.text, text.wording(at, len(keyword.stems)), weight))
    for keyword in partial:
        if len(keyword.content) < 2:
            continue
        found = [
            s
            for s, _w in keyword.content
            if s in text.stem_set and s not in shown and s not in _WEAK_STEMS
        ]
        if not found:
            continue
        shown.update(found)
        wording = " and ".join(dict.fromkeys(text.wording(text.stems.index(s), 1) for s in found))
        weight = 0.5 * len(found) / len(keyword.content) * max(rarity(s) for s in found)
        hits.append(KeywordHit(keyword.text, wording, weight))
    return hits


@dataclass(frozen=True)
class SectorVocabulary:
    """Sector names and aliases as stemmed word sequences, longest first;
    an alias with capitals after its first letter ("IT", "PV") only as written."""

    phrases: tuple[tuple[tuple[str, ...], bool, str], ...]

    @classmethod
    def build(cls, sectors: Iterable[Any]) -> SectorVocabulary:
        found = []
        for sector in sectors:
            for alias in (sector.name, *sector.aliases):
                words = tuple(_WORD_RE.findall(alias))
                if not words:
                    continue
                exact = any(ch.isupper() for ch in alias[1:])
                found.append(
                    (words if exact else tuple(stem(w) for w in words), exact, sector.slug)
                )
        found.sort(key=lambda p: -len(p[0]))
        return cls(tuple(found))

    def named(self, text: Text) -> dict[str, str]:
        """Sectors the text names, each with the text's wording of it."""
        named: dict[str, str] = {}
        for phrase, exact, slug in self.phrases:
            if slug in named:
                continue
            source = text.words if exact else text.stems
            if phrase[0] not in (text.words if exact else text.stem_set):
                continue
            n = len(phrase)
            for i in range(len(source) - n + 1):
                if tuple(source[i : i + n]) == phrase:
                    named[slug] = text.wording(i, n)
                    break
        return named


_STEP_PHRASES = tuple(
    (tuple(stem(w) for w in _WORD_RE.findall(word)), step, word)
    for step, words in STEP_WORDS.items()
    for word in words
)


def steps_named(text: Text) -> dict[str, str]:
    """Value-chain steps the text shows, each with the word that shows it."""
    found: dict[str, str] = {}
    for phrase, step, _word in _STEP_PHRASES:
        if step not in found:
            at = text.find(phrase)
            if at >= 0:
                found[step] = text.wording(at, len(phrase))
    return found
