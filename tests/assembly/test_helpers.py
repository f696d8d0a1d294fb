"""Filters and the maturity index rules."""

from __future__ import annotations

import datetime as dt

from briefing_app.assembly.helpers import (
    join_names,
    markdown_literal,
    money,
    number,
    percent,
    plural,
    year,
)
from briefing_app.assembly.maturity import maturity_index
from briefing_app.store.records import Policy


def test_number_formats():
    assert number(1234567) == "1,234,567"
    assert number(6.6, None) == "6.6"
    assert number(2.0, None) == "2"
    assert number(3.14159, 2) == "3.14"


def test_other_filters():
    assert percent(20.23) == "20.2%"
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    assert join_names([{"acronym": "X"}, {"acronym": "Y"}], "acronym") == "X and Y"
    assert plural(1, "cluster") == "cluster" and plural(3, "city", "cities") == "cities"
    assert year("2019-04-30") == "2019" and year(2018.0) == "2018"
    assert money(170136) == "EUR 170.1 billion"  # currency, amount, scale (EU style guide)
    assert money(450) == "EUR 450 million"


def test_join_names_writes_out_at_most_the_names_asked_for():
    names = [f"Cluster {n}" for n in range(1, 2_503)]
    assert join_names(names, most=3) == "Cluster 1, Cluster 2, Cluster 3 and 2,499 more"
    assert join_names(names[:3], most=3) == "Cluster 1, Cluster 2 and Cluster 3"
    assert join_names(names[:5], most=3) == "Cluster 1, Cluster 2, Cluster 3 and 2 more"
    assert join_names(names[:4], most=3) == "Cluster 1, Cluster 2, Cluster 3 and Cluster 4"
    assert join_names(iter(names[:2]), most=5) == "Cluster 1 and Cluster 2"
    assert join_names([{"acronym": "X"}, {"acronym": "Y"}], "acronym", most=1) == "X and Y"
    assert join_names([], most=4) == ""


def test_a_long_list_in_a_sentence_names_a_few_and_counts_the_rest(seeded_store, tmp_path):
    """At a large scale the prose names a handful; the tables hold every record."""
    from briefing_app.assembly import Selection, build_document
    from briefing_app.document import Paragraph
    from tests.csv_files import write_csv

    rows = [
        {"slug": f"many-helpdesk-{n}", "name": f"Helpdesk {n:03d}", "kind": "helpdesk"}
        for n in range(300)
    ]
    for row in rows:
        row["country"] = "CN"
    seeded_store.import_file("organisations", write_csv(tmp_path / "orgs.csv", rows))
    document = build_document(seeded_store, Selection(country="CN", blueprint="eccp-preparatory"))
    (sentence,) = [
        block.plain
        for block in document.blocks
        if isinstance(block, Paragraph) and "support services on the ground" in block.plain
    ]
    assert sentence.endswith(" and 297 more.")  # 5 of the seed + 300 new, 8 named
    assert "Helpdesk 299" not in sentence


def test_printed_values_cannot_make_markdown():
    assert (
        markdown_literal("a*b*_c_ [x](y) <b> | ~") == "a\\*b\\*\\_c\\_ \\[x\\](y) \\<b\\> \\| \\~"
    )
    assert markdown_literal(3.0) == 3


def policy(slug: str, **kw) -> Policy:
    return Policy(slug=slug, name=slug, country="FD", level="national", **kw)


TODAY = dt.date(2020, 6, 1)


def scores(policies) -> list:
    return [d["score"] for d in maturity_index(policies, TODAY)]


def test_maturity_without_policies_is_zero():
    assert scores([]) == [0, 0, 0, 0]


def test_maturity_broad_policy_only():
    assert scores([policy("p", financial_instruments="grants")]) == [1, 0, 0, 1]


def test_maturity_long_continuous_cluster_policy_like_the_factsheet():
    records = [
        policy(
            "torch",
            is_cluster_policy=True,
            start_year=1988,
            financial_instruments="loans",
            technical_instruments="incubators",
            evaluation="in-itinere",
        ),
        policy("city-clusters", is_cluster_policy=True, start_year=2016, end_year=2035),
    ]
    result = maturity_index(records, TODAY)
    assert [d["score"] for d in result] == [2, 2, 0.5, 2]
    assert [d["maximum"] for d in result] == [2, 2, 1, 2]


def test_maturity_short_or_interrupted_cluster_policy_scores_one():
    assert scores([policy("young", is_cluster_policy=True, start_year=2015)])[1] == 1
    assert (
        scores([policy("old", is_cluster_policy=True, start_year=1990, continuity="interrupted")])[
            1
        ]
        == 1
    )


def test_maturity_evidence_adds_up_to_one():
    records = [policy("a", evaluation="ex-post"), policy("b", evaluation="in-itinere")]
    assert scores(records)[2] == 1.0
    assert scores([policy("c", evaluation="ex-ante")])[2] == 0.5


def test_no_shipped_sentence_says_a_and_b_and_n_more(seeded_store):
    """A capped list reads "A, B and 3 more", never "A and B and 3 more"."""
    import re

    from briefing_app.assembly import Selection, build_document
    from briefing_app.render.html_backend import render_html

    pages = []
    for region, sectors in [
        (None, ("automotive", "human-health", "renewable-energy", "ict")),
        ("guangdong", ("automotive", "ict")),
        ("zhejiang", ()),
    ]:
        selection = Selection(country="CN", region=region, sectors=sectors)
        page = render_html(build_document(seeded_store, selection), chart_png=lambda *a, **k: None)
        pages.append(re.sub(r"<[^>]+>", "", page))
    text = "\n".join(pages)
    # China's own sections name their lists whole; capping itself is tested on join_names.
    assert not re.search(r" and [^,.;:]+ and [\d,]+ more\b", text)
