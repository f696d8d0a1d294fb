"""Kinds a country pack brings (a craft village, a craft guild) and the
partnership kinds beyond the ECCP ones reach the reader as labels: the
Word file of a Varnesia briefing, read back with python-docx, puts the
trade agreement with investment and trade, the other agreements with
research cooperation, counts the craft village as one, and never prints a
kind's code."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.reader_check import check_document
from briefing_app.export import export_selection
from briefing_app.store import open_store
from briefing_app.store.records import Partnership
from tests.varnesia import varnesia_db

CODES = re.compile(r"\b(craft-village|craft-guild|trade-agreement|development-zone)\b")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Varnesia imported by the command line into a store with no other data,
    plus a dialogue of the kind "other" beside the pack's trade agreement."""
    folder = tmp_path_factory.mktemp("varnesia-kinds")
    db = varnesia_db(folder)
    with open_store(db) as opened:
        opened.upsert(
            "partnerships",
            Partnership(
                slug="eu-varnesia-energy-dialogue",
                name="Energy policy dialogue between the EU and Varnesia",
                kind="other",
                target_countries=("QV",),
                start_year=2022,
                objective="Compare plans for tidal and offshore power once a year.",
                source="varnesia-statistics-2024",
            ),
        )
        yield opened


def last(text: list[str], paragraph: str) -> int:
    return len(text) - 1 - text[::-1].index(paragraph)


def paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]


def test_the_pack_brought_its_kinds_and_its_records_use_them(store):
    words = store.vocabulary()
    assert words.get("clusters", "craft-village").grouping == "cluster"
    assert store.get("clusters", "ngoc-am-amber-village").kind == "craft-village"
    assert store.get("organisations", "ngoc-am-amber-guild").kind == "craft-guild"
    assert store.get("partnerships", "eu-varnesia-trade-agreement").kind == "trade-agreement"


def test_a_trade_agreement_is_listed_with_investment_and_trade(store, tmp_path):
    selection = Selection(country="QV", sectors=("amber-crafts",), blueprint="eccp-preparatory")
    assert check_document(build_document(store, selection), store, store.country("QV")) == []
    (path,) = export_selection(store, selection, tmp_path, ("docx",))
    text = paragraphs(path)

    # the headings as the body has them (the contents list them first)
    trade = last(text, "Investment and trade")
    research = last(text, "Science, technology and innovation")
    framed = text.index("Trade with the European Union is framed by a trade agreement:")
    assert trade < framed < research
    assert text[framed + 1].startswith(
        "Free trade agreement between the EU and Varnesia (since 2024)"
    )
    intro = next(p for p in text if p.startswith("Cooperation with the European Union rests on"))
    assert research < text.index(intro)
    assert intro == "Cooperation with the European Union rests on one agreement or dialogue:"
    assert text[text.index(intro) + 1].startswith(
        "Energy policy dialogue between the EU and Varnesia"
    )
    assert "Trade agreements:" not in text

    # the cluster mapping counts the pack's own kind by its label
    by_kind = next(p for p in text if p.startswith("By kind, Varnesia has"))
    assert "one craft village" in by_kind and "one development zone" in by_kind
    assert not CODES.search("\n".join(text))


def test_with_the_trade_agreement_alone_no_research_agreement_is_claimed(store, tmp_path):
    """With the dialogue set aside, the trade agreement frames trade and no
    sentence says research cooperation rests on anything."""
    dialogue = store.get("partnerships", "eu-varnesia-energy-dialogue")
    store.delete("partnerships", dialogue.slug)
    try:
        selection = Selection(country="QV", blueprint="eccp-preparatory")
        (path,) = export_selection(store, selection, tmp_path, ("docx",))
        text = paragraphs(path)
        assert "Trade with the European Union is framed by a trade agreement:" in text
        assert not any(p.startswith("Cooperation with the European Union rests on") for p in text)
    finally:
        store.upsert("partnerships", dialogue)
