"""The reader-text checker: what a briefing prints is written for its reader.

DESIGN.md "Reader text" sets the rules; this module finds text that breaks
them, in a built :class:`~briefing_app.document.Document` or in the text read
back from a Word or PDF file (``cli_check``). Each rule is a small function
over one *unit* of text (a paragraph, a list item, a table cell, a caption, a
footnote) and gives :class:`Finding` values: the rule, where the text stands
(the heading above it and the unit's index) and an excerpt.

Rules (ids as printed):

- ``tool-words``: words about the tool or its data ("knowledge base", "no ...
  recorded yet", "holds no", "no information is available", "added for this
  ...", a seed number "002") and notes meant for editors.
- ``tautology``: "9 of the 9 ...", "China holds ... for China".
- ``amount-order``: a currency code after its number ("222.7 EUR billion")
  instead of "EUR 222.7 billion".
- ``footnote-after-digit``: a footnote mark straight after a digit, where it
  reads as an exponent.
- ``leftover``: "None", "nan", empty parentheses, a doubled word, template or
  Markdown syntax that was not rendered.
- ``mixed-comparison``: one comparison ("..., against ...") of amounts in two
  currencies or scales.
- ``count-in-digits``: a count of one to nine in digits before the things it
  counts in running text ("has 2 industrial clusters"): the EU style guide
  writes "two industrial clusters". Tables, captions, headings, footnotes
  and PDF pages (which mix tables into the text) are left alone, as are
  figures after a label ("Figure 3", "Phase 2"), decimals, ranges and years.
- ``unofficial-acronym`` and ``series-factor`` need the knowledge base and
  live in :mod:`briefing_app.assembly.reader_figures`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from briefing_app.document import (
    BulletList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    LineBreak,
    Paragraph,
    Runs,
    Table,
    Text,
    cell_runs,
    plain_text,
)

# ISO 4217 codes a briefing is likely to print (and the Chinese "RMB").
CURRENCIES = (
    "EUR USD CNY RMB GBP JPY CHF KRW INR HKD TWD SGD AUD CAD SEK DKK NOK PLN CZK HUF RON BGN"
    " BRL MXN RUB TRY ZAR VND THB IDR MYR PHP NZD ILS AED SAR"
).split()
_CUR = "|".join(CURRENCIES)


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of reader text: ``where`` says where it stands ("2.3.1
    Automotive", "page 12", "paragraph 40"), ``runs`` is None for text read
    from a PDF, where footnote marks cannot be told from digits."""

    where: str
    text: str
    runs: Runs | None = None
    kind: str = "paragraph"  # paragraph | item | cell | caption | footnote | heading | page


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    where: str
    excerpt: str
    message: str

    def line(self) -> str:
        return f"{self.where}: [{self.rule}] {self.message}: \u201c{self.excerpt}\u201d"


# -- rule patterns ------------------------------------------------------------

