"""``briefing db update-shipped`` and the advice that points to it.

    briefing db update-shipped [--dry-run] [--all] [--take-shipped ENTITY/SLUG ...]

When a command opens a knowledge base that has not taken the facts of the
shipped one (``db/seed``) yet, :func:`advise` prints one line on stderr, at
most once per process; ``update-shipped`` itself never does.
"""

from __future__ import annotations

import argparse
import sys

from briefing_app.errors import BriefingError, StoreError
from briefing_app.store import ENTITIES
from briefing_app.store.shipped_marks import ADVICE

_advised = False


def advise(store) -> None:
    """Say once per process that the shipped knowledge base has newer facts.

    The check never stops a command: if it cannot be made, nothing is said.
    """
    global _advised
    if _advised:
        return
    try:
        news = store.shipped_news()
    except (BriefingError, OSError):
        return
    if news:
        _advised = True
        print(f"briefing: note: {ADVICE}", file=sys.stderr)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``db update-shipped`` on the ``db`` subcommand."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="update-shipped: say what would change, change nothing",
    )
    parser.add_argument(
        "--all", action="store_true", help="update-shipped: list every record kept as yours"
    )
    parser.add_argument(
        "--take-shipped",
        action="append",
        default=[],
        metavar="ENTITY/SLUG",
        help="update-shipped: replace your version of this record by the shipped one "
        "(or bring it back if you deleted it); may be given more than once",
    )


def refuse_options(args: argparse.Namespace) -> None:
    """``db check --dry-run`` would do the check and ignore the option: say so."""
    given = [
        name
        for name, value in (
            ("--dry-run", args.dry_run),
            ("--all", args.all),
            ("--take-shipped", args.take_shipped),
        )
        if value
    ]
    if given:
        what = "is an option" if len(given) == 1 else "are options"
        raise StoreError(
            f"{' and '.join(given)} {what} of `briefing db update-shipped`, "
            f"not of `briefing db {args.action}`"
        )


def _taken(values: list[str]) -> frozenset[tuple[str, str]]:
    found = set()
    for value in values:
        entity, _, slug = value.partition("/")
        if entity not in ENTITIES or not slug:
            raise StoreError(
                f"--take-shipped {value!r}: give ENTITY/SLUG, e.g. clusters/my-cluster "
                f"(entities: {', '.join(ENTITIES)})"
            )
        found.add((entity, slug))
    return frozenset(found)


def cmd_update_shipped(args: argparse.Namespace) -> int:
    """Merge the shipped knowledge base into the user's; print the summary."""
    from briefing_app.cli import open_store_from_args

    global _advised
    _advised = True  # this command is the advice taken
    take = _taken(args.take_shipped)
    with open_store_from_args(args) as store:
        report = store.update_shipped(dry_run=args.dry_run, take=take)
    print("\n".join(report.lines(limit=None if args.all else 25)))
    return 0
