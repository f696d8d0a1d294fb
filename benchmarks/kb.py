"""Synthetic knowledge bases at scale, built through the store's own import path.

Each knowledge base starts as the shipped one (``open_store`` builds it from
``db/seed`` and the shipped section library), then receives generated
clusters and organisations written as CSV files in the seed columns and read
back with :meth:`Store.import_file`, exactly as a user's import would be.
Sections have no CSV import: they reach the store as section files synced
from a library folder, so the generated sections are written as Markdown
files beside copies of the shipped ones and the folder is given to
``open_store``.

Generated rows point only at regions and sectors of the shipped seed, so the
files pass the importer's checks. A fixed random seed makes every run build
the same data.
"""

from __future__ import annotations

import csv
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from briefing_app import paths
from briefing_app.store import open_store
from briefing_app.store.records import CLUSTER_KINDS, Cluster, Organisation

ORGANISATION_KINDS = ("government", "agency", "association", "chamber", "research")
RANDOM_SEED = 20261123


@dataclass(frozen=True)
class BenchKB:
    """A generated knowledge base on disk and how long making it took."""

    path: Path
    sections_dir: Path
    clusters: int
    organisations: int
    sections: int
    import_seconds: dict[str, float]

    def open(self):
        """The store, opened as the application opens it."""
        return open_store(self.path, sections_dir=self.sections_dir)


def _seed_slugs(db_path: Path) -> tuple[list[str], list[str]]:
    """Chinese region slugs and sector slugs of a freshly seeded store.

    Generated rows refer only to these, so they pass the importer's checks.
    """
    with open_store(db_path) as store:
        regions = [r.slug for r in store.regions(country="CN")]
        sectors = [s.slug for s in store.sectors()]
    return regions, sectors


def _cells(record) -> list[str]:
    """A record as CSV cells in the seed files' column order."""
    out = []
    for name in record.__slots__:
        value = getattr(record, name)
        if isinstance(value, tuple):
            value = ";".join(value)
        out.append("" if value is None else str(value))
    return out


def _write_csv(path: Path, records: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(records[0].__slots__)
        writer.writerows(_cells(r) for r in records)


def synthetic_clusters(
    count: int, regions: list[str], sectors: list[str], rng: random.Random
) -> list[Cluster]:
    """``count`` clusters spread evenly over regions, one to three sectors each."""
    out = []
    for n in range(count):
        region = regions[n % len(regions)]
        picked = tuple(dict.fromkeys(rng.choice(sectors) for _ in range(rng.randint(1, 3))))
        out.append(
            Cluster(
                slug=f"bench-cluster-{n:06d}",
                name=f"Benchmark cluster {n:06d}",
                kind=CLUSTER_KINDS[n % len(CLUSTER_KINDS)],
                country="CN",
                region=region,
                local_name="测试产业集群",
                city=region.replace("-", " ").title(),
                industry=f"Generated industry {n % 97}",
                sectors=picked,
                established=1980 + n % 40,
                description=f"Generated record {n} for the benchmark; it names {region}.",
                source="eccp-china-briefing-2019",
            )
        )
    return out


def synthetic_organisations(
    count: int, regions: list[str], sectors: list[str], rng: random.Random
) -> list[Organisation]:
    out = []
    for n in range(count):
        out.append(
            Organisation(
                slug=f"bench-organisation-{n:06d}",
                name=f"Benchmark organisation {n:06d}",
                kind=ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)],
                country="CN",
                region=regions[(n * 7) % len(regions)],
                sectors=(rng.choice(sectors),),
                website=f"www.example-{n}.cn",
                description="Generated organisation for the performance benchmark.",
                source="eccp-china-briefing-2019",
            )
        )
    return out


def write_section_library(folder: Path, extra: int, sectors: list[str], rng: random.Random) -> int:
    """Copy the shipped sections into ``folder`` and add generated ones up to ``extra``.

    Returns the total number of section files. Generated sections use the
    template language (a loop over ``kb`` records), so compiling them costs
    what compiling a user's section would.
    """
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(paths.sections_dir(), folder)
    shipped = sum(1 for _ in folder.rglob("*.md"))
    generated = folder / "benchmark"
    generated.mkdir()
    for n in range(max(extra - shipped, 0)):
        sector = rng.choice(sectors)
        (generated / f"bench-section-{n:04d}.md").write_text(
            "---\n"
            f"key: bench-section-{n:04d}\n"
            f'title: "Benchmark section {n}"\n'
            f"sectors: [{sector}]\n"
            "---\n"
            f"Generated section {n} about {{{{ area_name }}}}.\n\n"
            f"{{% for c in kb.clusters(sector='{sector}')[:5] %}}"
            "- {{ c.name }}\n{% endfor %}\n",
            encoding="utf-8",
        )
    return sum(1 for _ in folder.rglob("*.md"))


def build_kb(
    folder: Path, clusters: int, organisations: int = 10_000, sections: int = 1_000
) -> BenchKB:
    """A knowledge base in ``folder`` holding about ``clusters`` clusters in all.

    The shipped clusters count towards ``clusters``; generated ones fill the
    rest. Import times per entity are returned with it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "kb.sqlite"
    for old in folder.glob("kb.sqlite*"):
        old.unlink()
    rng = random.Random(RANDOM_SEED)
    regions, sectors = _seed_slugs(db_path)
    sections_dir = folder / "sections"
    section_count = write_section_library(sections_dir, sections, sectors, rng)
    timings: dict[str, float] = {}
    with open_store(db_path, sections_dir=sections_dir) as store:
        shipped_clusters = store.counts()["clusters"]
        shipped_orgs = store.counts()["organisations"]
        for entity, records in (
            (
                "clusters",
                synthetic_clusters(max(clusters - shipped_clusters, 0), regions, sectors, rng),
            ),
            (
                "organisations",
                synthetic_organisations(
                    max(organisations - shipped_orgs, 0), regions, sectors, rng
                ),
            ),
        ):
            if not records:
                continue
            csv_path = folder / f"{entity}.csv"
            _write_csv(csv_path, records)
            start = time.perf_counter()
            store.import_file(entity, csv_path)
            timings[entity] = time.perf_counter() - start
            csv_path.unlink()
        counts = store.counts()
    shutil.rmtree(folder / "backups", ignore_errors=True)  # imports back up first; not needed here
    return BenchKB(
        db_path, sections_dir, counts["clusters"], counts["organisations"], section_count, timings
    )