_I = re.IGNORECASE
TOOL_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), m)
    for p, m in (
        (r"\bknowledge[- ]base\b", "talks about the knowledge base"),
        (
            r"\b(?:the|this|our|in a|from a) (?:data ?base|data ?set|seed data)\b",
            "talks about the data",
        ),
        (
            r"\b(?:un)?recorded\b|\bon record\b|\bon file\b|\brecords? (?:show|hold|list|link)",
            "talks about records",
        ),
        (r"\bno\b[^.;:]{0,80}\byet\b", "says what is missing from the data"),
        (
            r"\bholds? no\b|\bnone (?:is|are) (?:tagged|listed|known)\b|\bnothing (?:is )?(?:recorded|known)\b",  # noqa: E501
            "says what is missing from the data",
        ),
        (
            r"\b(?:is|are) (?:tagged|linked) (?:with|to)\b|\btagged\b",
            "talks about tags in the data",
        ),
        (
            r"\bnot printed in\b|\bas printed\b|\bprints? (?:it|them)\b|\b(?:the )?source prints\b",
            "editor's note about a source",
        ),
        (r"\badded for (?:this|the)\b|\bacronym (?:added|made up|invented)\b", "editor's note"),
        (r"(?<![\w.,])00\d(?:'s)?\b(?![.,]\d)", "names a seed document by number"),
        (r"\bimport(?:ed|ing)? (?:file|into)\b|\bre-?import\b", "talks about importing data"),
        (
            r"\b(?:editor'?s? note|note to (?:the )?editors?|TODO|FIXME|TBD)\b|\bNB:",
            "a note for editors",
        ),
        (r"\b(?:slug|placeholder|template)s?\b", "talks about the tool"),
        (r"\b(?:recorded|listed|database) entr(?:y|ies)\b|\bentries\b", "talks about data entries"),
        (
            r"\bno (?:information|data|details?|figures?|description|profile|statistics)\b"
            r"[^.;:]{0,60}?\b(?:available|given|provided|entered|found)\b"
            r"|\b(?:information|data|details|figures|statistics)\b[^.;:]{0,40}?"
            r"\b(?:is|are) not (?:yet )?(?:available|given|provided|known)\b"
            r"|\bthere (?:is|are) no (?:information|data|details|figures|statistics)\b"
            r"|\b(?:section|chapter|briefing) has nothing to\b",
            "says what is missing from the data",
        ),
    )
)
_TAUTOLOGY_COUNT = re.compile(r"\b(\d[\d,]*) of the \1\b")
_PLACE = r"([A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*){0,3})"
_TAUTOLOGY_PLACE = (
    re.compile(rf"\b{_PLACE} (?:holds|counts|has|hosts) [^.;]*?\b(?:for|in) \1\b(?![\w-])"),
    re.compile(rf"\bof {_PLACE} (?:are|is|lie|lies) (?:in|within) \1\b(?![\w-])"),
)
_AMOUNT_ORDER = re.compile(
    rf"\b\d[\d,.]*\s+(?:{_CUR})\b(?:\s+(?:\d+\s+)?(?:thousand|million|billion|trillion))?"
)
_LEFTOVERS = (
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}"), "template syntax was not rendered"),
    (
        re.compile(r"\*\*|(?<!\w)__\w|\]\(|\[\^|^#{1,6} |^\s*[-*+] \S", re.M),
        "Markdown syntax was not rendered",
    ),
    (
        re.compile(r"(?<!['\u2019])\b(?:None|nan|NaN|undefined)\b(?!['\u2019])"),
        "an empty value is printed",
    ),
    (re.compile(r"\(\s*[,;]?\s*\)"), "empty parentheses"),
    (re.compile(r"\b([A-Za-z]{2,})\s+\1\b", _I), "a word printed twice"),
    (re.compile(r"\s[,;:](?!\d)|\s\.(?![\d\w])|,,|(?<!\.)\.\.(?!\.)"), "stray punctuation"),
)
_COMPARISON = re.compile(r"\b(?:against|compared with|versus|vs\.?|up from|down from)\b", _I)
_AMOUNT = re.compile(
    rf"\b(?P<cur>{_CUR}) (?P<num>\d[\d,.]*)(?: (?P<scale>thousand|million|billion|trillion))?"
)
_LAYOUT_PRONE = ("stray punctuation", "a word printed twice")
_DOUBLE_OK = {"that", "had", "is", "bora", "can", "ha", "la", "sa", "tu"}


# -- text rules --------------------------------------------------------------


def _excerpt(text: str, start: int, end: int, margin: int = 40) -> str:
    left = max(0, start - margin)
    right = min(len(text), end + margin)
    snippet = text[left:right].replace("\n", " ")
    return ("\u2026" if left else "") + snippet.strip() + ("\u2026" if right < len(text) else "")


# Words without which each TOOL_WORDS pattern cannot match (in order): a
# pattern runs only on text that holds one of its words, which spares most
# of the 13 scans of every unit (a build checks its whole text each time).
_TOOL_KEYS: tuple[tuple[str, ...], ...] = (
    ("knowledge",),
    ("data",),
    ("record", "on file"),
    ("yet",),
    ("hold", "none", "nothing"),
    ("tagged", "linked"),
    ("print",),
    ("added for", "acronym"),
    ("00",),
    ("import",),
    ("editor", "todo", "fixme", "tbd", "nb:"),
    ("slug", "placeholder", "template"),
    ("entr",),
    (
        "information",
        "data",
        "detail",
        "figure",
        "description",
        "profile",
        "statistic",
        "nothing to",
        "found",
    ),
)


def _folded(text: str) -> str:
    """``text`` in lower case, at least as loose as IGNORECASE: dotted and
    dotless capital/small i fold to "i" (casefold turns long s and the
    Kelvin sign into s and k)."""
    return text.casefold().replace("i\u0307", "i").replace("\u0131", "i")


