"""The two maps: laid out without collisions, drawn in the PDF as vectors and
in Word as a sharp picture, for China and for a country added by import."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from csv_files import write_csv
from PIL import Image

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.maps import city_clusters_map, clusters_map
from briefing_app.document import Figure, MapGroup, MapPlace, MapSpec, document_text
from briefing_app.geodata import contains, country_polygons
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.html_backend import render_html
from briefing_app.render.maps_labels import Box, Label
from briefing_app.render.maps_layout import Dot, Frame, Shape
from briefing_app.render.maps_png import map_png, png_layout
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.store.entities import ENTITIES

SECTORS = ("automotive", "human-health", "renewable-energy", "ict")
# Invented positions for Freedonia's regions (it has no outline: a graticule places them).
FREEDONIA_POSITIONS = {
    "bac-linh": (21.0, 105.8),
    "nam-thuy": (20.4, 106.2),
    "cao-nguyen": (12.7, 108.1),
    "dong-hai": (21.3, 106.5),
    "red-delta": (20.8, 106.0),
}


@pytest.fixture(scope="module")
def china_specs(tmp_path_factory):
    from briefing_app.store import open_store

    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    with open_store(path) as store:
        kb = KnowledgeBase(store, store.country("CN"))
        yield clusters_map(kb).spec, city_clusters_map(kb).spec, path


def test_china_clusters_map_has_a_circle_per_province_level_area(china_specs):
    spec = china_specs[0]
    names = {p.name for p in spec.places}
    assert {"Zhejiang", "Guangdong", "Beijing", "Hong Kong", "Xinjiang"} <= names
    assert len(spec.places) == 33  # 22 provinces, 4 municipalities, 5 regions, 2 SARs
    by_name = {p.name: p for p in spec.places}
    assert by_name["Zhejiang"].value > by_name["Hebei"].value > 0
    assert by_name["Zhejiang"].local_name == "浙江"


def test_labels_never_overlap_each_other_the_legend_or_the_edge(china_specs):
    for spec in china_specs[:2]:
        layout = png_layout(spec, 6.3)
        labels = [i for i in layout.items if isinstance(i, Label)]
        frames = [i for i in layout.items if isinstance(i, Frame)]
        assert len(frames) == 1
        legend = Box(frames[0].x, frames[0].y, frames[0].x + frames[0].w, frames[0].y + frames[0].h)
        assert 0 <= legend.x0 and legend.x1 <= layout.width and legend.y1 <= layout.height
        from briefing_app.render.maps_png import _measure

        measure = _measure(*(str(p) for p in _theme_fonts()))
        placed = []
        for label in labels:
            box = Box(
                label.x,
                label.y - label.size * 0.24,
                label.x + measure(label.text, label.size, label.bold),
                label.y + label.size * 0.78,
            )
            assert 0 <= box.x0 and box.x1 <= layout.width, label.text
            assert 0 <= box.y0 and box.y1 <= layout.height, label.text
            inside_legend = legend.x0 <= box.x0 and box.x1 <= legend.x1 + 0.01
            if not inside_legend:
                assert not box.overlaps(legend), label.text
                placed.append((label.text, box))
        for n, (text, box) in enumerate(placed):
            for other_text, other in placed[n + 1 :]:
                assert not box.overlaps(other), (text, other_text)
        # The biggest areas are named; crowded small ones may be left unnamed.
        texts = " ".join(label.text for label in labels)
        if spec.kind == "clusters":
            assert "Zhejiang 浙江" in texts and "Guangdong 广东" in texts
        else:
            assert "Yangtze River Delta" in texts and "Pearl River Delta" in texts


def _theme_fonts():
    from briefing_app.render.theme import load_theme

    theme = load_theme()
    return theme.font_path("body"), theme.font_path("bold"), theme.font_path("cjk")


def test_the_outline_is_china_with_hong_kong_and_macao_and_every_seed_point_on_it(china_specs):
    polygons = country_polygons("CN")
    assert polygons and country_polygons("cn") == polygons
    hong_kong = next(p for p in china_specs[0].places if p.name == "Hong Kong")
    assert any(contains(p, 114.17, 22.40) for p in polygons)  # Kowloon: from the HK outline
    assert country_polygons("FD") == ()  # invented: no outline, no error
    for place in china_specs[0].places + china_specs[1].places:
        near = any(
            contains(p, place.longitude + dx, place.latitude + dy)
            for p in polygons
            for dx in (-0.07, 0, 0.07)
            for dy in (-0.07, 0, 0.07)
        )
        assert near, place.name
    assert hong_kong.latitude == pytest.approx(22.32)


def test_projection_is_corrected_for_latitude():
    # Two places one degree apart east-west and north-south, at 60 degrees north:
    # a degree of longitude is drawn half as long as one of latitude.
    spec = MapSpec(
        "clusters",
        "FD",
        (
            MapPlace("A", 60.0, 10.0, value=1),
            MapPlace("B", 60.0, 11.0, value=1),
            MapPlace("C", 61.0, 10.0, value=1),
        ),
    )
    layout = png_layout(spec, 6.3)
    # Equal values: the circles come in the places' order (A, B, C), before the legend's.
    a, b, c = [d for d in layout.items if isinstance(d, Dot)][:3]
    assert b.y == pytest.approx(a.y) and c.x == pytest.approx(a.x)
    assert (b.x - a.x) / (c.y - a.y) == pytest.approx(0.5, abs=0.02)


def test_map_png_is_sharp_enough_for_print(china_specs):
    png = map_png(china_specs[0], 6.3, 200)
    image = Image.open(io.BytesIO(png))
    assert image.width == 1260 and 0.45 <= image.height / image.width <= 0.9


@pytest.fixture(scope="module")
def china_files(tmp_path_factory, china_specs):
    from briefing_app.store import open_store

    out = tmp_path_factory.mktemp("china")
    with open_store(china_specs[2]) as store:
        document = build_document(
            store, Selection(country="CN", sectors=SECTORS, blueprint="eccp-preparatory")
        )
    render_pdf(document, out / "china.pdf")
    render_docx(document, out / "china.docx")
    return document, out / "china.pdf", out / "china.docx"


def test_full_china_briefing_has_both_maps_in_the_document_model(china_files):
    maps = [f for f in china_files[0].figures() if f.map is not None]
    assert {f.map.kind for f in maps} == {"clusters", "city-clusters"}
    captions = [f.caption_label for f in maps]
    assert any("City clusters of China" in c for c in captions)
    assert any(c.startswith("Figure") and "by area, China" in c for c in captions)
    clusters = next(f for f in maps if f.map.kind == "clusters")
    assert "Natural Earth" in "".join(getattr(r, "text", "") for r in clusters.source)


def test_pdf_draws_the_maps_as_vectors_with_their_labels_and_captions(china_files):
    reader = pypdf.PdfReader(china_files[1])
    pages = {}
    for page in reader.pages:
        text = page.extract_text()
        for needle in ("City clusters of China", "by area, China"):
            if re.search(r"Figure \d+ - [^\n]*" + re.escape(needle), text):
                pages[needle] = page
    assert set(pages) == {"City clusters of China", "by area, China"}
    clusters_page = pages["by area, China"]
    text = clusters_page.extract_text()
    assert "Zhejiang" in text and "浙江" in text and "Clusters" in text
    content = clusters_page.get_contents().get_data().decode("latin-1")
    # The outline and circles are paths drawn on the page (moveto/lineto/curveto, fill),
    # not a picture.
    assert content.count(" l\n") + content.count(" l ") > 500
    assert content.count(" c\n") + content.count(" c ") > 100
    assert "长江三角洲" in pages["City clusters of China"].extract_text()


def test_word_shows_each_map_as_a_200_dpi_picture_with_its_caption(china_files):
    document = docx.Document(china_files[2])
    body = document.element.body
    pictures = {}
    for inline in body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"
    ):
        descr = inline.docPr.get("descr", "")
        if "City clusters of China" in descr or "by area, China" in descr:
            blip = inline.xpath(".//a:blip")[0]
            rid = blip.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
            )
            image = document.part.related_parts[rid]
            width_in = int(inline.extent.cx) / 914400
            pixels = Image.open(io.BytesIO(image.blob)).width
            pictures[descr] = pixels / width_in
    assert len(pictures) == 2
    assert min(pictures.values()) >= 199
    paragraphs = [p.text for p in document.paragraphs]
    assert any(re.match(r"Figure \d+ - City clusters of China", p) for p in paragraphs)
    with zipfile.ZipFile(china_files[2]) as package:
        assert "Natural Earth" in package.read("word/document.xml").decode("utf-8")


def test_preview_html_shows_the_maps_as_pictures(china_files):
    page = render_html(china_files[0])
    for figure in china_files[0].figures():
        if figure.map is not None:
            caption = '<p class="caption" align="center">' + figure.caption_label
            at = page.index(caption.replace("&", "&amp;"))
            before = page.rfind('<p class="caption"', 0, at)
            assert '<img src="data:image/png;base64,' in page[before:at]


def _freedonia(seeded_store, tiny_country: Path, folder: Path, positions: bool) -> None:
    """Import the invented country's files, its regions with or without positions."""
    for entity in ENTITIES:
        path = tiny_country / f"{entity}.csv"
        if not path.exists():
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if entity == "regions" and positions:
            rows = [
                {
                    **row,
                    "latitude": str(FREEDONIA_POSITIONS[row["slug"]][0]),
                    "longitude": str(FREEDONIA_POSITIONS[row["slug"]][1]),
                    "position_source": "freedonia-statistics-2024",
                }
                if row["slug"] in FREEDONIA_POSITIONS
                else row
                for row in rows
            ]
        seeded_store.import_file(entity, write_csv(folder / f"{entity}.csv", rows))


