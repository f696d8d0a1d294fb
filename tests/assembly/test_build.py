"""Whole briefings from the seeded knowledge base and the shipped library."""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefing_app.assembly import (
    Cover,
    Selection,
    build_document,
    build_section_preview,
    plan_outline,
    render_template,
)
from briefing_app.document import (
    BulletList,
    Figure,
    FootnoteRef,
    Heading,
    ListOfTables,
    Paragraph,
    Table,
    TableOfContents,
    cell_runs,
    document_text,
)
from briefing_app.errors import Cancelled, TemplateError

FOUR = ("automotive", "human-health", "ict", "environmental-services")


def footnote_refs(document) -> list[int]:
    refs: list[int] = []

    def runs(items):
        refs.extend(r.number for r in items if isinstance(r, FootnoteRef))

    def walk_list(bullets: BulletList):
        for entry in bullets.items:
            runs(entry.runs)
            if entry.children:
                walk_list(entry.children)

    for block in document.blocks:
        if isinstance(block, Paragraph):
            runs(block.runs)
        elif isinstance(block, BulletList):
            walk_list(block)
        elif isinstance(block, Table):
            for row in block.header_rows + block.rows:
                for cell in row:
                    runs(cell_runs(cell))
            runs(block.source)
        elif isinstance(block, Figure):
            runs(block.source)
    return refs


@pytest.fixture
def china_four(seeded_store):
    return build_document(seeded_store, Selection(sectors=FOUR))


def test_outline_repeats_sector_slots_with_variants(seeded_store):
    outline = plan_outline(seeded_store, Selection(sectors=FOUR))
    strengths = [i for i in outline if i.key.startswith("sector-strength/")]
    assert [i.params["sector"] for i in strengths] == list(FOUR)
    assert all(i.level == 3 for i in strengths)
    library = {s.slug for s in seeded_store.sections()}
    for entry in strengths:
        assert entry.section in library
    assert strengths[0].title == "Automotive"
    annexes = [i for i in outline if i.annex]
    assert annexes and annexes[-1].section == "annex-bibliography"


def test_outline_without_sectors_has_no_sector_items(seeded_store):
    outline = plan_outline(seeded_store, Selection())
    assert not [i for i in outline if "sector" in i.params]
    assert outline[0].key == "objective"


def test_full_briefing_structure(china_four):
    doc = china_four
    assert isinstance(doc.blocks[0], TableOfContents)
    assert any(isinstance(b, ListOfTables) for b in doc.blocks[:3])
    numbered = [h for h in doc.headings() if h.number]
    chapters = [h.number for h in numbered if h.level == 1]
    assert chapters == [str(n) for n in range(1, len(chapters) + 1)] and len(chapters) >= 5
    sector_headings = [h for h in numbered if h.level == 3 and h.number.startswith("2.3.")]
    assert len(sector_headings) == 4 and sector_headings[0].text == "Automotive"
    annex_heading = next(h for h in doc.headings() if h.text == "Annexes")
    assert annex_heading.number is None
    assert any(h.number == "A.1" for h in numbered)
    anchors = [h.anchor for h in doc.headings()]
    assert len(anchors) == len(set(anchors)) and all(anchors)
    assert doc.metadata.title == "Preparatory Briefing on China"
    labels = [row.label for row in doc.metadata.cover_rows]
    assert "Project acronym" in labels and "Deliverable title and number" in labels


def test_tables_figures_and_footnotes_are_numbered_in_order(china_four):
    doc = china_four
    tables = [t for t in doc.tables() if t.number]
    assert [t.number for t in tables] == list(range(1, len(tables) + 1)) and tables
    figures = doc.figures()
    assert [f.number for f in figures] == list(range(1, len(figures) + 1))
    refs = footnote_refs(doc)
    assert refs == list(range(1, len(doc.footnotes) + 1)), (
        "one footnote per citation, in reading order"
    )
    assert all(note.runs for note in doc.footnotes)


def test_tables_carry_seed_rows(seeded_store, china_four):
    text = document_text(china_four)
    some_cluster = seeded_store.clusters(country="CN")[0]
    assert some_cluster.name in text
    mapping = [t for t in china_four.tables() if "cluster" in t.caption.lower()]
    assert mapping and max(len(t.rows) for t in mapping) >= 20


def test_bibliography_lists_cited_sources(china_four):
    headings = china_four.headings()
    bibliography = next(
        i
        for i, b in enumerate(china_four.blocks)
        if isinstance(b, Heading) and b.text == "Bibliography"
    )
    after = document_text(
        replace(china_four, blocks=china_four.blocks[bibliography + 1 :], footnotes=())
    )
    assert len(after.splitlines()) >= 5
    assert headings[-1].text == "Bibliography"


def test_pearl_river_delta_automotive_names_guangzhou_car_clusters(seeded_store):
    doc = build_document(
        seeded_store, Selection(region="pearl-river-delta", sectors=("automotive",))
    )
    text = document_text(doc)
    assert "Pearl River Delta" in doc.metadata.title
    assert "Guangzhou automobile" in text or "Guangzhou Automobile" in text
    assert "Kunshan IT cluster" not in text


