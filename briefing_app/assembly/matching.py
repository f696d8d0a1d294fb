"""Which records are relevant to each other, and why, in a phrase.

A partnership, an organisation or a policy (the *subject*) is matched to a
cluster (or any other record, the *candidate*) only when both hold:

1. **Sector**: at the most specific level the subject names, one sector of
   the candidate lies in (or is) one sector of the subject. A record's most
   specific sectors are those it lists without any of their sub-sectors
   beside them: a partnership tagged energy and renewable energy counts as
   renewable energy, so an electrical equipment cluster tagged energy alone
   is not in its field.
2. **Keywords**: the texts of the two records (name, industry, objective,
   focus, description) share at least one term. Words are lower-cased and
   reduced to a crude stem (plural and -ing/-ed endings cut); stop words,
   words that nearly every cluster text uses ("cluster", "industrial",
   "China", ...) and place names are left out. Each alias of a sector
   ("photovoltaic", "blue energy", "vehicles") counts as that sector's term,
   so that two texts naming one field in different words still meet.

The **score** is the number of shared terms, plus one when the two list a
sector in common; a match needs a score of two or more (two terms, or one
term and the same sector), and matches are listed best first. Every match carries its
**reason**, a phrase naming up to three shared terms ("shares vehicles and
ICT with GIVE"): there is no match without one.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Fields whose text says what a record is about, in reading order.
TEXT_FIELDS = ("name", "industry", "objective", "objectives", "focus", "description")
MIN_WORD = 3  # shorter words only count as part of a sector alias ("IT", "5G")
# Two shared terms, or one term and the very same sector: a single word in
# common between records filed under related sectors is too thin a reason.
MIN_SCORE = 2

STOPWORDS = frozenset(
    """a about above after again against all also an and any are around as at be because
    been before being between both but by can could did do does done down during each
    either few for from further had has have having here how if in into is it its itself
    just more most much no nor not now of off on once only or other our out over own same
    should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with within without would you your per via whose across among""".split()
)
# Words that nearly every cluster, partnership or policy text uses: sharing
# one of them says nothing about a common field.
GENERIC = frozenset(
    """cluster industrial industry partnership strategic european europe eu international
    internationally internationalisation internationalise internationalization market
    outside sector company companies firm sme smes business businesse support help joint
    jointly together work bring open new reach main major one two three top rank academy
    social science chinese china national state level centre center zone park base city
    cities district province provincial area region regional development develop
    innovation innovative research technology technologies technological high tech hi
    first largest leading known home like based built set since year including mainly
    mostly many each well smaller small large larger world global key plan policy
    policies programme program project initiative product production producer maker
    manufacturing manufacture manufacturer service enter approved counterpart country
    countries government local central form formed grow grew grown spin supplier example
    name named call called second generation target cooperation cooperate going non
    ranked alliance hub abroad smart platform network networking model case group""".split()
)
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9&²]*")


def stem(word: str) -> str:
    """A crude English stem, enough to meet "vehicles" with "vehicle" and
    "batteries" with "battery"; words of four letters or fewer stay as they are."""
    w = word.lower()
    if len(w) <= 4:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh")):
        if w.endswith(suffix):
            return w[: -len(suffix)] + repl
    if w.endswith("ing") and len(w) > 6:
        return w[:-3]
    if w.endswith("ed") and len(w) > 5:
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass(frozen=True)
class Vocabulary:
    """Sector aliases as word sequences, indexed by their first word (as
    written for an alias with inner capitals, else lower-cased), longest
    first; and the place words to ignore.

    The vocabulary of the same sectors and places is made once per process
    (:meth:`build`), and keeps the terms of the texts read with it
    (:meth:`terms_of`): a window rebuilds its briefing after every click,
    and at 100,000 clusters reading the clusters' texts again took most of
    a rebuild.
    """

    phrases: Mapping[str, tuple[tuple[tuple[str, ...], bool, str], ...]]
    sector_names: Mapping[str, str]  # slug -> name
    places: frozenset[str]
    _read: dict[str, dict[str, str]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def terms_of(self, text: str) -> Mapping[str, str]:
        """``terms(text, self)``, kept (read only: it is shared)."""
        found = self._read.get(text)
        if found is None:
            if len(self._read) >= _TEXTS_KEPT:
                self._read.clear()
            found = self._read[text] = terms(text, self)
        return found

    @classmethod
    def build(cls, sectors: Iterable[Any], places: Iterable[str]) -> Vocabulary:
        sectors = list(sectors)
        places = tuple(places)
        key = (tuple((s.slug, s.name, tuple(s.aliases)) for s in sectors), places)
        with _BUILT_LOCK:
            built = _BUILT.get(key)
        if built is None:
            built = cls._build(sectors, places)
            with _BUILT_LOCK:
                if len(_BUILT) >= _VOCABULARIES_KEPT:
                    _BUILT.clear()
                _BUILT[key] = built
        return built

    @classmethod
    def _build(cls, sectors: Iterable[Any], places: Iterable[str]) -> Vocabulary:
        by_first: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
        names = {}
        for sector in sectors:
            names[sector.slug] = sector.name
            for alias in (sector.name, *sector.aliases):
                words = tuple(_WORD_RE.findall(alias))
                if not words:
                    continue
                # "IT", "IoT", "PV": an alias with capitals after its first
                # letter counts only when written so ("it" is a pronoun).
                exact = any(ch.isupper() for ch in alias[1:])
                key = words if exact else tuple(w.lower() for w in words)
                by_first.setdefault(key[0], []).append((key, exact, sector.slug))
        phrases = {
            first: tuple(sorted(found, key=lambda p: -len(p[0])))  # "blue energy" before "blue"
            for first, found in by_first.items()
        }
        place_words = {stem(w) for place in places for w in _WORD_RE.findall(place)}
        return cls(phrases, names, frozenset(place_words))


def record_text(record: Any) -> str:
    """The text of ``record`` that says what it is about."""
    parts = []
    for name in TEXT_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            parts.append(value)
    return " . ".join(parts)


def terms(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """Keys of ``text``, each with its first wording: "=slug" for a sector
    named by one of its aliases, else the stem of a content word."""
    words = _WORD_RE.findall(text)
    lower = [w.lower() for w in words]
    found: dict[str, str] = {}
    taken = [False] * len(words)
    phrases = vocabulary.phrases
    n = 0
    while n < len(words):
        size = 0
        for candidates in (phrases.get(words[n], ()), phrases.get(lower[n], ())):
            for phrase, exact, sector in candidates:
                length = len(phrase)
                source = words if exact else lower
                if length > size and tuple(source[n : n + length]) == phrase:
                    wording = " ".join(words[n : n + length])
                    found.setdefault("=" + sector, wording if exact else wording.lower())
                    size = length
                    break  # candidates run longest first
        if size:
            taken[n : n + size] = [True] * size
            n += size
        else:
            n += 1
    for n, word in enumerate(words):
        key = stem(word)
        if (
            taken[n]
            or len(word) < MIN_WORD
            or word.isdigit()
            or lower[n] in STOPWORDS
            or key in GENERIC
            or lower[n] in GENERIC
            or key in vocabulary.places
        ):
            continue
        found.setdefault(key, word if word.isupper() else lower[n])
    return found


@dataclass(frozen=True)
class Match:
    """A candidate found relevant to a subject: the ``record``, the
    ``sector`` they meet in, the shared ``terms`` as the candidate words
    them, the ``score`` and the ``reason`` ("shares vehicles and ICT with GIVE")."""

    record: Any
    sector: str
    terms: tuple[str, ...]
    score: int
    reason: str

    @property
    def shares(self) -> str:
        """The reason without the subject, for a list under the subject's own
        name: "shares vehicles and ICT"."""
        head, _, _ = self.reason.rpartition(" with ")
        return head or self.reason

    @property
    def name(self) -> str:
        """The candidate's name, so that ``join_names`` takes a list of matches."""
        return self.record.name


