"""``briefing match``: whom a visitor should meet in a country, and why.

Ranks the clusters, universities and research bodies, other organisations,
partnerships and regions of the selection for one visitor profile (a slug
of the knowledge base, or a CSV/JSON file of profiles, checked but not
imported) with the partner finder (docs/partner-finder.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefing_app.errors import BriefingError, NotFoundError, unknown_message

DEFAULT_MOST = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    from briefing_app.cli import add_db_option

    p = subparsers.add_parser(
        "match",
        help="rank whom a visitor profile should meet, with the reasons",
        description="Rank the counterparts of a country (or region) for a visitor's profile: "
        "clusters, universities and research bodies, other organisations, partnerships and "
        "regions, each with what it shares with the visitor. See docs/partner-finder.md.",
    )
    p.add_argument(
        "--profile",
        required=True,
        metavar="SLUG|FILE",
        help="a profile of the knowledge base, or a .csv/.json file of profiles (its first, "
        "or --pick; the file is checked, not imported)",
    )
    p.add_argument("--pick", metavar="SLUG", help="with a file of several profiles: which one")
    p.add_argument("--country", required=True, metavar="ISO", help="ISO code or slug")
    p.add_argument("--region", default="", metavar="SLUG", help="a region (default: all)")
    p.add_argument(
        "--sector",
        dest="sectors",
        action="append",
        default=[],
        metavar="SLUG",
        help="keep counterparts of this sector (slug, name or alias); repeat for several",
    )
    p.add_argument(
        "--most",
        type=_count,
        default=DEFAULT_MOST,
        metavar="N",
        help=f"matches per group (default {DEFAULT_MOST})",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_db_option(p)
    p.set_defaults(handler=cmd_match)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("give a number from 1 to 1000")
    return value


def cmd_match(args: argparse.Namespace) -> int:
    from briefing_app.assembly.knowledge import KnowledgeBase
    from briefing_app.assembly.partner_finder import GROUP_TITLES, GROUPS
    from briefing_app.cli import open_store_from_args

    with open_store_from_args(args) as store:
        profile = _profile(store, args.profile, args.pick)
        country = store.country(args.country)
        region = store.resolve_region(args.region) if args.region else None
        if region is not None and region.country != country.iso_code:
            raise BriefingError(
                f"region {region.slug!r} lies in {region.country}, not in {country.iso_code}"
            )
        sectors = [store.resolve_sector(s).slug for s in args.sectors]
        kb = KnowledgeBase(store, country, region)
        kb.set_partner_choices(sectors)
        ranking = kb.partner_finder().rank(profile)
    groups = {g: ranking.groups[g][: args.most] for g in GROUPS}
    if args.json:
        data = {
            "profile": profile.slug,
            "country": country.iso_code,
            "region": region.slug if region else "",
            "sectors": sectors,
            "groups": {g: [_as_dict(m) for m in found] for g, found in groups.items()},
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    area = region.name if region else country.name
    print(f"Whom {profile.name} should meet in {area}, and why:")
    if not len(ranking):
        print("  no counterpart shares a sector or a keyword with this profile")
    for group in GROUPS:
        if not groups[group]:
            continue
        print(f"\n{GROUP_TITLES[group]}")
        for n, match in enumerate(groups[group], 1):
            pin = " (pinned)" if match.pinned else ""
            print(f"  {n}. {match.name}{pin}  [{match.score:.1f}]")
            print(f"     {match.reason}")
            if match.website:
                via = "" if match.own_website else f" (via {match.contact.name})"
                print(f"     {match.website}{via}")
    return 0


def _profile(store, value: str, pick: str | None):
    """The profile named by slug, or read from a file (checked, not imported)."""
    path = Path(value)
    if path.suffix.lower() in (".csv", ".json") or path.is_file():
        found = store.read_file("profiles", path)
        if not found:
            raise BriefingError(f"{path} holds no profile")
        if pick:
            chosen = [p for p in found if p.slug == pick]
            if not chosen:
                known = ", ".join(p.slug for p in found)
                raise BriefingError(f"{path} has no profile {pick!r}; it has: {known}")
            return chosen[0]
        return found[0]
    if pick:
        raise BriefingError("--pick chooses among the profiles of a file; --profile names one")
    known = [p.slug for p in store.records("profiles")]
    if value not in known:
        hint = "" if known else " (none yet: `briefing import profiles FILE` adds them)"
        raise NotFoundError(unknown_message("profile", value, known) + hint)
    return store.get("profiles", value)


def _as_dict(match) -> dict:
    record = match.record
    return {
        "slug": record.slug,
        "name": match.name,
        "group": match.group,
        "score": match.score,
        "reasons": list(match.reasons),
        "parts": {k: round(v, 3) for k, v in match.parts.items()},
        "website": match.own_website,
        "contact": (
            {"name": match.contact.name, "website": match.contact.website}
            if match.contact
            else None
        ),
        "region": getattr(record, "region", "") or "",
        "pinned": match.pinned,
    }