def test_yangtze_river_delta_ict_names_kunshan_it_cluster(seeded_store):
    doc = build_document(seeded_store, Selection(region="yangtze-river-delta", sectors=("ict",)))
    text = document_text(doc)
    assert "Kunshan IT cluster" in text
    assert "Huadu Automobile City" not in text


def test_partnership_sectors_pull_in_matching_clusters(seeded_store):
    give = seeded_store.get("partnerships", "give")
    doc = build_document(seeded_store, Selection(partnerships=("give",)))
    text = document_text(doc)
    assert give.acronym in text
    for sector in give.sectors:
        cluster = seeded_store.clusters(country="CN", sector=sector)[0]
        assert cluster.name in text
    plain = document_text(build_document(seeded_store, Selection()))
    assert plain != text


def test_edited_outline_drops_and_renumbers(seeded_store):
    selection = Selection(sectors=("automotive",))
    outline = plan_outline(seeded_store, selection)
    edited = [replace(i, included=False) if i.key == "economy" else i for i in outline]
    edited = [replace(edited[0], title="Why this briefing"), *edited[1:]]
    doc = build_document(seeded_store, selection.with_outline(edited))
    heads = [(h.number, h.text) for h in doc.headings() if h.level == 1 and h.number]
    assert heads[0] == ("1", "Why this briefing")
    assert all("economy" not in text.lower() for _n, text in heads)


def test_other_blueprints_build(seeded_store):
    brief = build_document(
        seeded_store,
        Selection(blueprint="delegation-brief", partnerships=("give",), sectors=("ict",)),
    )
    assert "GIVE" in document_text(brief) or "give" in document_text(brief).lower()
    factsheet = build_document(seeded_store, Selection(blueprint="country-factsheet"))
    text = document_text(factsheet)
    assert "Policy scope" in text


def test_cover_fields_given_by_the_user_win(seeded_store):
    cover = Cover(title="My own title", lead="Desk B", version="V3")
    doc = build_document(seeded_store, Selection(cover=cover, page_size="Letter"))
    assert doc.metadata.title == "My own title" and doc.metadata.author == "Desk B"
    assert doc.metadata.page_size == "Letter"
    rows = {r.label: r.value for r in doc.metadata.cover_rows}
    assert rows["Document version"] == "V3" and rows["Deliverable lead"] == "Desk B"


def test_progress_and_cancel(seeded_store):
    seen: list[float] = []
    build_document(seeded_store, Selection(), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)

    def cancel(fraction: float) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        build_document(seeded_store, Selection(), progress=cancel)


def test_section_preview(seeded_store):
    selection = Selection(sectors=("ict",))
    item = next(i for i in plan_outline(seeded_store, selection) if i.key == "sector-strength/ict")
    doc = build_section_preview(seeded_store, selection, item)
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].text == "ICT"
    assert doc.blocks[0].number == "2.3.1"
    assert footnote_refs(doc) == list(range(1, len(doc.footnotes) + 1))


def test_render_template_for_the_editor(seeded_store):
    body = (
        '---\nkey: mine\ntitle: "About {{ sector.name }}"\n---\n'
        "{{ area_name }} has {{ kb.clusters(sector=sector)|length }} clusters.\n\n"
        "{{ table(kb.clusters(sector=sector)[:3], [['Name', 'name'], ['City', 'city']],"
        " 'Some clusters') }}\n"
    )
    doc = render_template(seeded_store, Selection(sectors=("ict",)), body, "mine")
    assert doc.blocks[0].text == "About ICT"
    assert any(
        isinstance(b, Table) and b.caption == "Some clusters" and b.number == 1 for b in doc.blocks
    )


def test_render_template_errors_point_into_the_editor_text(seeded_store):
    body = "---\nkey: mine\ntitle: T\n---\nfine\n{{ country.name }} and {{ kb.nothing( }}\n"
    with pytest.raises(TemplateError) as caught:
        render_template(seeded_store, Selection(), body, "mine")
    assert (caught.value.line, caught.value.column) == (6, 24)
    with pytest.raises(TemplateError) as caught:
        render_template(seeded_store, Selection(), "ok\n{{ kb._store }}\n", "mine")
    assert caught.value.line == 2
    with pytest.raises(TemplateError, match="no source"):
        render_template(seeded_store, Selection(), "{{ cite('no-such-source') }}", "mine")


def test_record_text_cannot_inject_markdown(seeded_store):
    body = "{{ '**not bold** <b>x</b> | pipe' }}"
    doc = render_template(seeded_store, Selection(), body, "mine")
    [para] = doc.blocks
    assert para.plain == "**not bold** <b>x</b> | pipe"
    assert not any(getattr(r, "bold", False) for r in para.runs)


def test_an_imported_country_gets_a_briefing_with_nothing_of_china(tmp_path, tiny_country):
    from briefing_app.store import open_store

    with open_store(tmp_path / "fd.sqlite", seed_dir=tiny_country) as store:
        sectors = tuple(s.slug for s in store.sectors())[:2]
        doc = build_document(store, Selection(country="FD", sectors=sectors))
        text = document_text(doc)
        assert doc.metadata.title == "Preparatory Briefing on Freedonia"
        assert "China" not in text and "Chinese" not in text
        assert store.clusters(country="FD")[0].name in text
        assert footnote_refs(doc) == list(range(1, len(doc.footnotes) + 1))
