"""ReportLab's web-address pattern is compiled on first use, not at import
(``render/rl_patterns.py``), and then answers as the compiled pattern does."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from briefing_app.render.rl_patterns import LazyPattern

ADDRESSES = [
    "https://example.org/a/b/c",
    "http://user:pw@192.168.0.1:8080/path?q=1",
    "ftp://xn--bcher-kva.example/pfad/",
    "www.example.org/no/scheme",
    "not an address at all",
    "https://exa mple.org/space",
]


def test_a_new_process_compiles_the_pattern_only_when_a_word_is_split_at_an_address():
    script = textwrap.dedent(
        """
        import json, re
        import briefing_app.render.pdf_backend
        import reportlab.platypus.paragraph as p
        lazy = type(p.uri_pat).__name__
        pattern = p.uri_pat.pattern
        split = [p._uri_split_pairs(a) for a in ADDRESSES]
        real = re.compile(pattern, re.I)
        same = [bool(p.uri_pat.match(a)) == bool(real.match(a)) for a in ADDRESSES]
        print(json.dumps([lazy, split, same]))
        """
    ).replace("ADDRESSES", repr(ADDRESSES))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    lazy, split, same = json.loads(done.stdout)
    assert lazy == "LazyPattern"
    assert all(same)
    assert split[0] == [
        ["https://example.org/a/b/", "c"],
        ["https://example.org/a/", "b/c"],
        ["https://example.org/", "a/b/c"],
        ["https://", "example.org/a/b/c"],
    ]
    assert split[4] is None


def test_a_lazy_pattern_is_the_compiled_pattern_once_used():
    import re

    lazy = LazyPattern(r"(\w+)@(\w+)", re.I)
    assert lazy.match("Me@Home").groups() == ("Me", "Home")
    assert lazy.pattern == r"(\w+)@(\w+)" and lazy.flags & re.I
    assert lazy.findall("a@b c@d") == [("a", "b"), ("c", "d")]
