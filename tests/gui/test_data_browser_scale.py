"""The data browser over a knowledge base of a few thousand generated clusters.

The clusters reach the store as a CSV file through ``store.import_file``, as
a user's import would. These tests check behaviour only (which tab has read
its records, which rows a filter keeps, their order, the count label, the
selection); how fast it goes is for the benchmarks.
"""

from __future__ import annotations

import csv
import dataclasses
import random
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from briefing_app.gui.data_browser import TABS, DataBrowser
from briefing_app.gui.data_browser_form import RecordFormDialog
from briefing_app.store import open_store
from briefing_app.store.records import CLUSTER_KINDS, Cluster

GENERATED = 3000
PLACES = ("harbour", "valley", "lakeside", "hillside", "riverside", "old town")
TRADES = ("robotics", "textiles", "ceramics", "optics", "batteries", "furniture", "tea")


def _generated_clusters(regions: list[str], sectors: list[str], sources: list[str]) -> list:
    """Clusters spread over the seed's regions and sectors, some fields left empty."""
    rng = random.Random(7)
    clusters = []
    for n in range(GENERATED):
        place, trade = PLACES[n % len(PLACES)], TRADES[(n // 3) % len(TRADES)]
        clusters.append(
            Cluster(
                slug=f"gen-cluster-{n:05d}",
                name=f"{place.title()} {trade} cluster {n:05d}",
                kind=CLUSTER_KINDS[n % len(CLUSTER_KINDS)],
                country="CN",
                region=regions[(n * 11) % len(regions)],
                local_name="测试集群" if n % 4 == 0 else "",
                city=place.title(),
                industry=f"{trade.title()} makers",
                sectors=tuple(dict.fromkeys(rng.sample(sectors, rng.randint(1, 2)))),
                established=None if n % 9 == 0 else 1950 + (n * 37) % 70,
                description=f"Generated cluster {n} making {trade} by the {place}.",
                source=sources[n % len(sources)],
            )
        )
    return clusters


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


@pytest.fixture(scope="module")
def scale_template(tmp_path_factory, seeded_template):
    """The seeded knowledge base plus the generated clusters, built once."""
    folder = tmp_path_factory.mktemp("scale")
    path = folder / "scale.sqlite"
    shutil.copyfile(seeded_template, path)
    with open_store(path) as store:
        clusters = _generated_clusters(
            [r.slug for r in store.regions(country="CN")],
            [s.slug for s in store.sectors()],
            [s.slug for s in store.sources()],
        )
        names = [f.name for f in dataclasses.fields(Cluster)]
        source = folder / "generated-clusters.csv"
        with open(source, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for cluster in clusters:
                writer.writerow([_csv_cell(getattr(cluster, name)) for name in names])
        assert store.import_file("clusters", source) == GENERATED
    return path


@pytest.fixture
def scale_store(tmp_path, scale_template):
    path = tmp_path / "kb.sqlite"
    shutil.copyfile(scale_template, path)
    with open_store(path) as store:
        yield store


@pytest.fixture
def browser(qtbot, scale_store):
    window = DataBrowser(scale_store)
    qtbot.addWidget(window)
    return window


def _row_text(record) -> str:
    """Every field of a record as the table writes it, case-folded (the test's own)."""
    parts = []
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if isinstance(value, tuple):
            parts.append("; ".join(value))
        elif value is not None:
            parts.append(str(value))
    return " ".join(parts).casefold()


def _expected_slugs(store, text: str) -> set[str]:
    words = text.casefold().split()
    found = {r.slug for r in store.records("clusters") if all(w in _row_text(r) for w in words)}
    hits = {h.slug for h in store.search(text, limit=1000) if h.entity == "clusters"}
    return found | hits


def _shown(page) -> list:
    """The records on screen, top to bottom."""
    proxy, model = page.proxy, page.model
    return [
        model.record_at(proxy.mapToSource(proxy.index(row, 0)).row())
        for row in range(proxy.rowCount())
    ]


def test_only_the_tab_shown_reads_its_records(qtbot, browser, scale_store):
    assert not any(page.loaded for page in browser.pages.values())
    assert browser.pages["clusters"].model.rowCount() == 0

    browser.show()
    clusters = browser.pages["clusters"]
    qtbot.waitUntil(lambda: clusters.loaded)
    total = scale_store.counts()["clusters"]
    assert clusters.model.rowCount() == total
    assert clusters.count_label.text() == f"{total} records"
    assert [e for e, page in browser.pages.items() if page.loaded] == ["clusters"]

    # a tab chosen by the user reads its records as it appears
    browser.tabs.setCurrentIndex([e for e, _ in TABS].index("sectors"))
    qtbot.waitUntil(lambda: browser.pages["sectors"].loaded)
    assert browser.pages["sectors"].model.rowCount() == scale_store.counts()["sectors"]
    assert not browser.pages["policies"].loaded

    # page() and show_entity() hand back a page whose records are read
    assert browser.page("policies").model.rowCount() == scale_store.counts()["policies"]
    assert browser.show_entity("indicators").model.rowCount() == scale_store.counts()["indicators"]


def test_reload_all_reads_again_what_was_read_and_later_tabs_read_fresh(browser, scale_store):
    clusters = browser.show_entity("clusters")
    before = clusters.model.rowCount()
    sector = scale_store.sectors()[0]
    scale_store.upsert(
        "clusters",
        Cluster(
            slug="late-arrival-cluster",
            name="Late arrival cluster",
            kind=CLUSTER_KINDS[0],
            country="CN",
            region=scale_store.regions(country="CN")[0].slug,
            sectors=(sector.slug,),
        ),
    )
    scale_store.upsert("sectors", dataclasses.replace(sector, name="Renamed sector"))
    browser.reload_all()
    assert clusters.model.rowCount() == before + 1
    assert clusters.model.row_of("late-arrival-cluster") >= 0
    assert not browser.pages["sectors"].loaded  # never shown: nothing read
    sectors = browser.show_entity("sectors")
    assert sectors.model.record_at(sectors.model.row_of(sector.slug)).name == "Renamed sector"


@pytest.mark.parametrize(
    "text",
    ["harbour", "Robotics", "lakeside tea", "optics 1970", "测试集群", "zzz-nothing-here", "  "],
)
def test_filter_keeps_exactly_the_matching_rows(browser, scale_store, text):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    page.filter_box.setText(text)
    expected = _expected_slugs(scale_store, text) if text.strip() else set(page.model.slugs())
    shown = [r.slug for r in _shown(page)]
    assert len(shown) == len(set(shown))
    assert set(shown) == expected
    label = f"{len(expected)} of {total}" if len(expected) != total else f"{total} records"
    assert page.count_label.text() == label


def test_filter_keeps_full_text_hits_the_columns_do_not_show(browser, scale_store):
    page = browser.show_entity("clusters")
    cluster = scale_store.get("clusters", "gen-cluster-00042")
    region = scale_store.region(cluster.region)
    assert region.local_name  # the region's Chinese name is in the search index only
    page.filter_box.setText(region.local_name)
    assert cluster.slug in page.proxy.search_hits
    assert cluster.slug in {r.slug for r in _shown(page)}


def test_sorting_orders_every_row_and_filtering_keeps_the_order(browser, scale_store):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    established = page.model.fields.index("established")
    page.table.sortByColumn(established, Qt.SortOrder.DescendingOrder)
    years = [r.established for r in _shown(page)]
    assert len(years) == total
    known = [y for y in years if y is not None]
    assert known == sorted(known, reverse=True)
    assert years[-1] is None and years.index(None) == len(known)  # empty cells last

    page.table.sortByColumn(page.model.fields.index("local_name"), Qt.SortOrder.AscendingOrder)
    local = [r.local_name for r in _shown(page)]
    assert local == sorted(local, key=lambda v: (v or "").casefold())

    name = page.model.fields.index("name")
    page.table.sortByColumn(name, Qt.SortOrder.AscendingOrder)
    page.filter_box.setText("valley")
    shown = _shown(page)
    assert {r.slug for r in shown} == _expected_slugs(scale_store, "valley")
    names = [r.name for r in shown]
    assert names == sorted(names, key=str.casefold)
    page.filter_box.clear()
    assert page.proxy.rowCount() == total
    all_names = [r.name for r in _shown(page)]
    assert all_names == sorted(all_names, key=str.casefold)


def test_selection_follows_the_record_through_filter_and_sort(browser):
    page = browser.show_entity("clusters")
    slug = "gen-cluster-02999"
    page.select_slug(slug)
    assert page.selected_record().slug == slug
    assert page.edit_button.isEnabled()

    page.filter_box.setText("cluster 02999")
    assert page.selected_record().slug == slug
    page.table.sortByColumn(page.model.fields.index("slug"), Qt.SortOrder.DescendingOrder)
    assert page.selected_record().slug == slug
    assert page.table.selectionModel().selectedRows()[0].row() == 0

    page.filter_box.setText("harbour")  # the record is filtered out: nothing chosen
    assert "02999" not in " ".join(r.slug for r in _shown(page))
    assert page.selected_record() is None
    page.select_slug(slug)  # not shown: nothing to select
    assert page.selected_record() is None
    assert not page.edit_button.isEnabled()


def test_typing_waits_for_a_pause_before_filtering(qtbot, browser):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    page.filter_box.setFocus()
    qtbot.keyClicks(page.filter_box, "ceramics hillside")
    assert page.proxy.rowCount() == total  # not after each key
    qtbot.waitUntil(lambda: page.proxy.rowCount() < total)
    names = [r.name.casefold() for r in _shown(page)]
    assert names and all("ceramics" in n and "hillside" in n for n in names)
    assert page.count_label.text() == f"{len(names)} of {total}"


def test_edit_and_delete_under_a_filter_keep_it_and_the_count(browser, monkeypatch):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    page.filter_box.setText("furniture")
    shown = page.proxy.rowCount()
    page.select_slug("gen-cluster-00015")
    assert "furniture" in page.selected_record().industry.casefold()

    def fake_exec(dialog):
        dialog.set_value("name", "Riverside furniture makers' park")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fake_exec)
    page.edit_selected()
    assert page.selected_record().name == "Riverside furniture makers' park"
    assert page.filter_box.text() == "furniture"
    assert page.count_label.text() == f"{shown} of {total}"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.delete_selected() is True
    assert page.count_label.text() == f"{shown - 1} of {total - 1}"
    assert page.model.row_of("gen-cluster-00015") == -1


def test_filter_sort_proxy_passes_qt_model_checks(qtmodeltester, browser):
    page = browser.show_entity("clusters")
    qtmodeltester.check(page.proxy, force_py=True)
    page.table.sortByColumn(page.model.fields.index("region"), Qt.SortOrder.AscendingOrder)
    page.filter_box.setText("tea")
    assert 0 < page.proxy.rowCount() < page.model.rowCount()
    page.select_slug("gen-cluster-00018")  # tea, in the filter
    chosen = page.selected_record()
    # a record put in, replaced and taken away while the checks watch
    extra = dataclasses.replace(chosen, slug="extra-tea-cluster", name="Extra tea cluster")
    page.model.put_record(extra)
    page.model.put_record(dataclasses.replace(extra, name="Another tea cluster"))
    assert "Another tea cluster" in {r.name for r in _shown(page)}
    assert page.selected_record() == chosen
    assert "gen-cluster-00019" in {r.slug for r in _shown(page)}
    page.model.drop_record("gen-cluster-00019")
    assert "gen-cluster-00019" not in {r.slug for r in _shown(page)}
    page.model.drop_record("extra-tea-cluster")
    assert page.selected_record() == chosen
    page.filter_box.setText("")
    page.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # back to the store's order
    assert [r.slug for r in _shown(page)] == page.model.slugs()
    assert page.selected_record() == chosen


def test_controls_have_accessible_names(browser):
    page = browser.show_entity("organisations")
    assert page.table.accessibleName() == "organisations table"
    assert page.filter_box.accessibleName() == "Filter organisations"
    assert page.count_label.accessibleName() == "organisations shown"
    assert browser.tabs.accessibleName()


def test_clicking_a_column_header_sorts_and_a_second_click_reverses(qtbot, browser):
    browser.show()
    page = browser.show_entity("clusters")
    header = page.table.horizontalHeader()
    column = page.model.fields.index("city")
    page.table.scrollTo(page.proxy.index(0, column))
    spot = header.viewport().rect().center()
    spot.setX(header.sectionViewportPosition(column) + header.sectionSize(column) // 2)
    cities = {}
    for _click in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        assert header.sortIndicatorSection() == column
        order = header.sortIndicatorOrder()
        shown = [r.city.casefold() for r in _shown(page)]
        assert shown == sorted(shown, reverse=order == Qt.SortOrder.DescendingOrder)
        cities[order] = shown
    assert set(cities) == {Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder}
    assert len(cities[Qt.SortOrder.AscendingOrder]) == page.model.rowCount()


def test_a_saved_record_takes_its_place_in_the_sorted_table(browser, scale_store, monkeypatch):
    page = browser.show_entity("clusters")
    total = page.model.rowCount()
    page.table.sortByColumn(page.model.fields.index("name"), Qt.SortOrder.AscendingOrder)
    page.select_slug("gen-cluster-01234")
    region = scale_store.regions(country="CN")[0].slug
    fills = iter(
        [
            {"name": "0 Aardvark leather works"},
            {
                "slug": "aaa-new-cluster",
                "name": "0 Aaa new cluster",
                "kind": CLUSTER_KINDS[0],
                "country": "CN",
                "region": region,
            },
        ]
    )

    def fake_exec(dialog):
        for name, text in next(fills).items():
            dialog.set_value(name, text)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fake_exec)
    page.edit_selected()
    shown = _shown(page)
    assert shown[0].slug == "gen-cluster-01234"
    assert shown[0] == scale_store.get("clusters", "gen-cluster-01234")
    assert page.selected_record().name == "0 Aardvark leather works"
    assert page.count_label.text() == f"{total} records"
    names = [r.name for r in shown]
    assert names == sorted(names, key=str.casefold)

    page.filter_box.setText("aardvark")
    page.add_record()  # the new record does not hold the word: filtered out
    assert page.count_label.text() == f"1 of {total + 1}"
    assert page.selected_record().slug == "gen-cluster-01234"
    page.filter_box.clear()
    assert [r.slug for r in _shown(page)[:2]] == ["aaa-new-cluster", "gen-cluster-01234"]
    assert page.model.row_of("aaa-new-cluster") == total
    assert {r.slug for r in page.model.records()} == {
        r.slug for r in scale_store.records("clusters")
    }
