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


# A slot no shipped section is written for, so that the test's own texts
# meet only each other.
PLAIN_SLOT = "annex-rdi-projects"


def _test_overview(store, code="XX"):
    add_section(
        store,
        "overview-for-test",
        "Projects",
        scoped_body(PLAIN_SLOT, "Expert text for one country.", countries=f"[{code}]"),
    )


def test_the_front_matter_names_countries_in_upper_case():
    template = template_from_text("---\ncountries: [cn, ' HK ']\n---\nx\n", "mine")
    assert template.countries == ("CN", "HK")
    assert template_from_text("---\ncountries: CN\n---\nx\n", "mine").countries == ("CN",)
    assert template_from_text("x\n", "mine").countries == ()
    with pytest.raises(TemplateError, match="ISO country codes") as wrong:
        template_from_text("---\ncountries: 86\n---\nx\n", "mine")
    assert wrong.value.section == "mine"


def test_a_stored_section_with_wrong_countries_is_named_in_the_list(seeded_store):
    add_section(
        seeded_store,
        "odd-countries",
        "Odd",
        "---\nvariant_of: annex-rdi-projects\ncountries: {cn: 1}\n---\nText.\n",
    )
    problem = library_problems(seeded_store)["odd-countries"]
    assert "ISO country codes" in problem.message


def test_a_country_variant_replaces_a_plain_slot_for_its_country_only(two_countries):
    _test_overview(two_countries, "CN")
    china = _items(two_countries, Selection(country="CN"))
    assert china[PLAIN_SLOT].section == "overview-for-test"
    assert china[PLAIN_SLOT].written_for == "China"
    assert "Expert text for one country." in document_text(
        build_document(two_countries, Selection(country="CN"))
    )

    freedonia = Selection(country="FD", region="red-delta", sectors=("aquaculture",))
    items = _items(two_countries, freedonia)
    assert items[PLAIN_SLOT].section == PLAIN_SLOT
    assert items[PLAIN_SLOT].written_for == ""
    assert "Expert text for one country." not in document_text(
        build_document(two_countries, freedonia)
    )


def test_a_country_and_sector_variant_beats_the_sector_variant(two_countries):
    add_section(
        two_countries,
        "food-for-every-country",
        "{{ sector.name }}",
        scoped_body("sector-strength", "Food text for any country."),
        sectors=("food",),
    )
    add_section(
        two_countries,
        "food-for-test",
        "{{ sector.name }} in {{ area_name }}",
        scoped_body("sector-strength", "Our food analysis.", countries="[CN]"),
        sectors=("food",),
    )
    # No clash with the variant for every country: the country decides.
    problems = library_problems(two_countries)
    assert "food-for-test" not in problems and "food-for-every-country" not in problems
    selection = Selection(country="CN", sectors=("food", "chemicals"))
    items = _items(two_countries, selection)
    assert items["sector-strength/food"].section == "food-for-test"
    assert items["sector-strength/food"].written_for == "China, Food"
    assert items["sector-strength/chemicals"].section == "sector-strength"
    text = document_text(build_document(two_countries, selection))
    assert text.count("Our food analysis.") == 1 and "Food text for any country." not in text

    # Another country with the same sectors keeps the variant for every country.
    freedonia = Selection(country="FD", sectors=("food", "aquaculture"))
    items = _items(two_countries, freedonia)
    assert items["sector-strength/food"].section == "food-for-every-country"
    assert items["sector-strength/aquaculture"].section == "sector-strength"
    text = document_text(build_document(two_countries, freedonia))
    assert "Food text for any country." in text and "Our food analysis." not in text


def test_a_country_variant_for_a_region_applies_there_only(two_countries):
    add_section(
        two_countries,
        "delta-projects",
        "Projects",
        scoped_body(PLAIN_SLOT, "Delta analysis.", countries="[CN]"),
        regions=("pearl-river-delta",),
    )
    delta = _items(two_countries, Selection(region="pearl-river-delta"))[PLAIN_SLOT]
    assert (delta.section, delta.written_for) == ("delta-projects", "China, Pearl River Delta")
    other = _items(two_countries, Selection(region="yangtze-river-delta"))[PLAIN_SLOT]
    assert other.section == PLAIN_SLOT


def test_two_variants_for_one_country_still_clash(two_countries):
    _test_overview(two_countries, "CN")
    add_section(
        two_countries,
        "another-overview",
        "Projects",
        scoped_body(PLAIN_SLOT, "Second text.", countries="[CN, FD]"),
    )
    problems = library_problems(two_countries)
    assert problems["another-overview"].summary == "clashes with overview-for-test"
    assert "in CN" in problems["another-overview"].message
    with pytest.raises(TemplateError, match="can use only one") as clash:
        plan_outline(two_countries, Selection(country="CN"))
    assert "Take China out of the countries one of them names" in str(clash.value)
    # Freedonia has only one of them: no clash there.
    chosen = _items(two_countries, Selection(country="FD"))[PLAIN_SLOT]
    assert chosen.section == "another-overview" and chosen.written_for == "Freedonia"


def test_variants_for_different_countries_do_not_clash(two_countries):
    _test_overview(two_countries, "CN")
    add_section(
        two_countries,
        "fd-overview",
        "Projects",
        scoped_body(PLAIN_SLOT, "Freedonia text.", countries="[FD]"),
    )
    assert library_problems(two_countries) == {}
    assert _items(two_countries, Selection(country="FD"))[PLAIN_SLOT].section == "fd-overview"
