"""An older shipped knowledge base, made from a copy of db/seed, for tests of
`briefing db update-shipped` (a plain module, like csv_files).

The copy is what an earlier version shipped, as the problems found by
reading real output describe it: no region positions (migration v9 added the
columns, the seed filled them later), no `logistics` sector with FoodNet
filed under transport as a whole, a local name spelled differently, a
cluster shipped twice under two slugs (merged since) and a region that was
dropped since.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

from briefing_app import paths

DUPLICATE_SUFFIX = "-duplicate"
DROPPED_REGION = "old-development-zone"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or ()), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def shipped_rows(entity: str) -> list[dict[str, str]]:
    """The rows of the current seed file of ``entity``."""
    return read_rows(paths.seed_dir() / f"{entity}.csv")[1]


def make_old_seed(target: Path) -> dict[str, str]:
    """Write the older seed into ``target``; what it changed, by name:
    ``renamed_region`` (its local name differs), ``duplicate`` (the extra
    cluster's slug) and ``original`` (the cluster it duplicates)."""
    shutil.copytree(paths.seed_dir(), target)
    header, regions = read_rows(target / "regions.csv")
    for row in regions:
        row["latitude"] = row["longitude"] = row["position_source"] = ""
    renamed = next(r for r in regions if r["local_name"] and not r["parent"])
    renamed["local_name"] += "省"  # the spelling since corrected
    country = regions[0]["country"]
    regions.append(
        dict.fromkeys(header, "")
        | {"slug": DROPPED_REGION, "name": "Old development zone", "kind": "city"}
        | {"country": country}
    )
    write_rows(target / "regions.csv", header, regions)

    header, sectors = read_rows(target / "sectors.csv")
    write_rows(target / "sectors.csv", header, [s for s in sectors if s["slug"] != "logistics"])

    header, partnerships = read_rows(target / "partnerships.csv")
    for row in partnerships:
        tags = row["sectors"].split(";")
        if "logistics" in tags:
            row["sectors"] = ";".join(
                "transport-and-logistics" if t == "logistics" else t for t in tags
            )
    write_rows(target / "partnerships.csv", header, partnerships)

    header, clusters = read_rows(target / "clusters.csv")
    original = clusters[0]
    duplicate = dict(original, slug=original["slug"] + DUPLICATE_SUFFIX)
    write_rows(target / "clusters.csv", header, [*clusters, duplicate])
    return {
        "renamed_region": renamed["slug"],
        "duplicate": duplicate["slug"],
        "original": original["slug"],
    }


def table_dump(path: Path) -> list:
    """Every row of every table but the search index, to compare a file before and after."""
    conn = sqlite3.connect(path)
    try:
        return [
            (name, sorted(conn.execute(f"SELECT * FROM [{name}]"), key=repr))
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_index%' ORDER BY name"
            )
        ]
    finally:
        conn.close()


def forget_shipped(path: Path) -> None:
    """Make the file look made before fingerprints were kept."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DELETE FROM shipped_records")
            conn.execute("DELETE FROM shipped_seed")
    finally:
        conn.close()
