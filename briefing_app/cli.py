"""The ``briefing`` command: the knowledge base without a screen.

    briefing list clusters --region zhejiang --sector automotive [--json]
    briefing import clusters my-clusters.csv
    briefing export policies --format json --output policies.json
    briefing search Hangzhou
    briefing db check | backup | restore [--latest | --backup NAME]
    briefing db update-shipped [--dry-run]

Every subcommand takes ``--db PATH`` (default: the user's knowledge base).
Errors a user can meet are printed as one clear message on stderr with a
non-zero exit status, never as a traceback.

Other parts add subcommands (``build``, ``render-section``) from
``briefing_app.cli_build``: its ``register(subparsers)`` is called when the
module exists, and its handlers open the store with :func:`open_store_from_args`.
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import functools
import importlib
import importlib.util
import json
import os
import sys
import threading
import unicodedata
from pathlib import Path

from briefing_app import paths
from briefing_app.errors import BriefingError
from briefing_app.store import ENTITIES, Store, open_store
from briefing_app.store import backups as backup_files
from briefing_app.store.search import MAX_HITS as MAX_SEARCH_HITS
from briefing_app.store.store import FILTERABLE

LISTABLE = ENTITIES  # every entity can be listed

# Which filters each entity understands.
_FILTERS = {
    "countries": set(),
    "sources": set(),
    "kinds": set(),
    "regions": {"country", "region"},
    "sectors": {"sector"},
    "clusters": {"country", "region", "sector"},
    "partnerships": {"country", "sector"},
    "policies": {"country", "region", "sector"},
    "organisations": {"country", "region", "sector"},
    "indicators": {"country", "region", "sector"},
    "profiles": set(),
}

# Columns of the readable table, per entity (the JSON output has every field).
TABLE_COLUMNS = {
    "countries": ("iso_code", "slug", "name", "local_name"),
    "sources": ("slug", "title", "publisher", "published"),
    "kinds": ("entity", "code", "label", "grouping"),
    "regions": ("slug", "name", "local_name", "kind", "parent"),
    "sectors": ("slug", "name", "parent"),
    "clusters": ("slug", "name", "city", "city_local", "sectors"),
    "partnerships": ("slug", "name", "kind", "start_year", "end_year"),
    "policies": ("slug", "name", "level", "region", "start_year"),
    "organisations": ("slug", "name", "kind", "region"),
    "indicators": ("slug", "name", "value", "unit", "year"),
    "profiles": ("slug", "name", "kind", "country", "sectors"),
}


def open_store_from_args(args: argparse.Namespace) -> Store:
    """The store named by ``--db`` (or the user's default one); says once per
    process when the shipped knowledge base has newer facts for it."""
    store = open_store(_db_path(args))
    importlib.import_module("briefing_app.cli_shipped").advise(store)
    return store


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if getattr(args, "db", None) else paths.default_db_path()


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand the common ``--db PATH`` option."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="knowledge base file (default: your own, created from the built-in data)",
    )


# -- list ----------------------------------------------------------------------------


def _as_dict(record) -> dict:
    # Records are flat (strings, numbers, tuples of slugs): a plain field walk
    # is several times faster than dataclasses.asdict's deep copy.
    data = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        data[name] = list(value) if isinstance(value, tuple) else value
    if "name" not in data:  # sources have a title; every listed object carries a name
        data["name"] = data.get("title", "")
    return data


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _dump_json(rows: list) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and much
    faster to write) when piped to another program."""
    indent = 2 if sys.stdout.isatty() else None
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=indent)


def _selected(
    store: Store, args: argparse.Namespace, fields: tuple[str, ...] | None = None
) -> list:
    """The records ``list`` shows; with ``fields``, dicts of just those fields.

    The large filtered lists (clusters, policies, organisations, indicators)
    read only ``fields`` from the database; the others are small and are
    read whole either way.
    """
    entity = args.entity
    wanted = {k for k in ("country", "region", "sector") if getattr(args, k)}
    unsupported = wanted - _FILTERS[entity]
    if unsupported:
        raise BriefingError(
            f"{entity} cannot be filtered by {', '.join(sorted(unsupported))}; "
            f"filters for {entity}: {', '.join(sorted(_FILTERS[entity])) or 'none'}"
        )
    region = store.resolve_region(args.region).slug if args.region else None
    sector = store.resolve_sector(args.sector).slug if args.sector else None
    country = store.country(args.country).iso_code if args.country else None
    if entity == "regions":
        scope = store.region_scope(region) if region else None
        return [
            r
            for r in store.regions(country=country)
            if scope is None or (r.slug in scope and r.slug != region)
        ]
    if entity == "sectors":
        scope = store.sector_scope(sector) if sector else None
        return [s for s in store.sectors() if scope is None or s.slug in scope]
    if entity in ("countries", "sources", "kinds", "profiles"):
        return store.records(entity)
    if entity == "partnerships":
        return store.partnerships(country=country, sector=sector)
    if fields is not None and entity in FILTERABLE:
        rows = store.listing(entity, fields, country=country, region=region, sector=sector)
        return [dict(zip(fields, row, strict=True)) for row in rows]
    method = getattr(store, entity)
    return method(country=country, region=region, sector=sector)


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: object, limit: int = 48) -> str:
    if isinstance(value, tuple | list):
        value = ";".join(value)
    if isinstance(value, float):
        value = repr(value).removesuffix(".0")  # 734.0 -> 734; every digit kept
    text = "" if value is None else str(value).replace("\n", " ")
    if _width(text) <= limit:
        return text
    kept, used = [], 1  # room for the ellipsis
    for char in text:
        used += _width(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept) + "…"


