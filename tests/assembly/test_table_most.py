"""``table(..., most=N)``: the leading rows of a long list and a line saying how
many there are; shipped sections bound their tables, so a knowledge base
past the build's row limit still builds (issue 16 found it at 100,000
clusters)."""

from __future__ import annotations

import csv

import pytest

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.build import render_template
from briefing_app.document import Paragraph, Table, plain_text
from briefing_app.errors import TemplateError

CN = Selection(country="CN", sectors=("automotive",))


def _rendered(store, body: str, preview_rows=None):
    document = render_template(store, CN, body)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    texts = [plain_text(b.runs) for b in document.blocks if isinstance(b, Paragraph)]
    return tables, texts


ALL = "kb.clusters(region='*')"


def test_most_keeps_the_first_rows_and_says_how_many_there_are(seeded_store):
    every = [c.name for c in seeded_store.clusters(country="CN")]
    assert len(every) > 25
    body = f"{{{{ table({ALL}, [['Cluster', 'name']], 'Clusters', most=25) }}}}"
    (table,), texts = _rendered(seeded_store, body)
    assert len(table.rows) == 25
    assert {row[0] for row in table.rows} <= set(every)
    assert texts == [f"This table lists 25 of the {len(every)}."]


@pytest.mark.parametrize("count", [3, 25])
def test_a_list_no_longer_than_most_gets_no_line(seeded_store, count):
    body = f"{{{{ table({ALL}[:{count}], [['Cluster', 'name']], 'Clusters', most=25) }}}}"
    (table,), texts = _rendered(seeded_store, body)
    assert len(table.rows) == count and texts == []


@pytest.mark.parametrize("most", ["0", "2.5", "'many'", "-3"])
def test_most_must_be_a_whole_number_of_at_least_one(seeded_store, most):
    body = f"{{{{ table({ALL}, [['Cluster', 'name']], 'Clusters', most={most}) }}}}"
    with pytest.raises(TemplateError, match="most"):
        render_template(seeded_store, CN, body)


def test_the_china_briefing_builds_with_more_clusters_than_a_table_may_hold(seeded_store, tmp_path):
    """5,200 automotive clusters in Zhejiang: every shipped table stays
    bounded, so the briefing builds, each long table with its line."""
    path = tmp_path / "clusters.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["slug", "name", "kind", "country", "region", "city", "sectors"])
        for n in range(5200):
            writer.writerow(
                [
                    f"car-{n}",
                    f"Car parts cluster {n}",
                    "industrial-cluster",
                    "CN",
                    "zhejiang",
                    "Ningbo",
                    "automotive",
                ]
            )
    seeded_store.import_file("clusters", path)
    unbounded = f"{{{{ table({ALL}, [['Cluster', 'name']], 'Clusters') }}}}"
    with pytest.raises(TemplateError, match=r"most=N shows the first N.*over the limit of 5,000"):
        render_template(seeded_store, CN, unbounded)
    for selection in (
        Selection(country="CN", region="zhejiang", sectors=("automotive",)),
        Selection(country="CN", sectors=("automotive",)),
    ):
        document = build_document(seeded_store, selection)
        tables = [b for b in document.blocks if isinstance(b, Table)]
        assert max(len(t.rows) for t in tables) <= 500
        texts = [plain_text(b.runs) for b in document.blocks if isinstance(b, Paragraph)]
        assert any(t.startswith("This table lists 30 of the 5,") for t in texts)