_BUILT_LOCK = threading.Lock()
_BUILT: dict[tuple, Vocabulary] = {}
_VOCABULARIES_KEPT = 8
_TEXTS_KEPT = 200_000  # texts whose terms a vocabulary keeps (some 300 bytes each)


def most_specific(sectors: Iterable[str], scope: Callable[[str], set[str]]) -> list[str]:
    """``sectors`` without those that have one of their sub-sectors beside them."""
    listed = list(dict.fromkeys(sectors))
    return [s for s in listed if not any(t != s and t in scope(s) for t in listed)]


def shared_sectors(
    subject: Iterable[str], candidate: Iterable[str], scope: Callable[[str], set[str]]
) -> list[str]:
    """The candidate's most specific sectors that lie in (or are) one of the
    subject's most specific sectors."""
    meet = []
    mine = most_specific(subject, scope)
    for theirs in most_specific(candidate, scope):
        if any(theirs in scope(own) for own in mine):
            meet.append(theirs)
    return list(dict.fromkeys(meet))


def match(
    subject: Any,
    subject_terms: Mapping[str, str],
    candidate: Any,
    candidate_terms: Mapping[str, str],
    scope: Callable[[str], set[str]],
    vocabulary: Vocabulary,
    label: str,
    sectors: list[str] | None = None,
) -> Match | None:
    """The match of ``candidate`` to ``subject``; None unless they share a
    sector and a term (see the rules above). ``sectors``: the sectors they
    meet in, when already known."""
    own_sectors = tuple(getattr(subject, "sectors", ()) or ())
    their_sectors = tuple(getattr(candidate, "sectors", ()) or ())
    if sectors is None:
        sectors = shared_sectors(own_sectors, their_sectors, scope)
    if not sectors:
        return None
    # A sector named in both texts counts only if it is one of those they
    # meet in, or above or below one: "research" says nothing about ICT.
    common = [
        key
        for key in candidate_terms
        if key in subject_terms
        and (
            not key.startswith("=")
            or any(key[1:] in scope(s) or s in scope(key[1:]) for s in sectors)
        )
    ]
    if not common:
        return None
    shown: list[str] = []
    for key in common:
        word = candidate_terms[key]
        if key.startswith("="):
            sector_word = _sector_word(vocabulary, key[1:])
            if stem(subject_terms[key].lower()) != stem(word.lower()) and word != sector_word:
                word = f"{sector_word} ({word})"  # "photovoltaic" here, "blue energy" there
        if word not in shown:
            shown.append(word)
    same_level = bool(set(own_sectors) & set(their_sectors))
    score = len(common) + (1 if same_level else 0)
    if score < MIN_SCORE:
        return None
    return Match(
        record=candidate,
        sector=sectors[0],
        terms=tuple(shown),
        score=score,
        reason=f"shares {_join(shown[:3])} with {label}",
    )


