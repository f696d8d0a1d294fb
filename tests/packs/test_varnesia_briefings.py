"""Varnesia, an invented second country added by its pack alone: its briefings
(all three blueprints) pass the reader-text checker, build to Word and PDF,
show its local names in Cyrillic and its Lowland Tay place names with stacked
diacritics, and hold nothing of China."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document, plan_outline
from briefing_app.assembly.reader_check import check_document
from briefing_app.export import export_selection
from briefing_app.store import open_store
from tests.varnesia import varnesia_db

HAN = re.compile("[\u3400-\u9fff]")
SECTORS = ("amber-crafts", "tidal-energy", "dairy-farming")  # tidal energy has no cluster


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An empty knowledge base with the shipped library, Varnesia imported by the CLI."""
    folder = tmp_path_factory.mktemp("varnesia")
    db = varnesia_db(folder)
    with open_store(db) as opened:
        yield opened


def read_docx(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def read_pdf(path: Path) -> str:
    """The PDF's text, lines joined: a name wrapped in a table cell reads whole."""
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def build(store, tmp_path, **chosen) -> tuple[str, str]:
    """The briefing's Word and PDF text, once the reader-text checker found nothing."""
    selection = Selection(country="QV", **chosen)
    findings = check_document(build_document(store, selection), store, store.country("QV"))
    assert findings == []
    written = export_selection(store, selection, tmp_path, ("docx", "pdf"))
    paths = {p.suffix: p for p in written}
    return read_docx(paths[".docx"]), read_pdf(paths[".pdf"])


def nothing_of_china(*texts: str) -> None:
    for text in texts:
        assert "China" not in text and "Chinese" not in text
        assert not HAN.search(text)


def test_the_store_holds_varnesia_only(store):
    assert [c.iso_code for c in store.countries()] == ["QV"]
    assert store.region_scope("amber-coast") >= {"severna", "yuzhna", "zlatomor", "kamenets"}
    assert {r.slug for r in store.region_members("iron-triangle")} == {
        "belograd",
        "zlatomor",
        "vostochny",
    }


def test_preparatory_briefing_for_a_region_group(store, tmp_path):
    word, pdf = build(
        store,
        tmp_path,
        region="amber-coast",
        sectors=SECTORS,
        partnerships=("ambernet",),
        blueprint="eccp-preparatory",
    )
    for text in (word, pdf):
        assert "Amber Coast" in text and "Varnesia" in text
        # the place's local name in the cluster tables, the policy's in its profile
        assert "Белоград" in text and "Нгок Ам" in text and "Златомор" in text
        assert "Национальная программа развития кластеров" in text
        assert "Янтарный берег" in text  # the group's own local name
        assert "Tidal energy" in text  # the sector with no cluster has its sections
        # own local names of clusters, organisations and policies, in tables and profiles
        assert "Янтарный кластер Белограда" in text and "Янтарное село Нгок Ам" in text
        assert "Министерство экономики" in text and "Ассоциация кластеров Варнесии" in text
        assert "План модернизации молочной отрасли Северны" in text
        assert "Дорожная карта приливной энергетики" in text
        # no visitor profile chosen: the partner sections are left out, headings too
        assert "Suggested partners" not in text and "Meeting shortlist" not in text
    # Lowland Tay names with stacked diacritics, letter for letter in Word
    assert "Ngọc Ẩm amber craft village" in word and "Kim Hải Ngữ (Zlatomor)" in word
    assert "Ngọc Ẩm" in pdf
    # the pack's own section for its amber sector replaced the generic one
    assert "worked in small family workshops" in word
    nothing_of_china(word, pdf)


def test_delegation_brief_for_a_group_sharing_a_member(store, tmp_path):
    # Zlatomor belongs to both the Amber Coast and the Iron Triangle
    word, pdf = build(
        store,
        tmp_path,
        region="iron-triangle",
        sectors=("river-shipbuilding", "tidal-energy"),
        partnerships=("rivership",),
        blueprint="delegation-brief",
    )
    for text in (word, pdf):
        assert "Iron Triangle" in text and "RIVERSHIP" in text
        assert "Zlatomor river shipbuilding cluster" in text
        assert "Судостроительный кластер Златомора" in text  # the cluster's own name
        assert "Торговая палата Златомора" in text and "Министерство экономики" in text
    assert "Kim Hải Ngữ (Zlatomor)" in word
    nothing_of_china(word, pdf)


def test_country_factsheet(store, tmp_path):
    word, pdf = build(store, tmp_path, blueprint="country-factsheet")
    for text in (word, pdf):
        assert "Varnesia" in text
        assert "National cluster development programme 2021-2027" in text
        assert "Национальная программа развития кластеров 2021–2027" in text
        # list fields imported with ";" read as prose
        assert "Cluster organisations and SMEs" in text
        assert "Strengthen cluster organisations and link clusters with universities" in text
        assert ";SMEs" not in text and ";Link" not in text
    nothing_of_china(word, pdf)


def test_whole_country_preparatory_briefing_with_a_sector_without_clusters(store, tmp_path):
    selection = Selection(country="QV", sectors=("tidal-energy",))
    keys = [item.key for item in plan_outline(store, selection)]
    assert "sector-strength/tidal-energy" in keys and "sector-policies/tidal-energy" in keys
    word, pdf = build(store, tmp_path, sectors=("tidal-energy",))
    for text in (word, pdf):
        assert "Tidal energy roadmap" in text
        assert "Белоград" in text and "Нгок Ам" in text  # the annex's cluster mapping
    nothing_of_china(word, pdf)


@pytest.mark.parametrize("blueprint", ["eccp-preparatory", "delegation-brief", "country-factsheet"])
def test_every_blueprint_for_a_group_whose_member_is_in_two_groups(store, tmp_path, blueprint):
    """The Iron Triangle shares Zlatomor with the Amber Coast; tidal energy has
    no cluster. Each blueprint passes the checker and gives local names."""
    word, pdf = build(
        store,
        tmp_path,
        region="iron-triangle",
        sectors=("river-shipbuilding", "tidal-energy"),
        blueprint=blueprint,
    )
    for text in (word, pdf):
        assert "Varnesia" in text
        if blueprint == "country-factsheet":
            assert "Национальная программа развития кластеров" in text  # a policy's own name
        else:
            assert "Судостроительный кластер Златомора" in text  # a cluster's own name
            assert "Министерство экономики" in text  # an organisation's own name
    nothing_of_china(word, pdf)
