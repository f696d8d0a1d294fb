"""The fast read path: packed link columns, the read cache, field listings."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from briefing_app.errors import BriefingError, StoreError
from briefing_app.store import migrations, open_store, writer
from briefing_app.store.connection import connect
from briefing_app.store.entities import PACK_SEPARATOR


def _packed(path, table: str, column: str, slug: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT [{column}] FROM [{table}] WHERE slug = ?", (slug,)).fetchone()[
            0
        ]


def test_migration_packs_existing_link_rows_in_position_order(tmp_path, empty_dir):
    path = tmp_path / "v5.sqlite"
    db = connect(path)
    migrations.migrate(db, stop_before="v6_packed_link_columns")
    # Rows as a version 5 program wrote them: the link order is not alphabetical.
    db.execute("INSERT INTO sources (slug, title) VALUES ('s', 'A source')")
    db.execute("INSERT INTO countries (slug, iso_code, name) VALUES ('freedonia', 'FD', 'F')")
    db.execute(
        "INSERT INTO regions (slug, name, kind, country) VALUES ('r', 'R', 'province', 'FD')"
    )
    for slug in ("zinc", "apples", "mining"):
        db.execute("INSERT INTO sectors (slug, name) VALUES (?, ?)", (slug, slug.title()))
    db.execute("INSERT INTO sector_aliases (sector, alias, position) VALUES ('zinc', 'Zn', 0)")
    db.execute(
        "INSERT INTO clusters (slug, name, kind, country, region) "
        "VALUES ('c', 'C', 'industrial-cluster', 'FD', 'r')"
    )
    for position, sector in enumerate(("zinc", "apples", "mining")):
        db.execute(
            "INSERT INTO cluster_sectors (cluster, sector, position) VALUES ('c', ?, ?)",
            (sector, position),
        )
    db.conn.commit()
    db.close()

    with open_store(
        path, seed_dir=empty_dir, sections_dir=empty_dir, blueprints_dir=empty_dir
    ) as store:
        assert store.schema_version == migrations.SCHEMA_VERSION
        assert store.get("clusters", "c").sectors == ("zinc", "apples", "mining")
        assert store.clusters(sector="apples")[0].sectors == ("zinc", "apples", "mining")
        assert store.sector("zinc").aliases == ("Zn",)
        assert store.sector("apples").aliases == ()
    assert _packed(path, "clusters", "sectors_packed", "c") == PACK_SEPARATOR.join(
        ("zinc", "apples", "mining")
    )


def test_writes_keep_the_packed_column_and_the_link_table_in_step(tiny_store):
    cluster = tiny_store.records("clusters")[0]
    sectors = [s.slug for s in tiny_store.sectors()]
    changed = dataclasses.replace(cluster, sectors=tuple(reversed(sectors)))
    tiny_store.upsert("clusters", changed)
    assert tiny_store.get("clusters", cluster.slug).sectors == tuple(reversed(sectors))
    # The link table, which filters use, agrees with what the record shows.
    for sector in sectors:
        assert cluster.slug in {c.slug for c in tiny_store.clusters(sector=sector)}
    emptied = dataclasses.replace(cluster, sectors=())
    tiny_store.upsert("clusters", emptied)
    assert tiny_store.get("clusters", cluster.slug).sectors == ()
    assert _packed(tiny_store.path, "clusters", "sectors_packed", cluster.slug) == ""
    assert all(cluster.slug not in {c.slug for c in tiny_store.clusters(sector=s)} for s in sectors)


def test_a_value_holding_the_separator_is_refused_and_nothing_is_written(tiny_store):
    sector = tiny_store.sectors()[0]
    bad = dataclasses.replace(sector, aliases=("ok", f"bad{PACK_SEPARATOR}alias"))
    with pytest.raises(BriefingError, match="U\\+001F"):
        tiny_store.upsert("sectors", bad)
    assert tiny_store.sector(sector.slug) == sector


def test_cached_tables_follow_this_connections_writes(tiny_store):
    before = tiny_store.records("clusters")
    assert tiny_store.records("clusters") == before  # served again
    first = before[0]
    renamed = dataclasses.replace(first, name=first.name + " (renamed)")
    tiny_store.upsert("clusters", renamed)
    assert renamed in tiny_store.records("clusters")
    assert tiny_store.get("clusters", first.slug) == renamed
    tiny_store.delete("clusters", first.slug)
    assert first.slug not in {c.slug for c in tiny_store.records("clusters")}


def test_cached_tables_follow_another_connections_writes(tiny_store):
    first = tiny_store.records("clusters")[0]
    assert tiny_store.get("clusters", first.slug) == first  # answered from the cache
    with open_store(tiny_store.path) as other:
        other.upsert("clusters", dataclasses.replace(first, name="Changed elsewhere"))
    assert tiny_store.get("clusters", first.slug).name == "Changed elsewhere"
    assert "Changed elsewhere" in {c.name for c in tiny_store.records("clusters")}


def test_the_section_library_is_cached_until_a_section_is_saved(seeded_store):
    section = seeded_store.sections()[0]
    saved = seeded_store.save_section(
        dataclasses.replace(section, body=section.body + "\n\nOne more line."), section.version
    )
    found = {s.slug: s for s in seeded_store.sections()}[section.slug]
    assert found.version == saved.version
    assert found.body.endswith("One more line.")


def test_rows_read_inside_a_rolled_back_write_are_not_served_afterwards(tiny_store):
    before = tiny_store.records("clusters")
    cluster = before[0]
    with pytest.raises(RuntimeError), tiny_store._writing("a write that fails half-way"):
        writer.RowWriter(tiny_store.db, "clusters").write(
            {**dataclasses.asdict(cluster), "name": "Never committed"}
        )
        # Read inside the transaction: the uncommitted row is what SQLite shows.
        assert "Never committed" in {c.name for c in tiny_store.records("clusters")}
        raise RuntimeError("disk full, say")
    assert tiny_store.records("clusters") == before
    assert tiny_store.get("clusters", cluster.slug) == cluster


def test_callers_cannot_change_the_cached_list(tiny_store):
    listed = tiny_store.records("clusters")
    listed.clear()
    assert tiny_store.records("clusters")


def test_listing_gives_the_fields_of_the_filtered_list_in_its_order(seeded_store):
    fields = ("slug", "name", "city", "sectors", "established")
    for region, sector in (("zhejiang", None), (None, "automotive"), ("guangdong", "ict")):
        records = seeded_store.clusters(region=region, sector=sector)
        rows = seeded_store.listing("clusters", fields, region=region, sector=sector)
        assert rows == [tuple(getattr(r, f) for f in fields) for r in records]
        assert rows
    policies = seeded_store.policies(country="CN")
    assert seeded_store.listing("policies", ("slug", "is_cluster_policy"), country="CN") == [
        (p.slug, p.is_cluster_policy) for p in policies
    ]


def test_listing_of_nothing_is_an_empty_list(seeded_store):
    empty = next(r.slug for r in seeded_store.regions() if not seeded_store.clusters(region=r.slug))
    assert seeded_store.listing("clusters", ("slug", "sectors"), region=empty) == []


def test_the_cli_cluster_table_is_read_from_the_listing_index_alone(seeded_store):
    """`briefing list clusters --region` must not visit the table's rows.

    The listing index holds every column the CLI shows; if those columns
    change, the index must change with them (a migration), or large lists
    go back to reading a page per cluster.
    """
    from briefing_app.cli import TABLE_COLUMNS

    statements: list[str] = []
    conn = seeded_store.db.conn
    conn.set_trace_callback(statements.append)
    try:
        seeded_store.listing("clusters", TABLE_COLUMNS["clusters"], region="zhejiang")
    finally:
        conn.set_trace_callback(None)
    (query,) = [
        s for s in statements if s.lstrip().upper().startswith("SELECT") and "clusters" in s
    ]
    plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "COVERING INDEX idx_clusters_listing" in plan, plan


def test_a_regions_sector_counts_are_read_from_the_listing_index_alone(seeded_store):
    statements: list[str] = []
    conn = seeded_store.db.conn
    conn.set_trace_callback(statements.append)
    try:
        counts = seeded_store.count_clusters_by_sector("CN", region="zhejiang")
    finally:
        conn.set_trace_callback(None)
    assert counts
    (query,) = [s for s in statements if "GROUP BY" in s]
    plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "COVERING INDEX idx_clusters_listing" in plan, plan


def test_listing_refuses_unknown_fields_and_unfiltered_entities(seeded_store):
    with pytest.raises(StoreError, match="no field 'colour'"):
        seeded_store.listing("clusters", ("slug", "colour"))
    with pytest.raises(StoreError, match="no filtered listing"):
        seeded_store.listing("sources", ("slug",))


@pytest.mark.parametrize("region", [None, "zhejiang", "guangdong", "greater-bay-area"])
def test_sector_counts_match_counting_the_records_one_by_one(seeded_store, region):
    clusters = seeded_store.clusters(country="CN", region=region)
    expected = {}
    for sector in seeded_store.sectors():
        scope = seeded_store.sector_scope(sector.slug)
        count = sum(1 for c in clusters if scope.intersection(c.sectors))
        if count:
            expected[sector.slug] = count
    assert seeded_store.count_clusters_by_sector("CN", region=region) == expected
    assert expected  # the seed has clusters in every one of these places