@pytest.mark.parametrize("blueprint", ["eccp-preparatory", "delegation-brief"])
def test_a_country_given_positions_by_import_gets_a_clusters_map(
    seeded_store, tiny_country, tmp_path, blueprint
):
    _freedonia(seeded_store, tiny_country, tmp_path, positions=True)
    document = build_document(
        seeded_store, Selection(country="FD", region="dong-hai", blueprint=blueprint)
    )
    maps = [f for f in document.figures() if f.map is not None]
    assert [f.map.kind for f in maps if f.map.kind == "clusters"] == ["clusters"]
    spec = next(f.map for f in maps if f.map.kind == "clusters")
    assert {p.name for p in spec.places} == {"Bac Linh", "Nam Thuy", "Cao Nguyen"}
    assert [p.name for p in spec.places if p.highlighted] == ["Bac Linh"]
    assert spec.marker is not None and spec.marker.name == "Dong Hai"
    render_pdf(document, tmp_path / "fd.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "fd.pdf").pages)
    assert "Bắc Lĩnh" in text and "Freedonia" in text
    assert "China" not in document_text(document)


def test_a_country_without_positions_builds_with_no_map_and_no_word_of_one(
    seeded_store, tiny_country, tmp_path
):
    _freedonia(seeded_store, tiny_country, tmp_path, positions=False)
    document = build_document(
        seeded_store,
        Selection(country="FD", sectors=("aquaculture",), blueprint="eccp-preparatory"),
    )
    assert not [f for f in document.figures() if f.map is not None]
    # Nothing stands in for the map: no empty figure, no caption of one.
    assert all(f.chart is not None or f.image for f in document.figures())
    assert "by area, Freedonia" not in document_text(document)
    render_pdf(document, tmp_path / "fd.pdf")
    render_docx(document, tmp_path / "fd.docx")
    assert (tmp_path / "fd.pdf").stat().st_size > 0


def test_a_figure_holding_a_map_spec_draws_in_every_format(tmp_path):
    from briefing_app.document import Document, Metadata

    spec = MapSpec(
        "city-clusters",
        "FR",
        (
            MapPlace("Lyon", 45.76, 4.84, groups=(0,)),
            MapPlace("Grenoble", 45.19, 5.72, groups=(0,)),
            MapPlace("Marseille", 43.30, 5.37),
        ),
        groups=(MapGroup("Auvergne-Rhône-Alpes"),),
    )
    document = Document(Metadata("Maps"), (Figure("A map of France", number=1, map=spec),))
    render_pdf(document, tmp_path / "fr.pdf")
    render_docx(document, tmp_path / "fr.docx")
    layout = png_layout(spec, 6.3)
    assert any(isinstance(i, Shape) and i.fill for i in layout.items)  # France's outline
    # Framed on mainland France, not stretched to its overseas departments.
    assert 0.8 <= layout.height / layout.width <= 0.9
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "fr.pdf").pages)
    assert "Auvergne-Rhône-Alpes" in text and "Figure 1 - A map of France" in text


