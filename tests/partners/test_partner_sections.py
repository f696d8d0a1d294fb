"""The "Suggested partners" section and the "Meeting shortlist" annex in real
briefings: built, checked for reader text, written to Word and PDF and read back."""

from __future__ import annotations

import json

import docx
import pytest
from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.reader_check import check_document
from briefing_app.document import BulletList, Heading, Paragraph, plain_text
from briefing_app.errors import BriefingError, NotFoundError
from briefing_app.export import export_briefing

TWO = ("battery-cluster", "technical-university")


def _headings(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading)]


def test_two_profiles_build_in_word_and_pdf_with_section_and_annex(profiled_store, tmp_path):
    selection = Selection(country="CN", blueprint="delegation-brief", profiles=TWO)
    document = build_document(profiled_store, selection)
    headings = _headings(document)
    assert "Suggested partners" in headings and "Meeting shortlist" in headings
    assert {"Nordic battery cluster", "Technical university"} <= set(headings)
    assert check_document(document, profiled_store, "CN") == []
    word, pdf = export_briefing(document, tmp_path / "brief", formats=("docx", "pdf"))
    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    cells = "\n".join(
        c.text for t in docx.Document(str(word)).tables for r in t.rows for c in r.cells
    )
    for wanted in ("Suggested partners", "Nordic battery cluster", "Technical university"):
        assert wanted in text
    assert "National Power Battery Innovation Center" in text
    assert "both work on power battery" in text
    assert "Meeting shortlist" in text and "Why meet" in cells
    assert "Jiangsu Industrial Technology Research Institute" in cells
    pages = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    flat = " ".join(pages.split())
    assert "Suggested partners" in flat and "Meeting shortlist" in flat
    assert "Nordic battery cluster" in flat and "both work on power battery" in flat


def test_the_preparatory_briefing_for_a_province_carries_them_too(profiled_store):
    selection = Selection(
        country="CN", region="jiangsu", blueprint="eccp-preparatory", profiles=TWO
    )
    document = build_document(profiled_store, selection)
    headings = _headings(document)
    assert "Suggested partners" in headings and "Meeting shortlist" in headings
    assert check_document(document, profiled_store, "CN") == []


@pytest.mark.parametrize("blueprint", ["delegation-brief", "eccp-preparatory"])
def test_without_profiles_neither_is_printed(profiled_store, blueprint):
    document = build_document(profiled_store, Selection(country="CN", blueprint=blueprint))
    headings = _headings(document)
    assert "Suggested partners" not in headings and "Meeting shortlist" not in headings


def test_pins_and_drops_of_the_selection_reach_the_briefing(profiled_store):
    plain = Selection(country="CN", blueprint="delegation-brief", profiles=("battery-cluster",))
    first = "National Power Battery Innovation Center"
    assert first in _section_text(build_document(profiled_store, plain))
    dropped = Selection(
        country="CN",
        blueprint="delegation-brief",
        profiles=("battery-cluster",),
        partner_drops=("battery-cluster:clusters/national-power-battery-innovation-center",),
    )
    assert first not in _section_text(build_document(profiled_store, dropped))


def _section_text(document) -> str:
    inside, parts = False, []
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                inside = block.text == "Suggested partners"
        elif inside and isinstance(block, Paragraph):
            parts.append(plain_text(block.runs))
        elif inside and isinstance(block, BulletList):
            parts += [plain_text(item.runs) for item in block.items]
    return "\n".join(parts)


def test_selection_keeps_profiles_pins_and_drops_in_json():
    selection = Selection(
        profiles=TWO,
        partner_pins=("battery-cluster:clusters/x",),
        partner_drops=("technical-university:research/y",),
    )
    again = Selection.from_json(selection.to_json())
    assert again == selection
    # A briefing saved before profiles existed loads with none, and one
    # without profiles is saved exactly as before.
    old = json.loads(Selection().to_json())
    assert "profiles" not in old and Selection.from_json(json.dumps(old)).profiles == ()
    with pytest.raises(BriefingError, match="profiles"):
        Selection.from_json(json.dumps({**old, "profiles": "battery-cluster"}))


def test_an_unknown_profile_is_named_with_the_known_ones(profiled_store):
    selection = Selection(country="CN", profiles=("battery-clustr",))
    with pytest.raises(NotFoundError, match="battery-cluster"):
        build_document(profiled_store, selection)
