"""kb.period and kb.aside together: a policy's years said once, never twice."""

from __future__ import annotations

from briefing_app.assembly.kb_wording import WordingMixin
from briefing_app.store.records import Policy


def policy(name: str, start=None, end=None, local: str = "") -> Policy:
    return Policy("p", name, "QV", "national", local_name=local, start_year=start, end_year=end)


def test_period_reads_as_a_reader_expects():
    assert WordingMixin.period(policy("Plan", 2016, 2030)) == "2016-2030"
    assert WordingMixin.period(policy("Plan", 2016)) == "2016"
    assert WordingMixin.period(policy("Plan", 2016), " onwards") == "2016 onwards"
    assert WordingMixin.period(policy("Plan")) == ""


def test_aside_leaves_out_years_the_name_already_holds():
    kb = WordingMixin()
    assert kb.aside(policy("Plan", 2016, 2030), kb.period(policy("Plan", 2016, 2030))) == (
        " (2016-2030)"
    )
    named = policy("Made in China 2016", 2016, 2025, local="中国制造")
    assert kb.aside(named, kb.period(named)) == " (中国制造)"
    assert kb.named(named, kb.period(named)) == "Made in China 2016 (中国制造)"
