"""What the acceptance read of issue 13 changed, guarded on real builds.

Each test builds a briefing from the seeded SQLite knowledge base (or the
invented Freedonia), or writes a real .docx / .pdf, and reads it back: sector
names in lower case inside sentences, "the Pearl River Delta", tables without
a mostly empty column or a bare number, no chart printed twice, no section
heading left with nothing under it, short addresses kept whole, and a
paragraph that introduces a list kept on the list's page in Word.
"""

from __future__ import annotations

import zipfile

from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.document import (
    BulletList,
    Document,
    Figure,
    Heading,
    ListItem,
    Metadata,
    Paragraph,
    Table,
    Text,
    document_text,
    plain_text,
)
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.render.url_breaks import with_breaks

PRD = {
    "country": "CN",
    "region": "pearl-river-delta",
    "sectors": ("automotive",),
    "partnerships": ("give",),
    "blueprint": "delegation-brief",
}
FULL_CHINA = {
    "country": "CN",
    "sectors": ("automotive", "human-health", "renewable-energy", "ict"),
    "blueprint": "eccp-preparatory",
}


def _header(table: Table) -> list[str]:
    return [_cell(c) for c in table.header_rows[0]]


def _cell(cell) -> str:
    return cell if isinstance(cell, str) else plain_text(cell)


def test_names_read_as_words_inside_a_sentence():
    assert KnowledgeBase.lower("Human health") == "human health"
    assert KnowledgeBase.lower("Machinery and equipment") == "machinery and equipment"
    assert KnowledgeBase.lower("ICT") == "ICT"
    assert KnowledgeBase.lower("5G networks") == "5G networks"
    assert KnowledgeBase.lower("IoT devices") == "IoT devices"
    assert KnowledgeBase.the("Pearl River Delta") == "the Pearl River Delta"
    assert KnowledgeBase.the("Greater Bay Area", start=True) == "The Greater Bay Area"
    assert KnowledgeBase.the("Jilin") == "Jilin"
    assert KnowledgeBase.the("Beijing-Tianjin-Hebei") == "Beijing-Tianjin-Hebei"


def test_a_delegation_brief_names_its_sectors_and_area_as_prose_does(seeded_store):
    document = build_document(seeded_store, Selection(**PRD))
    text = " ".join(document_text(document).split())
    assert "visit to the Pearl River Delta" in text
    assert "key clusters in automotive" in text
    assert "The Pearl River Delta is home to" in text
    assert "strongest in ICT (7), Automotive" not in text
    # every cluster table gives the local name beside the city, no column of its own
    # three clusters: two profiled, the third named in a sentence, no table of three
    assert "Also in the field: Huadu automobile cluster" in text
    yangtze = Selection(
        country="CN", region="yangtze-river-delta", sectors=("ict",), blueprint="delegation-brief"
    )
    tables = [b for b in build_document(seeded_store, yangtze).blocks if isinstance(b, Table)]
    clusters = [t for t in tables if "Cluster" in _header(t)]
    assert clusters and all("Local name" not in _header(t) for t in clusters)


def test_tables_of_figures_carry_the_unit_with_the_amount(seeded_store):
    document = build_document(seeded_store, Selection(**FULL_CHINA))
    trade = next(
        b for b in document.blocks if isinstance(b, Table) and "Trade in goods" in b.caption
    )
    assert "Unit" not in _header(trade) and "Amount" in _header(trade)
    cells = {_cell(cell) for row in trade.rows for cell in row}
    assert "EUR 170.1 billion" in cells and "170136" not in cells


def test_the_full_briefing_draws_the_count_by_sector_once(seeded_store):
    document = build_document(seeded_store, Selection(**FULL_CHINA))
    captions = [b.caption for b in document.blocks if isinstance(b, Figure)]
    by_sector = [c for c in captions if "by sector" in c]
    assert len(by_sector) == 1, by_sector
    text = document_text(document)
    # innovation centres outside the sectors are named once, not each with the same sentence
    assert text.count("one of the centres of enterprises, institutes and universities") <= 2


def test_no_generic_section_leaves_a_heading_with_nothing_under_it(tiny_country, tmp_path):
    from briefing_app.store import open_store

    with open_store(tmp_path / "fd.sqlite", seed_dir=tiny_country) as store:
        for blueprint, region in (("delegation-brief", "bac-linh"), ("eccp-preparatory", None)):
            document = build_document(
                store,
                Selection(
                    country="FD",
                    region=region,
                    sectors=("aquaculture", "lacquerware"),
                    blueprint=blueprint,
                ),
            )
            blocks = document.blocks
            for here, after in zip(blocks, blocks[1:], strict=False):
                if isinstance(here, Heading) and isinstance(after, Heading):
                    assert after.level > here.level, (blueprint, here.text, after.text)
            assert not isinstance(blocks[-1], Heading)


def test_short_addresses_stay_whole_long_ones_break_after_a_dot_or_slash():
    assert with_breaks("See www.caict.com; or http://auto-stats.org.cn.", "|") == (
        "See www.caict.com; or http://auto-stats.org.cn."
    )
    assert with_breaks("http://transurbaneuchina.eu/", "|") == "http://transurbaneuchina.|eu/"


def _lead_in_document() -> Document:
    filler = tuple(
        Paragraph((Text("Filler text that takes a line or two. " * 12),)) for _ in range(9)
    )
    return Document(
        Metadata(title="Lead-in test"),
        (
            Heading(1, "Scope", "1"),
            *filler,
            Paragraph((Text("The bodies to approach are these:"),)),
            BulletList(tuple(ListItem((Text(f"Body number {n}"),)) for n in range(4))),
            Paragraph((Text("A closing remark with no list after it."),)),
        ),
    )


def test_a_paragraph_that_introduces_a_list_keeps_with_it_in_word(tmp_path):
    path = render_docx(_lead_in_document(), tmp_path / "lead.docx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    lead = xml[: xml.index("The bodies to approach are these:")]
    assert "<w:keepNext/>" in lead[lead.rindex("<w:p>") :]
    closing = xml[: xml.index("A closing remark")]
    assert "<w:keepNext/>" not in closing[closing.rindex("<w:p>") :]


def test_a_paragraph_that_introduces_a_list_shares_its_page_in_the_pdf(tmp_path):
    path = render_pdf(_lead_in_document(), tmp_path / "lead.pdf")
    pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    lead = next(n for n, text in enumerate(pages) if "these:" in text)
    assert "Body number 0" in pages[lead]
