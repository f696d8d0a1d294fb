"""One budget for a whole build: time and size, checked by every stage.

The sandbox bounds what template code does between Jinja's hooks (3 s and
2,000,000 characters per render, see sandbox.Limits). That alone left the work
done *after* a hook unbounded: a helper handed 20,000 columns, a chart of
4,000 bars, 10,000 identical headings, a section of 200,000 lines, 19,000
citations. Here the build gets one :class:`BuildBudget`:

- a deadline for the whole build, which the sandbox's guard, the helpers and
  the Markdown conversion all check;
- the size of the document (characters of all sections, headings, footnotes);
- the size of each helper's inputs, checked *before* the helper works
  (rows, columns, cell text, chart points, labels).

Crossing a limit raises :class:`BudgetExceeded` with the limit's name and
value; the build turns it into a TemplateError naming the section (and the
template line, when a helper was called there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class BuildLimits:
    """How much one build may take, all sections together."""

    seconds: float = 120.0  # the whole build, every stage
    document_chars: int = 20_000_000  # rendered text of all sections
    section_lines: int = 50_000  # lines of one section's rendered Markdown
    headings: int = 5_000
    citations: int = 2_000  # footnotes (a full briefing has ~250; the PDF sets ~250 a second)
    table_rows: int = 5_000
    table_columns: int = 60
    cell_chars: int = 20_000
    table_chars: int = 2_000_000
    # Drawing takes ~10 ms a bar and long labels more: a chart stays under ~3 s.
    chart_categories: int = 60
    chart_series: int = 10
    chart_points: int = 240  # categories times series
    label_chars: int = 120  # a chart's category, series name, title, unit
    caption_chars: int = 2_000
    decimals: int = 20  # number(), percent()


class BudgetExceeded(ValueError):
    """A build went over one of its limits; the message names the limit."""


class BuildBudget:
    """The counters and deadline of one build."""

    def __init__(self, limits: BuildLimits | None = None) -> None:
        self.limits = limits or BuildLimits()
        self.deadline = time.monotonic() + self.limits.seconds
        self.chars = 0
        self.headings = 0
        self.citations = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"the build took longer than its limit of {self.limits.seconds:g} s"
            )

    def at_most(self, count: int, limit_name: str, what: str) -> None:
        """Refuse ``count`` things when more than the limit called ``limit_name``."""
        limit = getattr(self.limits, limit_name)
        if count > limit:
            raise BudgetExceeded(f"{what}: {count:,} is over the limit of {limit:,}")

    def add_text(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.document_chars:
            raise BudgetExceeded(
                f"the briefing's text grew beyond {self.limits.document_chars:,} characters"
            )
        self.check_time()

    def add_heading(self) -> None:
        self.headings += 1
        if self.headings > self.limits.headings:
            raise BudgetExceeded(f"the briefing has more than {self.limits.headings:,} headings")

    def add_citation(self) -> None:
        self.citations += 1
        if self.citations > self.limits.citations:
            raise BudgetExceeded(f"the briefing has more than {self.limits.citations:,} footnotes")
