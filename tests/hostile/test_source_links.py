"""Which source URLs become live links (issue 19, item 11).

A source's URL is imported data. ``javascript:``, ``file:``, UNC paths and
their disguises became live footnote links in Word and PDF; now one rule
(render/links.py) serves all three renderers: only http(s) and mailto links
(and anchors inside the document) are links, everything else is printed as
text. Each output is read back: the Word relationships, the PDF link
annotations, the HTML anchors.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import zipfile

import pytest
from pypdf import PdfReader

from briefing_app.assembly import Selection, render_template
from briefing_app.document import document_text
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.html_backend import render_html
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.store import open_store

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(2)",
    "java\tscript:alert(3)",
    "file:///etc/passwd",
    "\\\\fileserver\\share\\payload.exe",
    "//fileserver/share/payload.exe",
    "data:text/html,<script>alert(4)</script>",
    "vbscript:msgbox(5)",
    "ms-word:ofe|u|http://example.org/x.docx",
    "http:payload",
]
SAFE = ["https://example.org/report.pdf", "http://example.org/", "mailto:desk@example.org"]


@pytest.fixture
def linked(seeded_template, tmp_path):
    """A base whose first sources carry the URLs above, and a section citing them."""
    path = tmp_path / "links.sqlite"
    shutil.copyfile(seeded_template, path)
    with open_store(path) as store:
        slugs = [s.slug for s in store.sources()][: len(HOSTILE) + len(SAFE)]
    with sqlite3.connect(path) as db:
        for slug, url in zip(slugs, HOSTILE + SAFE, strict=True):
            db.execute("UPDATE sources SET url = ? WHERE slug = ?", (url, slug))
    body = "Cited. " + " ".join(f"{{{{ cite('{slug}') }}}}" for slug in slugs) + "\n"
    body += "\n[a markdown link](//fileserver/share/x) and [another](https://example.org/ok)\n"
    with open_store(path) as store:
        return render_template(store, Selection(), body, "editor")


def test_word_footnotes_link_only_web_and_mail(linked, tmp_path):
    out = render_docx(linked, tmp_path / "links.docx")
    with zipfile.ZipFile(out) as package:
        targets = [
            target
            for name in package.namelist()
            if name.endswith(".rels")
            for target in re.findall(
                r'Target="([^"]*)"[^>]*TargetMode="External"', package.read(name).decode()
            )
        ]
    assert sorted(set(targets)) == sorted({*SAFE, "https://example.org/ok"})
    # The hostile addresses are still there, as text.
    assert "file:///etc/passwd" in document_text(linked)


def test_pdf_footnotes_link_only_web_and_mail(linked, tmp_path):
    reader = PdfReader(str(render_pdf(linked, tmp_path / "links.pdf")))
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    uris = [str(u) for u in uris if u is not None]
    assert uris and all(u.startswith(("http://", "https://", "mailto:")) for u in uris), uris
    assert {*SAFE} <= set(uris)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "passwd" in text


def test_html_preview_links_only_web_and_mail(linked):
    page = render_html(linked)
    hrefs = re.findall(r'<a href="([^"]*)"', page)
    external = [h for h in hrefs if not h.startswith("#")]
    assert sorted(set(external)) == sorted({*SAFE, "https://example.org/ok"})


@pytest.mark.parametrize("url", HOSTILE)
def test_the_one_rule_refuses_each_disguise(url):
    from briefing_app.render.links import link_target  # here: new in issue 19

    assert link_target(url) is None


@pytest.mark.parametrize("url", [*SAFE, "#section-2", "HTTPS://EXAMPLE.ORG/A"])
def test_the_one_rule_keeps_web_mail_and_anchors(url):
    from briefing_app.render.links import link_target

    assert link_target(url) == url
