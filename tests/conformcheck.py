"""PDF/UA-1 and PDF/A-2a as an independent checker sees them: ``page-validation`` (PyPI).

page is a validator of its own (Rust) whose rules are veraPDF's, tested against the veraPDF
and Isartor corpora; the suite's other PDF checks (`tagcheck`, ``pdfua``) come from the
same people as the writer or cover a few rules only.  Tests call `failures`, which skips the
test when page-validation is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROFILES = ("ua1", "2a")  # PDF/UA-1, PDF/A-2a: what the writer claims by default


def failures(path: Path, profiles=PROFILES) -> list[str]:
    """Every failed check, as ``profile RULE-ID object N: message`` (empty: conformant to each profile)."""
    page = pytest.importorskip("page", reason="page-validation is not installed")
    out = []
    for profile in profiles:
        report = page.validate_pdf(str(path), profile=profile)
        for f in report.failures:
            where = f"object {f.object_id.object_number}" if f.object_id is not None else "document"
            out.append(f"{profile} {f.rule_id} {where}: {f.message}")
        if not report.is_compliant and not report.failures:
            out.append(f"{profile}: not compliant, {report.rules.failed} rules failed")
    return out