def rank(
    subject: Any,
    candidates: Iterable[Any],
    scope: Callable[[str], set[str]],
    vocabulary: Vocabulary,
    label: str,
    text_terms: Callable[[Any], Mapping[str, str]],
) -> list[Match]:
    """Every match of ``candidates`` to ``subject``, best first (score, then
    name); ``text_terms(record)`` gives a record's terms (kb memoises them)."""
    own = text_terms(subject)
    own_sectors = tuple(getattr(subject, "sectors", ()) or ())
    meeting: dict[tuple, list[str]] = {}  # candidates' sectors -> where they meet the subject
    found = []
    for candidate in candidates:
        if candidate is subject:
            continue
        theirs = tuple(getattr(candidate, "sectors", ()) or ())
        sectors = meeting.get(theirs)
        if sectors is None:
            sectors = meeting[theirs] = shared_sectors(own_sectors, theirs, scope)
        if not sectors:
            continue  # no sector in common: its text need not be read
        terms_there = text_terms(candidate)
        hit = match(subject, own, candidate, terms_there, scope, vocabulary, label, sectors)
        if hit is not None:
            found.append(hit)
    found.sort(key=lambda m: (-m.score, m.record.name.lower()))
    return found


def _sector_word(vocabulary: Vocabulary, slug: str) -> str:
    """A sector's name inside a sentence: "renewable energy", but "ICT"."""
    name = vocabulary.sector_names.get(slug, slug)
    return name if not name or name[:2].isupper() else name[0].lower() + name[1:]


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