def rule_tool_words(unit: Unit) -> Iterator[Finding]:
    if unit.kind == "footnote":
        return  # footnotes carry source titles ("Wind financial database")
    folded = _folded(unit.text)
    for (pattern, message), keys in zip(TOOL_WORDS, _TOOL_KEYS, strict=True):
        if not any(key in folded for key in keys):
            continue
        for match in pattern.finditer(unit.text):
            yield Finding("tool-words", unit.where, _excerpt(unit.text, *match.span()), message)


def rule_tautology(unit: Unit) -> Iterator[Finding]:
    for match in _TAUTOLOGY_COUNT.finditer(unit.text):
        yield Finding(
            "tautology", unit.where, _excerpt(unit.text, *match.span()), "says N of the same N"
        )
    if unit.kind in ("cell", "footnote"):
        return
    for pattern in _TAUTOLOGY_PLACE:
        for match in pattern.finditer(unit.text):
            yield Finding(
                "tautology",
                unit.where,
                _excerpt(unit.text, *match.span()),
                f"places {match.group(1)!r} in itself",
            )


def rule_amount_order(unit: Unit) -> Iterator[Finding]:
    for match in _AMOUNT_ORDER.finditer(unit.text):
        yield Finding(
            "amount-order",
            unit.where,
            _excerpt(unit.text, *match.span()),
            "write the currency first: 'EUR 222.7 billion'",
        )


def rule_footnote_after_digit(unit: Unit) -> Iterator[Finding]:
    if unit.runs is None:
        return
    before = ""
    for run in unit.runs:
        if isinstance(run, Text):
            before = (before + run.text)[-60:]
        elif isinstance(run, LineBreak):
            before = ""
        elif isinstance(run, FootnoteRef):
            if before.rstrip()[-1:].isdigit():
                yield Finding(
                    "footnote-after-digit",
                    unit.where,
                    before.strip()[-50:] + f"[{run.number}]",
                    "a footnote mark after a digit reads as an exponent",
                )
            before += "\u00b9"


def rule_leftovers(unit: Unit) -> Iterator[Finding]:
    for pattern, message in _LEFTOVERS:
        for match in pattern.finditer(unit.text):
            if message == "a word printed twice" and match.group(1).lower() in _DOUBLE_OK:
                continue
            if message == "Markdown syntax was not rendered" and unit.runs is None:
                if match.group(0).lstrip().startswith(("-", "*", "+")):
                    continue  # a PDF's list bullets come back as text
            if unit.kind in ("cell", "page") and message in _LAYOUT_PRONE:
                continue  # cells and PDF pages join text that the reader sees apart
            yield Finding("leftover", unit.where, _excerpt(unit.text, *match.span()), message)


def rule_mixed_comparison(unit: Unit) -> Iterator[Finding]:
    for sentence in re.split(r"(?<=[.;])\s+", unit.text):
        if not _COMPARISON.search(sentence):
            continue
        amounts = {(m.group("cur"), m.group("scale") or "") for m in _AMOUNT.finditer(sentence)}
        currencies = {cur for cur, _scale in amounts}
        if len(currencies) > 1:
            yield Finding(
                "mixed-comparison",
                unit.where,
                _excerpt(sentence, 0, min(len(sentence), 80), 0),
                "compares amounts in different currencies: " + ", ".join(sorted(currencies)),
            )


_COUNT_NOUNS = (
    r"clusters?|zones?|parks?|projects?|partnerships?|regions?|organi[sz]ations?|sectors?"
)
# Words that may stand between a count and its noun ("2 industrial
# clusters", "1 science and technology park"): not these, which start a
# phrase of their own ("5 of the clusters" counts something else).
_NOT_BETWEEN = (
    "of|by|in|on|at|for|to|from|with|per|across|over|under|than|the|a|an|its|their|is|are|"
    "was|were|has|have|had|or|out|between|among|each|every|more|less|fewer|times|years?"
)
_COUNT_IN_DIGITS = re.compile(
    rf"(?<![\w.,/+\-\u2212\u2013(])(?P<n>[1-9])(?=\s)"
    rf"(?P<between>(?:\s+(?!(?:{_NOT_BETWEEN})\b)[^\W\d]+(?:-[^\W\d]+)*){{0,4}}?)"
    rf"\s+(?P<noun>{_COUNT_NOUNS})\b",
    _I,
)
_LABEL_BEFORE = re.compile(
    r"\b(?:figures?|tables?|annex(?:es)?|chapters?|sections?|pages?|phase|tier|level|stage|"
    r"grade|type|class|category|article|step|no|number|version|paragraph|item|point|lot|"
    r"round|batch|wave|group|line|priority|pillar|objective)\.?\s*$",
    _I,
)


