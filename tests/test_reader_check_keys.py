"""The tool-words rule skips a pattern when its key words are absent: that
shortcut must never hide a finding the pattern alone would give."""

import random

from briefing_app.assembly import reader_check as rc

# Phrases each TOOL_WORDS pattern flags, written in mixed case and with the
# letters IGNORECASE treats as the same (dotted/dotless i, long s, Kelvin k).
PHRASES = (
    "knowledge base", "Knowledge-Base", "the database", "From a data set", "in a seed data",
    "unrecorded", "On Record", "on file", "records show", "no figures yet", "holds no",
    "None is tagged", "nothing recorded", "is linked to", "tagged", "not printed in",
    "as printed", "prints them", "the source prints", "added for this", "acronym made up",
    "002", "007's", "imported into", "re-import", "Editor's note", "note to editors", "TODO",
    "FIXME", "TBD", "NB:", "slugs", "placeholder", "templates", "database entry", "entries",
    "no information is available", "Data are not available", "there is no data",
    "No description entered", "section has nothing to",
)  # fmt: skip
VARIANTS = {"i": "Iİı", "s": "Sſ", "k": "K\u212a"}


def _spellings(phrase: str, rng: random.Random, count: int = 60):
    for _ in range(count):
        yield "".join(
            rng.choice(c + c.upper() + VARIANTS.get(c.lower(), "")) if c.isalpha() else c
            for c in phrase
        )


def test_every_tool_word_match_passes_its_key_words():
    rng = random.Random(16)
    matched = 0
    for phrase in PHRASES:
        for spelling in _spellings(phrase, rng):
            text = f"Trade grew. {spelling} here."
            folded = rc._folded(text)
            for (pattern, _message), keys in zip(rc.TOOL_WORDS, rc._TOOL_KEYS, strict=True):
                if pattern.search(text):
                    matched += 1
                    assert any(key in folded for key in keys), (text, pattern.pattern)
    assert matched >= len(PHRASES) * 60  # every phrase is flagged by some pattern


def test_rule_finds_the_same_as_every_pattern_on_its_own():
    text = "No partner is recorded yet; see the knowledge base and the TODO placeholder."
    unit = rc.Unit("2.1 Automotive", text)
    expected = [message for pattern, message in rc.TOOL_WORDS for _ in pattern.finditer(text)]
    assert [f.message for f in rc.rule_tool_words(unit)] == expected
    assert len(expected) >= 4
