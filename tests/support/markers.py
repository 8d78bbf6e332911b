"""Reading the ``start``/``done`` lines the test processes write (tests/support/processes.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def marker_lines(marker_dir: Path, prefix: str = "") -> Counter[str]:
    """How often each line (starting with ``prefix``) was written, over all robots' files."""
    lines: Counter[str] = Counter()
    for path in marker_dir.glob("*.log"):
        lines.update(line for line in path.read_text().splitlines() if line.startswith(prefix))
    return lines