def rule_count_in_digits(unit: Unit) -> Iterator[Finding]:
    if unit.kind not in ("paragraph", "item"):
        return
    for match in _COUNT_IN_DIGITS.finditer(unit.text):
        if _LABEL_BEFORE.search(unit.text[max(0, match.start() - 20) : match.start()]):
            continue
        written = _NUMBER_WORDS[int(match.group("n"))] + match.group("between")
        yield Finding(
            "count-in-digits",
            unit.where,
            _excerpt(unit.text, *match.span()),
            f"write a count of one to nine in words: '{written} {match.group('noun')}'",
        )


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


TEXT_RULES: tuple[Callable[[Unit], Iterable[Finding]], ...] = (
    rule_tool_words,
    rule_tautology,
    rule_amount_order,
    rule_footnote_after_digit,
    rule_leftovers,
    rule_mixed_comparison,
    rule_count_in_digits,
)


def check_units(units: Iterable[Unit]) -> list[Finding]:
    """Every finding of the text rules over ``units``, in reading order."""
    found: list[Finding] = []
    for unit in units:
        if not unit.text.strip():
            continue
        for rule in TEXT_RULES:
            found.extend(rule(unit))
    return found


# -- the document model --------------------------------------------------------


def document_units(document: Document) -> list[Unit]:
    """The reader text of a built document, each unit placed under its heading."""
    units: list[Unit] = []
    meta = document.metadata
    for label, value in (("cover title", meta.title), ("cover subtitle", meta.subtitle)):
        units.append(Unit(label, value, None, "heading"))
    units.append(Unit("abstract", meta.abstract))
    units.extend(Unit("cover", row.value, None, "cell") for row in meta.cover_rows)
    where = "front matter"
    for index, block in enumerate(document.blocks, start=1):
        here = f"{where}, block {index}"
        if isinstance(block, Heading):
            where = block.label
            units.append(Unit(where, block.text, None, "heading"))
        elif isinstance(block, Paragraph):
            units.append(Unit(here, block.plain, block.runs))
        elif isinstance(block, BulletList):
            units.extend(_list_units(block, here))
        elif isinstance(block, Table):
            units.append(Unit(here, block.caption, None, "caption"))
            units.append(Unit(here, plain_text(block.source), block.source))
            for row in block.header_rows + block.rows:
                for cell in row:
                    runs = cell_runs(cell)
                    units.append(Unit(here, plain_text(runs), runs, "cell"))
        elif isinstance(block, Figure):
            units.append(Unit(here, block.caption, None, "caption"))
            units.append(Unit(here, plain_text(block.source), block.source))
    for note in document.footnotes:
        units.append(Unit(f"footnote {note.number}", plain_text(note.runs), note.runs, "footnote"))
    return units


def _list_units(bullets: BulletList, where: str) -> Iterator[Unit]:
    for item in bullets.items:
        yield Unit(where, plain_text(item.runs), item.runs, "item")
        if item.children:
            yield from _list_units(item.children, where)


def check_document(
    document: Document, store=None, country: str | None = None, facts=None
) -> list[Finding]:
    """Every finding on ``document``. With ``store`` (and the briefing's
    ``country``), the data rules run too: acronyms the data marks as not
    official, and figures of one series that disagree tenfold. ``facts``
    (``reader_figures.DataFacts``, read from the store beforehand) stand in
    for ``store`` where the store cannot be used."""
    units = document_units(document)
    found = check_units(units)
    if facts is not None:
        from briefing_app.assembly.reader_figures import check_with_facts

        found.extend(check_with_facts(units, facts))
    elif store is not None:
        from briefing_app.assembly.reader_figures import check_with_data

        found.extend(check_with_data(units, store, country))
    return found


def summary(findings: list[Finding]) -> str:
    """ "3 reader-text findings (2 tool-words, 1 tautology)"."""
    if not findings:
        return "no reader-text findings"
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    parts = ", ".join(f"{n} {rule}" for rule, n in counts.items())
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} reader-text {noun} ({parts})"
