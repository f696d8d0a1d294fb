"""The cluster policy maturity index of the ECCP factsheets (source 003)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

# The evaluation kinds of records.Policy that count for the maturity index.
ONGOING_OR_PAST = ("in-itinere",)
EX_ANTE_OR_POST = ("ex-ante", "ex-post", "ex-ante-and-ex-post")


def maturity_index(policies: list, today: _dt.date | None = None) -> list[dict[str, Any]]:
    """Score the policies by the rules of the cluster policy factsheet (003).

    Policy scope: 1 when only broader policies support clusters, 2 when a
    targeted cluster policy exists. Consistency (cluster policies only): 0
    without one, 1 for under ten years or an interrupted run, 2 for over ten
    years without interruption. Evidence of performance: 0.5 for in-itinere
    evaluations or evaluations of ended policies, 0.5 for ex-ante or ex-post
    ones, at most 1. Instruments: 1 for financial and 1 for technical ones.
    """
    year = (today or _dt.date.today()).year
    cluster_policies = [p for p in policies if p.is_cluster_policy]
    scope = 2 if cluster_policies else (1 if policies else 0)
    consistency = 0
    for policy in cluster_policies:
        start = policy.start_year or year
        end = min(policy.end_year or year, year)
        long_run = end - start > 10
        consistency = max(consistency, 2 if long_run and policy.continuity != "interrupted" else 1)
    evaluated = [p for p in policies if p.evaluation and p.evaluation != "none"]
    ongoing_or_past = any(
        p.evaluation in ONGOING_OR_PAST or (p.end_year and p.end_year < year) for p in evaluated
    )
    ante_or_post = any(p.evaluation in EX_ANTE_OR_POST for p in evaluated)
    evidence = 0.5 * ongoing_or_past + 0.5 * ante_or_post
    instruments = int(any(p.financial_instruments.strip() for p in policies)) + int(
        any(p.technical_instruments.strip() for p in policies)
    )
    return [
        {
            "dimension": "Policy scope",
            "score": scope,
            "maximum": 2,
            "rule": "broader policies supporting clusters = 1; a targeted cluster policy = 2",
        },
        {
            "dimension": "Consistency of cluster policies",
            "score": consistency,
            "maximum": 2,
            "rule": "cluster policies only: none = 0; under 10 years or interrupted = 1; "
            "over 10 years continuous = 2",
        },
        {
            "dimension": "Evidence of performance",
            "score": evidence,
            "maximum": 1,
            "rule": "in-itinere or past-policy evaluations = 0.5; "
            "ex-ante or ex-post evaluations = 0.5",
        },
        {
            "dimension": "Instruments",
            "score": instruments,
            "maximum": 2,
            "rule": "1 point each for financial and technical support instruments",
        },
    ]
