"""Citations side by side share a footnote ("A; B"), four sources at most."""

from __future__ import annotations

from briefing_app.assembly.placeholders import MAX_JOINED_CITATIONS, Numbering
from briefing_app.document import FootnoteRef, Text, plain_text


def test_adjacent_citations_join_up_to_the_limit_and_each_is_counted():
    numbering = Numbering()
    runs: list = [Text("A claim")]
    for n in range(MAX_JOINED_CITATIONS + 2):
        numbering.cite(runs, (Text(f"Source {n}."),))
    refs = [r for r in runs if isinstance(r, FootnoteRef)]
    assert [r.number for r in refs] == [1, 2]
    first, second = (plain_text(f.runs) for f in numbering.footnotes)
    assert first == "Source 0; Source 1; Source 2; Source 3."
    assert second == "Source 4; Source 5."
    assert numbering.budget.citations == MAX_JOINED_CITATIONS + 2


def test_a_citation_after_text_starts_its_own_footnote():
    numbering = Numbering()
    runs: list = [Text("One")]
    numbering.cite(runs, (Text("A."),))
    runs.append(Text(" and two"))
    numbering.cite(runs, (Text("B."),))
    assert [plain_text(f.runs) for f in numbering.footnotes] == ["A.", "B."]
