"""Counts in running text (EU style guide: one to nine in words), the
``leading`` filter that names only counts that stand out, the chart helper's
``counts`` contract and the checker rule ``count-in-digits``."""

from __future__ import annotations

import pytest

from briefing_app.assembly import Selection, render_template
from briefing_app.assembly.amounts import is_count_unit
from briefing_app.assembly.helpers import counted, leading, words
from briefing_app.assembly.reader_check import Unit, check_units
from briefing_app.document import Figure
from briefing_app.errors import TemplateError


def test_words_writes_one_to_nine_and_keeps_digits_from_ten():
    assert [words(n) for n in (1, 2, 9)] == ["one", "two", "nine"]
    assert words(0) == "zero"
    assert words(10) == "10" and words(1500) == "1,500" and words(2.5) == "2.5"
    assert counted(1, "cluster") == "one cluster"
    assert counted(3, "cluster") == "three clusters"
    assert counted(12, "cluster") == "12 clusters"
    assert counted(0, "cluster") == "no clusters"
    assert counted(2, "city", "cities") == "two cities"


def test_leading_names_only_counts_that_stand_out():
    assert leading([("a", 1), ("b", 1), ("c", 1)]) == []  # all equal
    assert leading([("a", 2), ("b", 2)]) == []  # equal, above one
    assert leading([("a", 1)]) == []
    assert leading([]) == []
    assert leading([("a", 2), ("b", 1), ("c", 2), ("d", 1)]) == [("a", 2), ("c", 2)]
    big = [("x", 40), ("y", 25), ("z", 12), ("w", 9), ("v", 1)]
    assert leading(big, 3) == [("x", 40), ("y", 25), ("z", 12)]  # differing counts: top three


def test_count_units():
    assert is_count_unit("clusters") and is_count_unit("joint projects")
    for unit in ("", "%", "GW", "EUR million", "million units", "rank (of 190)", "% of GDP"):
        assert not is_count_unit(unit), unit


def _figure(store, body):
    document = render_template(store, Selection(country="CN", blueprint="eccp-preparatory"), body)
    return next(b for b in document.blocks if isinstance(b, Figure))


def test_chart_of_counts_is_marked_whole(seeded_store):
    counts = "{{ chart('barh', ['A', 'B'], {'Clusters': [2, 1]}, 'Counts', unit='clusters') }}"
    shares = "{{ chart('bar', ['A', 'B'], {'Share': [2, 1]}, 'Shares', unit='%') }}"
    said = "{{ chart('bar', ['A', 'B'], {'Firms': [2, 1]}, 'Firms', counts=True) }}"
    fractions = "{{ chart('bar', ['A', 'B'], {'C': [2.5, 1]}, 'C', unit='clusters') }}"
    assert _figure(seeded_store, counts).chart.whole
    assert not _figure(seeded_store, shares).chart.whole
    assert _figure(seeded_store, said).chart.whole
    assert not _figure(seeded_store, fractions).chart.whole
    with pytest.raises(TemplateError, match="whole numbers"):
        _figure(seeded_store, "{{ chart('bar', ['A'], {'C': [1.5]}, 'C', counts=True) }}")


@pytest.mark.parametrize(
    "text",
    [
        "By kind, the area has 1 development zone and 2 industrial clusters.",
        "It has 3 clusters in Hebei.",
        "1 joint research and innovation project already runs.",
        "Amber crafts: 2 local clusters, led by Belograd.",
        "The trade gathers in 1 cluster: Belograd amber crafts cluster.",
        "The country runs 4 cluster policies.",
    ],
)
def test_the_checker_flags_a_small_count_in_digits(text):
    assert {f.rule for f in check_units([Unit("x", text)])} == {"count-in-digits"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The area has 12 clusters and 109 industrial parks.", "paragraph"),
        ("See Figure 3 clusters by area.", "paragraph"),
        ("Tier 1 regions lead.", "paragraph"),
        ("In 2023 clusters grew.", "paragraph"),
        ("2.3.1 Amber crafts clusters", "paragraph"),
        ("EUR 1.5 billion went to 12 clusters.", "paragraph"),
        ("Agri-food (2) and amber crafts (1) clusters.", "paragraph"),
        ("2 of the regions", "paragraph"),
        ("It ranks 5th among regions.", "paragraph"),
        ("2-3 clusters", "paragraph"),
        ("3 clusters", "cell"),
        ("Figure 4 - 3 clusters per area", "caption"),
        ("0 1 2 clusters", "page"),
        ("3 Cluster community in Iron Triangle", "heading"),
    ],
)
def test_the_checker_leaves_other_numbers_alone(text, kind):
    assert check_units([Unit("x", text, None, kind)]) == []
