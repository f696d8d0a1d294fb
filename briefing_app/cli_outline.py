"""The ``briefing outline`` command: the briefing's outline, numbered as it
will be printed, and the sections left out with the reason.

    briefing outline --country CN --region zhejiang --sector automotive
    briefing outline --blueprint delegation-brief --profile my-firm --json

A section is left out when the selection does not give it what its front
matter ``needs`` (a visitor profile, a region, ...) or when, rendered, it has
nothing to say; the application shows the same sections greyed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace


def register(subparsers: argparse._SubParsersAction) -> None:
    from briefing_app.cli import add_db_option
    from briefing_app.cli_build import _selection_options, profile_option

    p = subparsers.add_parser(
        "outline",
        help="the briefing's outline, numbered, and the sections left out with the reason",
        description=(
            "Plan the briefing's outline for a selection and render it once: print each "
            "section with the number it gets, then the sections the briefing leaves out "
            "(nothing to say for this selection) with the reason."
        ),
    )
    p.add_argument("--blueprint", default="eccp-preparatory", metavar="SLUG")
    _selection_options(p)
    profile_option(p)
    p.add_argument("--json", action="store_true", help="print the outline as JSON")
    add_db_option(p)
    p.set_defaults(handler=cmd_outline)


def cmd_outline(args: argparse.Namespace) -> int:
    from briefing_app.assembly.needs import outline_as_built
    from briefing_app.assembly.outline import number_outline, outline_titles
    from briefing_app.cli import open_store_from_args
    from briefing_app.cli_build import _selection

    with open_store_from_args(args) as store:
        selection = _selection(store, args, args.blueprint)
        selection = replace(selection, profiles=tuple(dict.fromkeys(args.profiles)))
        items = outline_as_built(store, selection)
        titles = outline_titles(store, selection, items)
    numbers = {entry.item.key: entry.number for entry in number_outline(items)}
    rows = [
        {
            "key": item.key,
            "section": item.section,
            "title": title,
            "number": numbers.get(item.key),
            "left_out": item.left_out,
        }
        for item, title in zip(items, titles, strict=True)
        if item.included
    ]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        if row["number"]:
            print(f"{row['number']:<8}{row['title']}")
    left = [row for row in rows if row["left_out"]]
    if left:
        print("\nLeft out of the briefing:")
        for row in left:
            print(f"  {row['title']} ({row['section']}): {row['left_out']}")
    return 0
