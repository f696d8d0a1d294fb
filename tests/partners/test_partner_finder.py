"""The partner finder on the seeded China data and the test set of profiles."""

from __future__ import annotations

import dataclasses
import re
import time

from partner_data import expected_counterparts

from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.matching import record_text


def _kb(store, region=None):
    return KnowledgeBase(store, store.country("CN"), store.region(region) if region else None)


def _true_reason(match, store) -> list[str]:
    """What is untrue in a match's reasons ([] when every claim holds)."""
    wrong = []
    text = (record_text(match.record) + " " + getattr(match.record, "local_name", "")).lower()
    names = {s.slug: s.name.lower() for s in store.sectors()}
    sectors = set(getattr(match.record, "sectors", ()) or ())
    for reason in match.reasons:
        if reason.startswith("both work on "):
            for word in re.split(r", | and ", reason.removeprefix("both work on ")):
                if word.lower() not in text:
                    wrong.append(f"{word!r} is not in the text of {match.record.slug}")
        elif reason.startswith("both work in ") and sectors:
            sector = reason.removeprefix("both work in ").split(" (")[0].lower()
            if sector not in {names[s] for s in sectors}:
                wrong.append(f"{match.record.slug} does not list {sector}")
    if not match.reasons or not all(match.reasons):
        wrong.append(f"{match.record.slug} has no reason")
    return wrong


def test_the_test_set_ranks_the_expected_counterparts_first(profiled_store, capsys):
    expected = expected_counterparts()
    profiles = {p.slug: p for p in profiled_store.records("profiles")}
    assert len(profiles) >= 12 and set(expected) == set(profiles)
    kb = _kb(profiled_store)
    lines, found_first, untrue = [], 0, []
    for slug in sorted(profiles):
        best = kb.partner_matches(slug, most=5)
        assert len(best) == 5, slug
        top3 = {m.record.slug for m in best[:3]}
        hit = bool(top3 & set(expected[slug]))
        found_first += hit
        lines.append(f"{slug}  [{'expected in top 3' if hit else 'MISSED'}]")
        for n, match in enumerate(best, 1):
            lines.append(f"  {n}. {match.score:5.1f}  {match.name}: {match.reason}")
            untrue += _true_reason(match, profiled_store)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
        print(f"expected counterpart in the top 3 for {found_first} of {len(profiles)} profiles")
    assert found_first >= 10
    assert untrue == []


def test_ranking_a_profile_stays_within_the_preview_budget(profiled_store):
    profiles = profiled_store.records("profiles")
    kb = _kb(profiled_store)
    kb.partner_ranking(profiles[0])  # reads the records once, as a build does
    for profile in profiles[1:]:
        started = time.perf_counter()
        kb.partner_ranking(profile)
        assert time.perf_counter() - started < 0.05, profile.slug
    cold = _kb(profiled_store)
    started = time.perf_counter()
    cold.partner_ranking(profiles[0])
    assert time.perf_counter() - started < 0.5  # the first one also reads the records


def test_universities_and_research_bodies_are_ranked_apart(profiled_store):
    ranking = _kb(profiled_store).partner_ranking("technical-university")
    research = ranking.groups["research"]
    research_kinds = profiled_store.vocabulary().codes("organisations", "research")
    assert research_kinds  # the kinds table says which kinds are research bodies
    assert research and all(m.record.kind in research_kinds for m in research)
    assert all(m.record.kind not in research_kinds for m in ranking.groups["organisations"])


def test_regions_are_scored_by_the_counterparts_they_are_home_to(profiled_store):
    whole = _kb(profiled_store).partner_ranking("biopharma-cluster").groups["regions"]
    assert whole[0].record.slug == "shanghai"
    assert whole[0].reasons[0].startswith("home to ")
    # Within a province, its cities are ranked instead.
    zhejiang = _kb(profiled_store, "zhejiang").partner_ranking("fashion-cluster")
    cities = {m.record.slug for m in zhejiang.groups["regions"]}
    assert cities and "zhejiang" not in cities
    assert {profiled_store.region(c).parent for c in cities} == {"zhejiang"}
    placed = zhejiang.best(50, groups=("clusters",))
    assert placed and all(m.record.region in _scope(profiled_store, "zhejiang") for m in placed)


def _scope(store, region):
    return store.region_scope(region)


def test_pins_and_drops_move_matches(profiled_store):
    kb = _kb(profiled_store)
    before = kb.partner_matches("battery-cluster", group="clusters", most=10)
    last, first = before[-1], before[0]
    kb = _kb(profiled_store)
    kb.set_partner_choices(
        pins=[f"battery-cluster:{last.key}"], drops=[f"battery-cluster:{first.key}"]
    )
    after = kb.partner_matches("battery-cluster", group="clusters", most=10)
    assert after[0].record.slug == last.record.slug and after[0].pinned
    assert first.record.slug not in {m.record.slug for m in after}
    # Another profile is not touched by them.
    assert kb.partner_matches("auto-parts-cluster", most=1)[0].pinned is False


def test_the_selected_sectors_narrow_the_candidates(profiled_store):
    kb = _kb(profiled_store)
    kb.set_partner_choices(focus=["automotive"])
    for match in kb.partner_matches("battery-cluster", most=20):
        sectors = set(getattr(match.record, "sectors", ()) or ())
        assert not sectors or sectors & profiled_store.sector_scope("automotive")


def test_local_script_keywords_match_local_names_exactly(profiled_store):
    profile = dataclasses.replace(
        profiled_store.get("profiles", "fashion-cluster"), keywords=("紹興",), sectors=()
    )
    found = _kb(profiled_store).partner_finder().rank(profile).best(10)
    holding = {c.slug for c in profiled_store.clusters(country="CN") if "紹興" in c.city_local}
    assert {"shaoxing-textile-cluster", "zhuji-socks-cluster"} <= holding
    assert {m.record.slug for m in found} == holding
    assert all("its local name holds 紹興" in m.reasons for m in found)


def test_words_meet_their_variants(profiled_store):
    profile = dataclasses.replace(
        profiled_store.get("profiles", "battery-cluster"), keywords=("battery",), sectors=()
    )
    found = {m.record.slug: m for m in _kb(profiled_store).partner_finder().rank(profile).best(20)}
    # "battery" meets "Power Battery" and "batteries"
    assert "national-power-battery-innovation-center" in found
    assert all(m.reasons for m in found.values())


def test_a_profile_without_anything_in_common_has_no_match(profiled_store):
    profile = dataclasses.replace(
        profiled_store.get("profiles", "battery-cluster"),
        keywords=("zither strings",),
        sectors=(),
    )
    assert len(_kb(profiled_store).partner_finder().rank(profile)) == 0
