"""Variants and titles of sections that live only in the database.

A variant made in the section editor is saved the way the editor saves any
new section (``store.save_section(Section(...), None)``); its ``variant_of``
is in the front matter its text opens with and its sectors come from the
record. Everything runs against a private copy of the seeded SQLite file.
"""

from __future__ import annotations

from dataclasses import replace

import docx
import pytest

from briefing_app.assembly import OutlineItem, Selection, build_document, plan_outline
from briefing_app.assembly.library import (
    library_problems,
    readable_title,
    section_label,
    template_from_record,
    template_from_text,
)
from briefing_app.assembly.outline import outline_titles
from briefing_app.document import Heading, document_text
from briefing_app.errors import TemplateError
from briefing_app.render.docx_backend import render_docx
from briefing_app.store import open_store
from briefing_app.store.records import Section

FOOD_TEXT = "Our own in-depth text on {{ sector.name }} in {{ area_name }}."


def variant_body(base: str, text: str, **extra: str) -> str:
    lines = [f"variant_of: {base}", *(f"{k}: {v}" for k, v in extra.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + text + "\n"


def add_section(store, slug, title, body, **applies) -> Section:
    """As the section editor's New... and Save do."""
    return store.save_section(Section(slug=slug, title=title, body=body, **applies), None)


def strength_items(store, selection):
    return {
        i.params["sector"]: i
        for i in plan_outline(store, selection)
        if i.key.startswith("sector-strength/")
    }


def test_a_variant_made_in_the_editor_replaces_the_generic_text_for_its_sector_only(
    seeded_db_path, tmp_path
):
    with open_store(seeded_db_path) as store:
        add_section(
            store,
            "sector-strength-food",
            "{{ sector.name }} in depth",
            variant_body("sector-strength", FOOD_TEXT),
            sectors=("food",),
        )
    # Reopened, as the next session of the application would (the shipped sync runs).
    with open_store(seeded_db_path) as store:
        selection = Selection(sectors=("food", "chemicals"))
        items = strength_items(store, selection)
        assert items["food"].section == "sector-strength-food"
        assert items["food"].title == "Food in depth"
        assert items["chemicals"].section == "sector-strength"
        assert items["chemicals"].title == "Chemicals"

        document = build_document(store, selection)
        text = document_text(document)
        assert "Our own in-depth text on Food in China." in text
        assert "variant_of" not in text  # the front matter is not printed
        headings = [h.text for h in document.headings()]
        assert headings.index("Food in depth") + 1 == headings.index("Chemicals")
        # The generic section still writes the chemicals chapter: its text is
        # what a briefing with chemicals alone prints under that heading.
        alone = build_document(store, Selection(sectors=("chemicals",)))
        assert _section_text(alone, "Chemicals") == _section_text(document, "Chemicals")
        assert "Our own in-depth text" not in document_text(alone)

        path = tmp_path / "food.docx"
        render_docx(document, path)
        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        assert "Our own in-depth text on Food in China." in paragraphs
        assert any(p.endswith("Food in depth") for p in paragraphs)


def _section_text(document, heading: str) -> list[str]:
    """The blocks under ``heading`` up to the next heading of its level or above."""
    blocks = list(document.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    out = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= blocks[start].level:
            break
        out.append(repr(block))
    return out


def test_the_stored_front_matter_decides_even_for_a_shipped_variant(seeded_store):
    # China's own automotive chapter beats the sector's variant for any country.
    shipped = seeded_store.section("sector-strength-automotive-cn")
    assert strength_items(seeded_store, Selection(sectors=("automotive",)))[
        "automotive"
    ].section == ("sector-strength-automotive-cn")
    # The user writes into the stored text that it is no variant any more.
    seeded_store.save_section(
        replace(shipped, body="---\nvariant_of: ''\n---\n" + shipped.body), shipped.version
    )
    assert strength_items(seeded_store, Selection(sectors=("automotive",)))[
        "automotive"
    ].section == ("sector-strength-automotive")


def test_only_a_record_with_a_shipped_default_takes_the_files_variant_of():
    own = Section("sector-strength-automotive", "Mine", "Text.", shipped_body="")
    shipped = replace(own, shipped_body="Text.")
    files = {"sector-strength-automotive": "sector-strength"}
    assert template_from_record(own, files).variant_of == ""
    assert template_from_record(shipped, files).variant_of == "sector-strength"


def test_variants_for_different_regions_do_not_clash(seeded_store):
    for region in ("pearl-river-delta", "yangtze-river-delta"):
        add_section(
            seeded_store,
            f"food-in-{region}",
            "{{ sector.name }} around {{ area_name }}",
            variant_body("sector-strength", f"Food text for {region}."),
            sectors=("food",),
            regions=(region,),
        )
    assert library_problems(seeded_store) == {}
    selection = Selection(region="pearl-river-delta", sectors=("food",))
    assert strength_items(seeded_store, selection)["food"].section == "food-in-pearl-river-delta"
    text = document_text(build_document(seeded_store, selection))
    assert "Food text for pearl-river-delta." in text
    assert "Food text for yangtze-river-delta." not in text


def test_the_variant_naming_the_sector_most_closely_wins(seeded_store):
    """ICT covers electronics and energy covers renewable energy, each with a shipped variant."""
    add_section(
        seeded_store,
        "electronics-in-depth",
        "{{ sector.name }}",
        variant_body("sector-strength", "Our electronics text."),
        sectors=("electronics",),
    )
    add_section(
        seeded_store,
        "energy-in-depth",
        "{{ sector.name }}",
        variant_body("sector-strength", "Our energy text."),
        sectors=("energy",),
    )
    assert library_problems(seeded_store) == {}
    selection = Selection(sectors=("electronics", "ict", "energy", "renewable-energy"))
    chosen = {
        sector: item.section for sector, item in strength_items(seeded_store, selection).items()
    }
    # China's own chapters (countries: [CN]) beat the sector variants they are as close as.
    assert chosen == {
        "electronics": "electronics-in-depth",
        "ict": "sector-strength-ict-cn",
        "energy": "energy-in-depth",
        "renewable-energy": "sector-strength-renewable-energy-cn",
    }
    text = document_text(build_document(seeded_store, selection))
    assert text.count("Our electronics text.") == 1 and text.count("Our energy text.") == 1


def test_a_variant_of_a_missing_section_is_named_in_the_build_and_the_list(seeded_store):
    add_section(
        seeded_store,
        "food-outlook",
        "{{ sector.name }} outlook",
        variant_body("sector-strenght", FOOD_TEXT),
        sectors=("food",),
    )
    problem = library_problems(seeded_store)["food-outlook"]
    assert problem.summary == "variant_of: no such section"
    assert (
        "'sector-strenght'" in problem.message
        and "did you mean 'sector-strength'" in problem.message
    )

    with pytest.raises(TemplateError) as planned:
        plan_outline(seeded_store, Selection(sectors=("food",)))
    assert planned.value.section == "food-outlook"
    assert "did you mean 'sector-strength'" in str(planned.value)
    with pytest.raises(TemplateError, match="food-outlook"):
        build_document(seeded_store, Selection(sectors=("food",)))
    # A briefing the variant is not meant for is not held up by it.
    assert "Chemicals" in document_text(
        build_document(seeded_store, Selection(sectors=("chemicals",)))
    )


def test_two_variants_for_one_sector_stop_the_build_with_both_names(seeded_store):
    add_section(
        seeded_store,
        "my-ict",
        "{{ sector.name }} (ours)",
        # written for China, as the shipped China ICT chapter is
        variant_body("sector-strength", "Our ICT text.", countries="[CN]"),
        sectors=("ict",),
    )
    problems = library_problems(seeded_store)
    assert problems["my-ict"].summary == "clashes with sector-strength-ict-cn"
    assert problems["sector-strength-ict-cn"].summary == "clashes with my-ict"
    assert "for ict" in problems["my-ict"].message
    assert "sector-strength-ict" not in problems  # the variant for any country stands apart

    with pytest.raises(TemplateError) as planned:
        plan_outline(seeded_store, Selection(sectors=("ict",)))
    message = str(planned.value)
    assert "my-ict" in message and "sector-strength-ict-cn" in message and "ICT" in message
    with pytest.raises(TemplateError, match="can use only one"):
        build_document(seeded_store, Selection(sectors=("ict",)))
    # Other sectors build as before.
    assert "Our ICT text." not in document_text(
        build_document(seeded_store, Selection(sectors=("food",)))
    )


def test_a_variant_of_a_variant_or_of_itself_is_reported(seeded_store):
    add_section(
        seeded_store,
        "chain",
        "Chain",
        variant_body("sector-strength-automotive", "x"),
        sectors=("maritime",),
    )
    add_section(seeded_store, "loop", "Loop", variant_body("loop", "x"), sectors=("maritime",))
    problems = library_problems(seeded_store)
    assert "variant_of: sector-strength" in problems["chain"].message
    assert "the section itself" in problems["loop"].message
    with pytest.raises(TemplateError, match="itself a variant"):
        plan_outline(seeded_store, Selection(sectors=("maritime",)))


def test_the_editors_title_front_matter_and_the_stored_one_are_read_together():
    text = (
        '---\ntitle: "{{ sector.name }}"\n---\n---\nvariant_of: sector-strength\n---\nLine one.\n'
    )
    template = template_from_text(text, "mine")
    assert (template.title, template.variant_of, template.body) == (
        "{{ sector.name }}",
        "sector-strength",
        "Line one.\n",
    )
    assert template.first_line == 7
    with pytest.raises(TemplateError) as broken:
        template_from_text("---\ntitle: T\n---\n---\nvariant_of: [unclosed\n---\nx\n", "mine")
    assert broken.value.line is not None and broken.value.line >= 5


def test_titles_read_as_words_where_nothing_is_bound():
    assert readable_title("{{ sector.name }} strengths") == "‹sector› strengths"
    assert (
        readable_title("{{ 'EU-' ~ country.name }} R&DI projects") == "EU-‹country› R&DI projects"
    )
    assert (
        readable_title(
            "{{ 'Clusters in ' ~ (sectors|join_names) if sectors else 'Leading clusters' }}"
        )
        == "Clusters in ‹sectors›"
    )
    assert (
        readable_title("{% if region %}{{ region.name }}{% endif %} notes {# x #}")
        == "‹region› notes"
    )
    assert section_label("{{ sector.name }} policies", "sector-policies") == (
        "‹sector› policies   (sector-policies)"
    )
    assert section_label("", "bare") == "bare   (bare)"


def test_a_title_that_does_not_render_keeps_the_outline_and_fails_the_build(seeded_store):
    generic = seeded_store.section("sector-strength")
    seeded_store.save_section(
        replace(generic, title="{{ sector.nmae }} strengths"), generic.version
    )
    items = strength_items(seeded_store, Selection(sectors=("food",)))
    assert items["food"].title == "‹sector› strengths"
    with pytest.raises(TemplateError) as built:
        build_document(seeded_store, Selection(sectors=("food",)))
    assert built.value.section == "sector-strength (title)" and "nmae" in str(built.value)


def test_a_section_added_by_hand_gets_its_title_rendered_in_the_build(seeded_store):
    selection = Selection(region="pearl-river-delta")
    planned = plan_outline(seeded_store, selection)
    community = seeded_store.section("cluster-community")
    added = OutlineItem(
        key="added:cluster-community", section="cluster-community", title=community.title, level=1
    )
    document = build_document(seeded_store, selection, outline=[*planned, added])
    headings = [h.text for h in document.headings()]
    assert headings.count("Cluster community in Pearl River Delta") == 2
    assert not any("{" in h or "‹" in h for h in headings)


def test_outline_titles_render_hand_added_template_titles_for_the_selection(seeded_store):
    selection = Selection(region="pearl-river-delta")
    planned = plan_outline(seeded_store, selection)[0]
    items = [
        planned,
        OutlineItem(
            "added:cluster-community",
            "cluster-community",
            "Cluster community in {{ area_name }}",
            1,
        ),
        OutlineItem(
            "added:sector-policies",
            "sector-policies",
            "{{ sector.name }} policies and programmes",
            1,
        ),
        # A title the plan rendered keeps its braces: it is never rendered twice.
        OutlineItem("objective", "objective", "Notes on {{ literal }} braces", 1),
        OutlineItem("added:gone", "no-such-section", "{{ area_name }} notes", 1),
    ]
    assert outline_titles(seeded_store, selection, items) == [
        planned.title,
        "Cluster community in Pearl River Delta",
        "‹sector› policies and programmes",
        "Notes on {{ literal }} braces",
        "‹area› notes",
    ]
