"""The import bench's smoke mode runs end to end: files made, imports checked, a report written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "import_bench.py"


def test_import_bench_smoke_mode(tmp_path):
    out = tmp_path / "import_results.md"
    result = subprocess.run([sys.executable, str(BENCH), "--smoke", "--workdir", str(tmp_path / "work"),
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "| anmeldelser_3000.csv | 3,000 |" in report
    assert "| lang_2.csv | 17,640 |" in report
    assert "FAILED" not in report and "## Failures" not in report
    assert "Where the import spends its time" in report
