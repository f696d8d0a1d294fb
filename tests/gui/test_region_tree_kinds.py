"""The region chooser sorts regions by their kinds' groupings and names its
branches with the kinds' plural labels, for any country."""

from __future__ import annotations

from briefing_app.gui.region_tree import RegionTree
from briefing_app.store import open_store
from tests.varnesia import varnesia_db


def branches(tree: RegionTree) -> dict[str, list[str]]:
    root = tree.model.item(0)
    found = {}
    for row in range(root.rowCount()):
        heading = root.child(row)
        found[heading.text()] = [heading.child(i).text() for i in range(heading.rowCount())]
    return found


def test_the_tree_of_china_and_of_a_country_added_by_pack(qtbot, seeded_store, tmp_path):
    tree = RegionTree()
    qtbot.addWidget(tree)
    tree.populate("China", seeded_store.regions(country="CN"), seeded_store.vocabulary())
    china = branches(tree)
    assert list(china) == ["City clusters", "Provinces, municipalities and others"]
    assert any(name.startswith("Pearl River Delta") for name in china["City clusters"])
    assert any(
        name.startswith("Hong Kong") for name in china["Provinces, municipalities and others"]
    )

    db = varnesia_db(tmp_path)
    with open_store(db) as store:
        tree.populate("Varnesia", store.regions(country="QV"), store.vocabulary())
    varnesia = branches(tree)
    assert list(varnesia) == ["City clusters and macro-regions", "Provinces"]
    assert len(varnesia["City clusters and macro-regions"]) == 2
