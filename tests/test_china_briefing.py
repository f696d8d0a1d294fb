"""The product's main job, end to end: the README's build of the full China
briefing, read back from both files and held against the model briefing's
structure (chapters, the four sector sections, annex tables, footnotes)."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from briefing_app import paths
from briefing_app.cli import main

SECTORS = ("automotive", "human-health", "renewable-energy", "ict")
CHAPTERS = (
    "1 Objective of the report",
    "2 China economy",
    "2.1 Overview",
    "2.2 Opportunities for Europe",
    "2.3 Sectoral strengths",
    "2.3.1 Automotive",
    "2.3.2 Human health",
    "2.3.3 Renewable energy",
    "2.3.4 ICT",
    "3 Cluster community in China",
    "3.1 Cluster mapping",
    "3.2 Clusters in",
    "4 Cluster policies and programmes in China",
    "4.1 The cluster policy in China",
    "5 Conclusion",
    "A.1 EU-China flagship initiatives",
    "A.2 EU-China R&DI projects",
    "A.3 Relevant organisations in China",
    "A.4 China cluster mapping",
    "A.5 Bibliography",
)


def _table3_clusters() -> list[dict[str, str]]:
    with open(paths.seed_dir() / "clusters.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r["source"] == "cass-top-100-industrial-clusters-2010"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeded_db_path_module) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("briefing")
    args = [
        "build",
        "--db",
        str(seeded_db_path_module),
        "--blueprint",
        "eccp-preparatory",
        "--country",
        "CN",
        "--format",
        "docx",
        "--format",
        "pdf",
        "--output",
        f"{out}/",
    ]
    for sector in SECTORS:
        args += ["--sector", sector]
    assert main(args) == 0
    docx_path, pdf_path = sorted(out.glob("*.docx"))[0], sorted(out.glob("*.pdf"))[0]
    return docx_path, pdf_path


@pytest.fixture(scope="module")
def seeded_db_path_module(tmp_path_factory) -> Path:
    from briefing_app.store import open_store

    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    open_store(path).close()
    return path


def test_the_seed_holds_the_hundred_clusters_of_table_3():
    assert len(_table3_clusters()) == 100


def test_word_file_has_the_model_structure(built):
    document = docx.Document(built[0])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for chapter in CHAPTERS:
        assert any(h.startswith(chapter) for h in headings), chapter
    # Real contents, figure and table list fields, refreshed by Word on open.
    with zipfile.ZipFile(built[0]) as package:
        body = package.read("word/document.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    fields = re.findall(r"<w:instrText[^>]*>([^<]*)<", body)
    assert any(f.strip().startswith('TOC \\o "1-3"') for f in fields)
    assert any('TOC \\h \\z \\c "Table"' in f for f in fields)
    assert any('TOC \\h \\z \\c "Figure"' in f for f in fields)
    assert "updateFields" in settings


def test_word_file_has_real_footnotes_for_the_sources(built):
    with zipfile.ZipFile(built[0]) as package:
        notes = package.read("word/footnotes.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    references = re.findall(r"<w:footnoteReference [^>]*w:id=\"(\d+)\"", body)
    assert len(references) > 50
    assert notes.count("<w:footnote ") >= len(set(references))


def test_word_annex_lists_all_hundred_table_3_clusters_with_chinese_names(built):
    document = docx.Document(built[0])
    cells = set()
    for table in document.tables:
        for row in table.rows:
            cells.update(cell.text for cell in row.cells)
    missing = [c["name"] for c in _table3_clusters() if c["name"] not in cells]
    assert missing == []
    local = [c["city_local"] for c in _table3_clusters() if c["city_local"]]
    assert local and all(name in cells for name in local)


def test_pdf_has_the_same_structure_contents_and_chinese_text(built):
    reader = pypdf.PdfReader(built[1])
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    assert len(reader.pages) > 20
    assert "Contents" in text
    for chapter in CHAPTERS:
        assert chapter in flat, chapter
    for cluster in _table3_clusters():
        assert cluster["city_local"] in text.replace("\n", ""), cluster["city_local"]
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_pdf_embeds_every_font_it_uses(built):
    reader = pypdf.PdfReader(built[1])
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor_owner = descendants[0].get_object() if descendants else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font.get("/BaseFont"))] = embedded
    assert any("WenQuanYi" in name for name in fonts)
    assert all(fonts.values()), fonts


# -- how much analysis the briefing carries (issue 13) ---------------------------

NUMBERED = re.compile(r"^(\d+(?:\.\d+)*|A\.\d+(?:\.\d+)*)\s")
# Chapters that the analysis written for China fills (templates/sections/china),
# with the words of prose (paragraphs of 25 words or more) each must carry.
ANALYSIS_FLOORS = {
    "2.1": 800,  # economy and its challenges
    "2.2": 1200,  # EU-China trade, market access, research cooperation
    "2.3": 200,  # why these sectors
    "3": 600,  # history and types of clusters and zones
    "3.1": 900,  # city clusters: Pearl River Delta, Yangtze River Delta, Beijing-Tianjin-Hebei
    "3.2": 800,  # the leading clusters of the four sectors
    "4.1": 700,  # guidelines, certification, TORCH, city clusters
    "4.2": 300,  # automotive rules: joint ventures, the 2018 draft rules, opening to 2022
    "4.3": 300,  # health reform and Healthy China 2030
    "4.4": 300,  # renewable energy law, targets, green certificates
    "4.5": 300,  # information strategy, cybersecurity law, telecom licences
    "5": 450,  # conclusion and advice (ENRICH)
    "A.1": 300,  # flagship initiatives
}
SECTOR_CHAPTER_FLOOR = 800
BRIEFING_FLOOR = 9000


def analysis_words(docx_path: Path) -> dict[str, int]:
    """Words in body paragraphs of 25 words or more, by numbered heading
    ("2.1" -> 961); unnumbered sub-headings count with the chapter above."""
    counts: dict[str, int] = {}
    chapter = ""
    for paragraph in docx.Document(str(docx_path)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        found = NUMBERED.match(paragraph.text)
        if style.startswith("Heading") and found:
            chapter = found.group(1)
            counts.setdefault(chapter, 0)
        elif style == "Body Text" and chapter:
            words = len(paragraph.text.split())
            if words >= 25:
                counts[chapter] += words
    return counts


def test_the_briefing_carries_the_analysis_of_the_model(built, seeded_db_path_module):
    from briefing_app.assembly import Selection, plan_outline
    from briefing_app.store import open_store

    counts = analysis_words(built[0])
    report = "\n".join(f"{chapter:>6} {words:6,}" for chapter, words in counts.items())
    print(f"\nwords in paragraphs of 25+ words, by chapter:\n{report}")
    short = {c: (counts.get(c, 0), floor) for c, floor in ANALYSIS_FLOORS.items()}
    assert {c: v for c, v in short.items() if v[0] < v[1]} == {}, report
    # Sector chapters: those written for China (another branch adds them) must
    # each reach the floor of issue 13; the generic ones are the fallback.
    with open_store(seeded_db_path_module) as store:
        items = plan_outline(store, Selection(country="CN", sectors=SECTORS))
    numbers = _numbers(items)
    for item in items:
        if item.key.startswith("sector-strength/") and "China" in item.written_for:
            assert counts[numbers[item.key]] >= SECTOR_CHAPTER_FLOOR, (item.key, report)
    assert sum(counts.values()) >= BRIEFING_FLOOR, report


def _numbers(items) -> dict[str, str]:
    """Key -> number of the items the briefing prints (a left-out one has none)."""
    from briefing_app.assembly.outline import number_outline

    return {n.item.key: n.number for n in number_outline(items)}


def test_the_china_chapters_are_the_analysis_written_for_china(seeded_db_path_module):
    """Every slot the China sections stand in for is filled by them, and the
    outline says so; the sections written for every country stay the fallback."""
    from briefing_app.assembly import Selection, plan_outline
    from briefing_app.store import open_store

    with open_store(seeded_db_path_module) as store:
        items = {i.key: i for i in plan_outline(store, Selection(country="CN", sectors=SECTORS))}
    for key in (
        "economy",
        "economy-overview",
        "opportunities",
        "sector-strengths",
        "cluster-community",
        "cluster-mapping",
        "clusters-in-sectors",
        "cluster-policies",
        "national-cluster-policy",
        "conclusion",
        "annex-flagships",
    ):
        assert items[key].section == f"{key}-cn", key
        assert items[key].written_for == "China", key
    for sector in SECTORS:
        item = items[f"sector-policies/{sector}"]
        assert item.section == f"sector-policies-{sector}-cn"
        assert item.written_for.startswith("China, ")
    assert items["annex-rdi-projects"].section == "annex-rdi-projects"
    assert items["annex-rdi-projects"].written_for == ""