def test_a_missing_or_broken_outlines_file_draws_the_places_on_a_grid(tmp_path, monkeypatch):
    from briefing_app import geodata as maps_geodata

    broken = tmp_path / "countries.json.gz"
    broken.write_bytes(b"not gzip")
    monkeypatch.setattr(maps_geodata, "outlines_file", lambda: broken)
    monkeypatch.setattr(maps_geodata, "_FILE", None)
    monkeypatch.setattr(maps_geodata, "_DECODED", {})
    spec = MapSpec("clusters", "CN", (MapPlace("Hangzhou", 30.27, 120.16, value=3),))
    layout = png_layout(spec, 6.3)
    grid = [i for i in layout.items if isinstance(i, Shape)]
    assert grid and all(shape.fill is None for shape in grid)  # lines, no outline
    assert any(isinstance(i, Label) and i.text == "Hangzhou" for i in layout.items)
    assert str(broken) in maps_geodata._FILE["problem"]


def test_map_figure_with_an_unknown_kind_names_the_kinds(seeded_store):
    from briefing_app.assembly import render_template
    from briefing_app.errors import TemplateError

    with pytest.raises(TemplateError) as caught:
        render_template(
            seeded_store, Selection(country="CN"), "{{ map_figure('provinces') }}", name="t"
        )
    assert "clusters, city-clusters" in str(caught.value)


