"""Import sqlite-utils without numpy.

sqlite-utils imports numpy, when it is installed, only to map numpy's number
types to column types; the store never hands it numpy values. numpy costs
about a tenth of a second at every start of a ``briefing`` command, so it is
hidden while sqlite-utils loads (an ``ImportError`` that sqlite-utils expects
and handles) and visible again right after, for matplotlib and anyone else.
"""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
