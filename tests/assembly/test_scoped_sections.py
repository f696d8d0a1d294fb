"""Sections written for one country (``countries`` in the front matter).

A scoped variant takes its generic section's place when the selection's
country is one it names, in a plain slot as in a repeat slot, and it beats a
variant that names no country; two variants equally specific still clash.
Everything runs against a private copy of the seeded SQLite file, with the
invented country of the tests (Freedonia, FD) imported beside China.
"""

from __future__ import annotations

import pytest

from briefing_app.assembly import Selection, build_document, plan_outline
from briefing_app.assembly.library import library_problems, template_from_text
from briefing_app.document import document_text
from briefing_app.errors import TemplateError
from briefing_app.store import ENTITIES
from briefing_app.store.records import Section


def scoped_body(base: str, text: str, **extra: str) -> str:
    lines = [f"variant_of: {base}", *(f"{k}: {v}" for k, v in extra.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + text + "\n"


def add_section(store, slug, title, body, **applies) -> Section:
    """As the section editor's New... and Save do."""
    return store.save_section(Section(slug=slug, title=title, body=body, **applies), None)


@pytest.fixture
def two_countries(seeded_store, tiny_country):
    for entity in ENTITIES:
        path = tiny_country / f"{entity}.csv"
        if path.exists():
            seeded_store.import_file(entity, path)
    return seeded_store


def _items(store, selection):
    return {i.key: i for i in plan_outline(store, selection)}


def _test_overview(store, code="XX"):
    add_section(
        store,
        "overview-for-test",
        "Overview",
        scoped_body("economy-overview", "Expert text for one country.", countries=f"[{code}]"),
    )


def test_the_front_matter_names_countries_in_upper_case():
    template = template_from_text("---\ncountries: [cn, ' HK ']\n---\nx\n", "mine")
    assert template.countries == ("CN", "HK")
    assert template_from_text("---\ncountries: CN\n---\nx\n", "mine").countries == ("CN",)
    assert template_from_text("x\n", "mine").countries == ()


def test_a_country_variant_replaces_a_plain_slot_for_its_country_only(two_countries):
    _test_overview(two_countries, "CN")
    china = _items(two_countries, Selection(country="CN"))
    assert china["economy-overview"].section == "overview-for-test"
    assert china["economy-overview"].written_for == "China"
    assert "Expert text for one country." in document_text(
        build_document(two_countries, Selection(country="CN"))
    )

    freedonia = Selection(country="FD", region="red-delta", sectors=("aquaculture",))
    items = _items(two_countries, freedonia)
    assert items["economy-overview"].section == "economy-overview"
    assert items["economy-overview"].written_for == ""
    assert "Expert text for one country." not in document_text(
        build_document(two_countries, freedonia)
    )


def test_a_country_and_sector_variant_beats_the_sector_variant(two_countries):
    add_section(
        two_countries,
        "automotive-for-test",
        "{{ sector.name }} in {{ area_name }}",
        scoped_body("sector-strength", "Our car analysis.", countries="[CN]"),
        sectors=("automotive",),
    )
    # No clash with the shipped automotive variant, which names no country.
    assert "automotive-for-test" not in library_problems(two_countries)
    selection = Selection(country="CN", sectors=("automotive", "ict"))
    items = _items(two_countries, selection)
    assert items["sector-strength/automotive"].section == "automotive-for-test"
    assert items["sector-strength/automotive"].written_for == "China, Automotive"
    assert items["sector-strength/ict"].section == "sector-strength-ict"
    text = document_text(build_document(two_countries, selection))
    assert text.count("Our car analysis.") == 1

    # Another country with the same sector keeps the shipped variant.
    add_section(
        two_countries,
        "aquaculture-for-test",
        "{{ sector.name }}",
        scoped_body("sector-strength", "Shrimp text.", countries="[CN]"),
        sectors=("aquaculture",),
    )
    freedonia = Selection(country="FD", sectors=("automotive", "aquaculture"))
    items = _items(two_countries, freedonia)
    assert items["sector-strength/automotive"].section == "sector-strength-automotive"
    assert items["sector-strength/aquaculture"].section == "sector-strength"


def test_a_country_variant_for_a_region_applies_there_only(two_countries):
    add_section(
        two_countries,
        "delta-overview",
        "Overview",
        scoped_body("economy-overview", "Delta analysis.", countries="[CN]"),
        regions=("pearl-river-delta",),
    )
    assert _items(two_countries, Selection(region="pearl-river-delta"))[
        "economy-overview"
    ].written_for == ("China, Pearl River Delta")
    assert _items(two_countries, Selection(region="yangtze-river-delta"))[
        "economy-overview"
    ].section == ("economy-overview")


def test_two_variants_for_one_country_still_clash(two_countries):
    _test_overview(two_countries, "CN")
    add_section(
        two_countries,
        "another-overview",
        "Overview",
        scoped_body("economy-overview", "Second text.", countries="[CN, FD]"),
    )
    problems = library_problems(two_countries)
    assert problems["another-overview"].summary == "clashes with overview-for-test"
    assert "in CN" in problems["another-overview"].message
    with pytest.raises(TemplateError, match="can use only one"):
        plan_outline(two_countries, Selection(country="CN"))
    # Freedonia has only one of them: no clash there.
    chosen = _items(two_countries, Selection(country="FD"))["economy-overview"]
    assert chosen.section == "another-overview" and chosen.written_for == "Freedonia"


def test_variants_for_different_countries_do_not_clash(two_countries):
    _test_overview(two_countries, "CN")
    add_section(
        two_countries,
        "fd-overview",
        "Overview",
        scoped_body("economy-overview", "Freedonia text.", countries="[FD]"),
    )
    assert library_problems(two_countries) == {}
    assert _items(two_countries, Selection(country="FD"))["economy-overview"].section == (
        "fd-overview"
    )