def format_table(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A plain text table whose columns line up also with Chinese text."""
    header = [(c, _width(c)) for c in columns]
    cells = [[_measured(_cell(row.get(c))) for c in columns] for row in rows]
    widths = [max([w] + [r[i][1] for r in cells]) for i, (_, w) in enumerate(header)]

    def line(values: list[tuple[str, int]]) -> str:
        return "  ".join(
            v + " " * (room - used) for (v, used), room in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(header), line([("-" * w, w) for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _measured(text: str) -> tuple[str, int]:
    return text, _width(text)


def cmd_list(args: argparse.Namespace) -> int:
    columns = None if args.json else TABLE_COLUMNS[args.entity]
    with open_store_from_args(args) as store:
        found = _selected(store, args, columns)
    rows = [r if isinstance(r, dict) else _as_dict(r) for r in found]
    if args.json:
        _dump_json(rows)
        sys.stdout.write("\n")
    else:
        print(format_table(rows, columns))
        print(f"({len(rows)} {args.entity})")
    return 0


# -- import / export / search ----------------------------------------------------


ENTITY_SINGULAR = {
    "sources": "source",
    "countries": "country",
    "kinds": "kind",
    "regions": "region",
    "sectors": "sector",
    "clusters": "cluster",
    "partnerships": "partnership",
    "policies": "policy",
    "organisations": "organisation",
    "indicators": "indicator",
    "profiles": "profile",
}


def cmd_import(args: argparse.Namespace) -> int:
    with open_store_from_args(args) as store:
        count = store.import_file(args.entity, Path(args.file))
    noun = ENTITY_SINGULAR.get(args.entity, args.entity) if count == 1 else args.entity
    print(
        f"imported {count} {noun} from {args.file} into {_db_path(args)} "
        f"(a backup was taken first in {paths.backups_dir(_db_path(args))})"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format
    if fmt is None:
        fmt = "json" if args.output and args.output.lower().endswith(".json") else "csv"
    with open_store_from_args(args) as store:
        if args.output:
            count = store.export_file(args.entity, Path(args.output), fmt)
            print(f"exported {count} {args.entity} to {args.output}", file=sys.stderr)
        else:
            store.export_to(args.entity, sys.stdout, fmt)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_store_from_args(args) as store:
        hits = store.search(args.text, limit=args.limit)
    rows = [dataclasses.asdict(h) for h in hits]
    if args.json:
        _dump_json(rows)
        sys.stdout.write("\n")
    else:
        print(format_table(rows, ("entity", "slug", "name", "snippet")))
        print(f"({len(rows)} found)")
    return 0


def _hit_count(text: str) -> int:
    """--limit: a whole number of results within what the search returns."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= number <= MAX_SEARCH_HITS:
        raise argparse.ArgumentTypeError(
            f"{text[:30]} is out of range; give a number from 1 to {MAX_SEARCH_HITS:,}"
        )
    return number


# -- db check / backup / restore -------------------------------------------------


def cmd_db(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if args.action == "restore":
        return _restore(path, args)
    shipped = importlib.import_module("briefing_app.cli_shipped")
    if args.action == "update-shipped":
        return shipped.cmd_update_shipped(args)
    shipped.refuse_options(args)  # --dry-run and the like belong to update-shipped
    with open_store_from_args(args) as store:
        if args.action == "backup":
            print(f"backed up {path} to {store.backup('manual')}")
            return 0
        problems = store.check()
        counts = store.counts()
        version = store.schema_version
    if problems:
        print(f"{path}: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{n} {e}" for e, n in counts.items())
    print(f"{path}: ok (schema version {version}; {summary})")
    return 0


def _restore(path: Path, args: argparse.Namespace) -> int:
    if not args.backup and not args.latest:
        found = backup_files.list_backups(path)
        if not found:
            print(f"no backups of {path} in {paths.backups_dir(path)}")
            return 0
        print(f"backups of {path} (oldest first); restore one with --backup NAME or --latest:")
        for b in found:
            print(f"  {b.name}  ({b.taken:%Y-%m-%d %H:%M:%S} UTC, {b.reason})")
        return 0
    chosen = backup_files.find_backup(path, args.backup, args.latest)
    # The current file may be the damaged one: it is backed up (or set aside), never lost.
    saved = backup_files.restore_backup(path, chosen)
    print(f"restored {chosen.name} onto {path}")
    if saved and saved.parent == paths.backups_dir(path):
        print(f"what it replaced was backed up first, to {saved}")
    elif saved:
        print(f"the damaged file it replaced was kept as {saved}")
    return 0


# -- the parser ---------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (including cli_build's, if present)."""
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Query and maintain the Briefing Builder knowledge base.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="list records, optionally filtered")
    p.add_argument("entity", choices=LISTABLE)
    p.add_argument("--country", metavar="ISO", help="ISO code (CN) or country slug")
    p.add_argument(
        "--region",
        metavar="SLUG",
        help="a region with its members and their sub-regions, recursively",
    )
    p.add_argument(
        "--sector", metavar="SLUG", help="a sector (slug, name or alias) with its sub-sectors"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    add_db_option(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "import",
        help="import a CSV or JSON file (all rows or none)",
        description=(
            "Check every row of FILE, then add its records in one go. A row whose slug is "
            "already in the knowledge base updates that record (all its fields take the "
            "file's values). If any row has a problem nothing is imported and every "
            "problem is listed with its line. The database is backed up first."
        ),
    )
    p.add_argument("entity", choices=ENTITIES)
    p.add_argument("file", help="a .csv (comma or semicolon) or .json file with the export columns")
    add_db_option(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="export every record of an entity")
    p.add_argument("entity", choices=ENTITIES)
    p.add_argument("--format", choices=("csv", "json"), help="default: from --output, else csv")
    p.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    add_db_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "search", help="full-text search of clusters, policies, organisations, sections"
    )
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--limit",
        type=_hit_count,
        default=50,
        metavar="N",
        help=f"at most N results, 1 to {MAX_SEARCH_HITS:,} (default 50)",
    )
    add_db_option(p)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser(
        "db",
        help="check, back up, restore or update the knowledge base from the shipped one",
        description=(
            "update-shipped brings the facts of the shipped knowledge base (a newer version "
            "of the program) into yours: new records are added, records you never changed "
            "take the new shipped version, and records you edited, added or deleted stay as "
            "you have them (listed). All or nothing, after a backup."
        ),
    )
    p.add_argument("action", choices=("check", "backup", "restore", "update-shipped"))
    p.add_argument("--backup", metavar="NAME", help="restore: the backup to restore")
    p.add_argument("--latest", action="store_true", help="restore: the newest backup")
    importlib.import_module("briefing_app.cli_shipped").add_options(p)
    add_db_option(p)
    p.set_defaults(handler=cmd_db)

    if importlib.util.find_spec("briefing_app.cli_build") is not None:
        register_build_commands = importlib.import_module("briefing_app.cli_build").register
        register_build_commands(sub)
    importlib.import_module("briefing_app.cli_check").register(sub)
    importlib.import_module("briefing_app.cli_pack").register(sub)  # packs, coverage
    importlib.import_module("briefing_app.cli_match").register(sub)
    importlib.import_module("briefing_app.cli_outline").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; the exit status (0 fine, 1 a user-facing error, 2 bad usage).

    Called without ``argv`` (the ``briefing`` command itself), the process
    ends here once the command is done: see :func:`_end_process`.
    """
    status = _run(argv)
    if argv is None:
        _end_process(status)
    return status


def _end_process(status: int) -> None:
    """End the process at once, skipping the interpreter's teardown.

    Tearing down frees every object a build made, one by one, and runs a
    last collection over them: about a fifth of a second after a long PDF,
    with the files long written. Exit handlers still run and the output is
    flushed; every file and the database are closed by then (``with``
    blocks). When that cannot be done cleanly (output closed, another
    thread alive, an exit handler failing) the process ends the usual way.
    """
    if threading.active_count() != 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
        if run_exit_handlers is None:
            return
        run_exit_handlers()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken output: let Python end as usual
        return
    os._exit(status)


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except BriefingError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left, nothing is wrong.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # Files the user named (import source, export target) that cannot be used.
        print(f"briefing: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
