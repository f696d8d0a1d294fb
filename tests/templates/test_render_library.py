"""The shipped library renders on the real knowledge base, and a selection shows.

Each test builds a real briefing from the seeded SQLite knowledge base through
the assembly engine, then reads the document text: no template error, the
clusters of the selected region and sectors appear, and a country added by
import gets a briefing with nothing of the seed country in it.
"""

from __future__ import annotations

import pytest

from briefing_app.document import Heading, Paragraph, document_text
from briefing_app.store import ENTITIES

assembly = pytest.importorskip("briefing_app.assembly")
if not hasattr(assembly, "build_document"):
    pytest.skip("the assembly engine does not export build_document yet", allow_module_level=True)

Selection = assembly.Selection
build_document = assembly.build_document


def _build(store, **selection):
    return build_document(store, Selection(**selection))


def _headings(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading)]


def test_eccp_briefing_for_the_pearl_river_delta_names_its_car_clusters(seeded_store):
    document = _build(
        seeded_store,
        country="CN",
        region="pearl-river-delta",
        sectors=("automotive",),
        blueprint="eccp-preparatory",
    )
    text = document_text(document)
    headings = _headings(document)
    assert "Objective of the report" in headings
    assert "Sectoral strengths" in headings
    assert "Automotive" in headings and "Automotive policies and programmes" in headings
    assert "Guangzhou automobile city cluster" in text
    assert "Huadu" in text
    # the in-depth variant replaced the generic sector section
    assert "New-energy vehicles" in headings
    assert document.footnotes, "facts must carry footnotes"
    assert headings[-1] == "Bibliography"


def test_yangtze_delta_with_ict_names_the_kunshan_it_cluster(seeded_store):
    document = _build(
        seeded_store,
        country="CN",
        region="yangtze-river-delta",
        sectors=("ict",),
        blueprint="eccp-preparatory",
    )
    text = document_text(document)
    assert "Kunshan IT cluster" in text
    assert "Guangzhou automobile city cluster" not in text


def test_a_sector_without_in_depth_text_gets_the_generic_section(seeded_store):
    document = _build(
        seeded_store, country="CN", region="", sectors=("food",), blueprint="eccp-preparatory"
    )
    text = document_text(document)
    assert "Food" in _headings(document)
    assert "Penglai wine cluster" in text


def test_no_heading_is_left_without_content(seeded_store):
    document = _build(
        seeded_store,
        country="CN",
        region="beijing-tianjin-hebei",
        sectors=("human-health", "renewable-energy"),
        blueprint="eccp-preparatory",
    )
    blocks = list(document.blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            assert following is not None, f"{block.text} ends the document"
            if isinstance(following, Heading):
                assert following.level > block.level, f"{block.text} is empty"


@pytest.mark.parametrize("blueprint", ["delegation-brief", "country-factsheet"])
def test_short_blueprints_build(seeded_store, blueprint):
    partnerships = tuple(p.slug for p in seeded_store.partnerships(country="CN", kind="escp-4i"))[
        :2
    ]
    document = _build(
        seeded_store,
        country="CN",
        region="pearl-river-delta",
        sectors=("ict",),
        partnerships=partnerships,
        blueprint=blueprint,
    )
    assert len(document.blocks) > 5
    assert any(isinstance(b, Paragraph) and b.plain for b in document.blocks)


def test_a_country_added_by_import_reads_without_the_seed_country(seeded_store, tiny_country):
    for entity in ENTITIES:
        path = tiny_country / f"{entity}.csv"
        if path.exists():
            seeded_store.import_file(entity, path)
    document = _build(
        seeded_store,
        country="FD",
        region="red-delta",
        sectors=("aquaculture",),
        blueprint="eccp-preparatory",
    )
    text = document_text(document)
    assert "Freedonia" in text and "Thuy An shrimp cluster" in text
    for word in ("China", "Chinese", "Guangzhou", "Beijing"):
        assert word not in text


def test_sector_repeats_are_numbered_like_the_model(seeded_store):
    document = _build(
        seeded_store,
        country="CN",
        region="pearl-river-delta",
        sectors=("automotive", "ict"),
        blueprint="eccp-preparatory",
    )
    labels = [b.label for b in document.blocks if isinstance(b, Heading) and b.number]
    assert "2.3.1 Automotive" in labels and "2.3.2 ICT" in labels
    assert (
        "4.2 Automotive policies and programmes" in labels
        and "4.3 ICT policies and programmes" in labels
    )
    assert labels[-1] == "A.5 Bibliography"


def test_a_selected_partnership_pulls_in_the_clusters_of_its_sectors(seeded_store):
    document = _build(
        seeded_store,
        country="CN",
        region="pearl-river-delta",
        sectors=("ict",),
        partnerships=("give",),
        blueprint="delegation-brief",
    )
    blocks = list(document.blocks)
    start = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Heading) and b.text == "GIVE in the Pearl River Delta"
    )
    end = next(
        i
        for i, b in enumerate(blocks[start + 1 :], start + 1)
        if isinstance(b, Heading) and b.level <= 1
    )
    section = "\n".join(
        document_text(type(document)(document.metadata, tuple(blocks[start:end]))).splitlines()
    )
    # GIVE works in automotive and ICT: both sectors' local clusters are named, though only ICT was selected
    assert "Guangzhou automobile city cluster" in section
    assert "Dongguan IT cluster" in section or "Shenzhen communications cluster" in section
