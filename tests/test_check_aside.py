"""The reader check of ``briefing build`` run in a forked child beside the
writing (``cli_check_aside``): the same findings, warnings and exit status as
checking in the process, and a child that dies leaves the check to the parent."""

from __future__ import annotations

import os
import signal
from dataclasses import replace

import pytest

from briefing_app import cli_check_aside
from briefing_app.assembly import Selection, build_document, reader_check
from briefing_app.cli import main
from briefing_app.store import open_store
from briefing_app.store.records import Indicator

JILIN = Selection(
    country="CN", region="jilin", sectors=("human-health",), blueprint="delegation-brief"
)
forking = pytest.mark.skipif(
    not cli_check_aside.can_fork(), reason="needs fork and two CPUs for this process"
)


def _add_faults(store) -> None:
    """Text that breaks the rules (tool words, a doubled word) in the clusters
    of Jilin, and a figure ten times off that the data rule finds."""
    for cluster in store.clusters(region="jilin"):
        text = (
            f"{cluster.description or ''} The knowledge base records it as a cluster of of firms."
        )
        store.upsert("clusters", replace(cluster, description=text))
    store.upsert(
        "indicators",
        Indicator(
            slug="rd-investment-misprint",
            name="R&D investment",
            value=279.0,
            unit="CNY billion",
            year=2021,
            country="CN",
            source="wu-country-study-china-2023",
            series="rd-investment",
        ),
    )


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The children forked (real forks, counted)."""
    made: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return made


@forking
def test_the_child_finds_what_the_process_finds(seeded_store, forks):
    _add_faults(seeded_store)
    document = build_document(seeded_store, JILIN)
    here = reader_check.check_document(document, seeded_store, "CN")
    assert {"tool-words", "leftover"} <= {f.rule for f in here}
    aside = cli_check_aside.start_check(document, seeded_store, "CN", aside=True)()
    assert len(forks) == 1
    assert aside == here


@forking
def test_the_data_rules_run_in_the_child_without_the_store(seeded_store, forks):
    """The figures rule reads the store; the child has only what was read first."""
    from briefing_app.document import Document, Heading, Metadata, Paragraph, Text

    _add_faults(seeded_store)
    text = (
        "Total R&D expenditure (2017): EUR 222.7 billion. R&D investment (2021): CNY 279 billion."
    )
    document = Document(Metadata(title="T"), (Heading(1, "Scope", "1"), Paragraph((Text(text),))))
    aside = cli_check_aside.start_check(document, seeded_store, "CN", aside=True)()
    assert len(forks) == 1
    assert [f.rule for f in aside] == ["series-factor"]
    assert aside == reader_check.check_document(document, seeded_store, "CN")


@forking
def test_a_child_that_dies_leaves_the_check_to_this_process(seeded_store, forks, monkeypatch):
    _add_faults(seeded_store)
    document = build_document(seeded_store, JILIN)
    expected = reader_check.check_document(document, seeded_store, "CN")
    real_check = reader_check.check_document

    def killed_in_the_child(document, store=None, country=None, facts=None):
        if facts is not None:  # only the child checks with facts read beforehand
            os.kill(os.getpid(), signal.SIGKILL)
        return real_check(document, store, country, facts)

    monkeypatch.setattr(reader_check, "check_document", killed_in_the_child)
    assert cli_check_aside.start_check(document, seeded_store, "CN", aside=True)() == expected
    assert len(forks) == 1
    (pid,) = forks
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


@forking
def test_with_every_core_busy_the_check_runs_here(seeded_store, monkeypatch, forks):
    """By default the child is used only when the load leaves a core free."""
    _add_faults(seeded_store)
    document = build_document(seeded_store, JILIN)
    expected = reader_check.check_document(document, seeded_store, "CN")
    monkeypatch.delenv("BRIEFING_CHECK_ASIDE", raising=False)
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.setattr(os, "getloadavg", lambda: (float(cpus), 1.0, 1.0))
    assert cli_check_aside.start_check(document, seeded_store, "CN")() == expected
    assert forks == []
    monkeypatch.setattr(os, "getloadavg", lambda: (cpus - 1.0, 1.0, 1.0))
    assert cli_check_aside.start_check(document, seeded_store, "CN")() == expected
    assert len(forks) == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (float(cpus), 1.0, 1.0))
    monkeypatch.setenv("BRIEFING_CHECK_ASIDE", "on")
    assert cli_check_aside.start_check(document, seeded_store, "CN")() == expected
    assert len(forks) == 2


def test_without_fork_the_check_runs_here(seeded_store, monkeypatch, forks):
    monkeypatch.setenv("BRIEFING_CHECK_ASIDE", "off")
    _add_faults(seeded_store)
    document = build_document(seeded_store, JILIN)
    findings = cli_check_aside.start_check(document, seeded_store, "CN", aside=True)()
    assert forks == []
    assert findings == reader_check.check_document(document, seeded_store, "CN")


def test_build_warnings_and_status_are_the_same_checked_aside_or_here(
    seeded_db_path, tmp_path, capsys, monkeypatch, forks
):
    with open_store(seeded_db_path) as store:
        _add_faults(store)
    argv = [
        "build",
        "--blueprint",
        "delegation-brief",
        "--country",
        "CN",
        "--region",
        "jilin",
        "--sector",
        "human-health",
        "--format",
        "docx",
        "--strict",
        "--db",
        str(seeded_db_path),
        "--output",
        f"{tmp_path / 'out'}/",
    ]
    results = []
    for aside in ("on", "off", "on"):  # the last two replace the file the first wrote
        # "on": in a child whatever the load
        monkeypatch.setenv("BRIEFING_CHECK_ASIDE", aside)
        status = main(argv)
        captured = capsys.readouterr()
        results.append((status, captured.out, captured.err))
    assert len(forks) == (2 if cli_check_aside.can_fork() else 0)
    first, here, replacing = results
    assert first[0] == here[0] == replacing[0] == 1  # --strict with findings
    warnings = [line for line in first[2].splitlines() if line.startswith("briefing: warning:")]
    assert len(warnings) >= 3 and "reader-text findings" in warnings[-1]
    assert here[1] == first[1] == replacing[1]
    assert here[2] == replacing[2]  # warnings first, then "replacing ...", either way
    assert here[2].startswith("\n".join(warnings))
    assert here[2].splitlines()[-1].startswith("briefing: replacing ")
