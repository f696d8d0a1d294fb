"""A name and its detail (year, period, place, website) in one pair of
brackets: never "Forecast vehicle sales (CAAM) (2019)", in Word, PDF or HTML."""

from __future__ import annotations

import re

import docx
import pytest
from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.amounts import bracketed
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.html_backend import render_html
from briefing_app.render.pdf_backend import render_pdf


@pytest.mark.parametrize(
    ("name", "detail", "expected"),
    [
        ("R&D investment", 2021, "R&D investment (2021)"),
        ("Forecast vehicle sales (CAAM)", 2019, "Forecast vehicle sales (CAAM, 2019)"),
        ("Administrative Rules (draft)", "2018", "Administrative Rules (draft, 2018)"),
        ("Growth of beds (CAGR)", 2017, "Growth of beds (CAGR, 2017)"),
        # The detail is already said: once is enough.
        (
            "Life expectancy target (Healthy China 2030)",
            2030,
            "Life expectancy target (Healthy China 2030)",
        ),
        ("13th Five-Year Plan (2016-2020)", "2016-2020", "13th Five-Year Plan (2016-2020)"),
        ("Action plan 2016", "2016-2020", "Action plan 2016"),
        ("Healthy China 2030", "2016-2030", "Healthy China 2030 (2016-2030)"),
        (
            "Expected ICT growth 2016-2021 (CAGR, IDC)",
            2021,
            "Expected ICT growth 2016-2021 (CAGR, IDC)",
        ),
        # Nothing to add; a bracket that is not the name's last group.
        ("GDP", None, "GDP"),
        ("GDP", "", "GDP"),
        ("Sales (cars) of Jilin", 2019, "Sales (cars) of Jilin (2019)"),
        ("Odd name)", 2019, "Odd name) (2019)"),
        (
            "MIIT (Ministry (of) Industry)",
            "www.miit.gov.cn",
            "MIIT (Ministry (of) Industry, www.miit.gov.cn)",
        ),
    ],
)
def test_bracketed_says_the_detail_once_in_one_pair_of_brackets(name, detail, expected):
    assert bracketed(name, detail) == expected


@pytest.fixture(scope="module")
def pearl_river_delta_files(tmp_path_factory):
    """The automotive delegation brief: it lists the CAAM sales forecast."""
    from briefing_app.store import open_store

    out = tmp_path_factory.mktemp("prd")
    with open_store(out / "kb.sqlite") as store:
        document = build_document(
            store,
            Selection(
                country="CN",
                region="pearl-river-delta",
                sectors=("automotive",),
                blueprint="delegation-brief",
            ),
        )
    render_pdf(document, out / "prd.pdf")
    render_docx(document, out / "prd.docx")
    word = "\n".join(p.text for p in docx.Document(str(out / "prd.docx")).paragraphs)
    pdf = "\n".join(page.extract_text() for page in PdfReader(str(out / "prd.pdf")).pages)
    html = re.sub(r"<[^>]+>", "", render_html(document))
    return {"Word": word, "PDF": " ".join(pdf.split()), "HTML": html}


@pytest.mark.parametrize("kind", ["Word", "PDF", "HTML"])
def test_no_double_brackets_in_any_format(pearl_river_delta_files, kind):
    text = pearl_river_delta_files[kind]
    assert "Forecast vehicle sales (CAAM, 2019)" in text
    doubled = re.findall(r"[^()\n]{0,40}\)\s*\([^()\n]{0,40}", text)
    assert not doubled, doubled