def test_map_figure_width_is_a_share_of_the_text_width(seeded_store):
    from briefing_app.assembly import render_template
    from briefing_app.errors import TemplateError

    selection = Selection(country="CN", region="zhejiang")
    document = render_template(seeded_store, selection, "{{ map_figure(width=0.6) }}", name="t")
    (figure,) = document.figures()
    assert figure.width_fraction == 0.6 and figure.map.kind == "clusters"
    assert [p.name for p in figure.map.places if p.highlighted] == ["Zhejiang"]
    with pytest.raises(TemplateError) as caught:
        render_template(seeded_store, selection, "{{ map_figure(width=2) }}", name="t")
    assert "0.3 to 1" in str(caught.value)


def test_a_group_name_sits_beside_its_own_shading_not_over_another_group():
    """Two groups side by side, one long and slanted (Varnesia's Amber Coast
    and Iron Triangle): each name lies off both shadings and nearer its own."""
    spec = MapSpec(
        "city-clusters",
        "QV",
        (
            MapPlace("Severna", 56.2, 21.6, groups=(0,)),
            MapPlace("Yuzhna", 54.3, 21.0, groups=(0,)),
            MapPlace("Belograd", 55.8, 22.0, groups=(1,)),
            MapPlace("Vostochny", 55.4, 23.4, groups=(1,)),
        ),
        groups=(MapGroup("Amber Coast", "Янтарный берег"), MapGroup("Iron Triangle")),
    )
    layout = png_layout(spec, 6.3)
    shades = [item for item in layout.items if isinstance(item, Shape) and item.opacity < 1]
    assert len(shades) == 2
    for name in ("Amber Coast", "Iron Triangle"):
        (label,) = [
            i for i in layout.items if isinstance(i, Label) and i.bold and i.text.startswith(name)
        ]
        width = len(label.text) * label.size * 0.45  # under the drawn width
        box = Box(label.x, label.y - 0.2 * label.size, label.x + width, label.y + 0.7 * label.size)
        assert not any(box.meets_ring(shade.rings[0]) for shade in shades), name
        nearest = min(shades, key=lambda shade: _nearest(shade.rings[0], box))
        assert nearest.stroke == label.colour, name  # its own group's shading


def _nearest(ring, box) -> float:
    """How far the nearest point of ``ring`` is from ``box``."""

    def gap(low: float, high: float, value: float) -> float:
        return max(low - value, 0.0, value - high)

    return min(gap(box.x0, box.x1, x) ** 2 + gap(box.y0, box.y1, y) ** 2 for x, y in ring)
