"""The ``briefing import-pack``, ``export-pack`` and ``coverage`` commands.

    briefing import-pack vietnam-pack.zip
    briefing export-pack --country CN --output china-pack.zip
    briefing coverage --country CN --region zhejiang --sector automotive [--json]

``cli.py`` calls :func:`register` with its subparsers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from briefing_app.cli import add_db_option
    from briefing_app.cli_build import _selection_options

    p = subparsers.add_parser(
        "import-pack",
        help="import a country pack (folder or .zip): every file or none",
        description=(
            "Check every file of the pack named in its pack.yaml, then import them all in "
            "one go, in dependency order. If any file has a problem nothing is imported "
            "and every problem is listed with its file and line. The database is backed "
            "up first."
        ),
    )
    p.add_argument("path", help="a pack folder or .zip file holding pack.yaml")
    add_db_option(p)
    p.set_defaults(handler=cmd_import_pack)

    p = subparsers.add_parser(
        "export-pack",
        help="write a country's records as a pack (folder or .zip)",
        description=(
            "Write the records of one country (regions, clusters, partnerships naming it, "
            "policies, organisations, indicators, the sources and sectors they use, and "
            "sections written for it) with a pack.yaml manifest."
        ),
    )
    p.add_argument("--country", required=True, metavar="ISO", help="ISO code or country slug")
    p.add_argument("--output", required=True, metavar="DIR_OR_ZIP", help="a new folder or a .zip")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--name", default="", help="the pack's name (default: the country's)")
    p.add_argument("--pack-version", default="", metavar="TEXT", help="default: today's date")
    p.add_argument("--licence", default="", help="e.g. CC-BY-4.0")
    p.add_argument("--author", dest="authors", action="append", default=[], metavar="NAME")
    add_db_option(p)
    p.set_defaults(handler=cmd_export_pack)

    p = subparsers.add_parser(
        "coverage",
        help="what a briefing will show, section by section, and what it lacks",
        description=(
            "Plan the briefing's outline and list, for each section, whether a text written "
            "for the country or the generic one is used, which data it draws on and how much, "
            "which facts are missing and which are older than --max-age years."
        ),
    )
    p.add_argument("--blueprint", default="eccp-preparatory", metavar="SLUG")
    _selection_options(p)
    p.add_argument("--max-age", type=int, default=5, metavar="YEARS")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_db_option(p)
    p.set_defaults(handler=cmd_coverage)


def _counts(counts: dict[str, int]) -> str:
    """ "1 country, 8 regions, ..." for the records per entity."""
    from briefing_app.cli import ENTITY_SINGULAR

    return ", ".join(f"{n} {ENTITY_SINGULAR[e] if n == 1 else e}" for e, n in counts.items())


def cmd_import_pack(args: argparse.Namespace) -> int:
    from briefing_app.cli import open_store_from_args

    with open_store_from_args(args) as store:
        result = store.import_pack(Path(args.path))
    manifest = result.manifest
    counts = _counts(result.counts) or "no records"
    about = " ".join(x for x in (manifest.name, manifest.version) if x)
    print(f"imported the pack {about or args.path} ({manifest.country}): {counts}", end="")
    print(f", {result.sections} section(s)" if result.sections else "")
    return 0


def cmd_export_pack(args: argparse.Namespace) -> int:
    from briefing_app.cli import open_store_from_args

    about = {
        "name": args.name,
        "version": args.pack_version,
        "licence": args.licence,
        "authors": args.authors,
    }
    with open_store_from_args(args) as store:
        result = store.export_pack(args.country, Path(args.output), args.format, about)
    counts = _counts(result.counts)
    print(f"wrote the pack of {result.manifest.country} to {args.output}: {counts}")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from briefing_app.assembly.coverage import coverage, format_report
    from briefing_app.cli import open_store_from_args
    from briefing_app.cli_build import _selection
    from briefing_app.errors import BriefingError

    if args.max_age < 0:
        raise BriefingError("--max-age must be 0 or more years")
    with open_store_from_args(args) as store:
        report = coverage(store, _selection(store, args, args.blueprint), args.max_age)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 0
