"""Golden hashes: the default content and the test backgrounders build to exactly the recorded bytes.

A change that alters an output must update the hashes deliberately:

    python tests/test_golden.py --update

The outputs depend on the libraries that draw them, so the hashes are recorded with their
versions; with other versions installed the test skips (and says which differ).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden.json"
LIBRARIES = ("reportlab", "python-pptx", "matplotlib", "svglib", "basemap-data", "numpy",
             "fonttools", "lxml", "XlsxWriter", "pillow", "markdown-it-py", "linkify-it-py")

# (name, content file relative to the repository, writer settings)
VARIANTS = (
    ("default", "content.yaml", {}),
    ("footnotes-a4", "content.yaml",
     {"pdf": {"notes": "footnotes", "paper": "a4"}, "slides": {"citations": "footer"}}),
    ("second", "tests/data/second/content.yaml", {}),
    ("second-footnotes", "tests/data/second/content.yaml", {"pdf": {"notes": "footnotes"}}),
)


def versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def build_all(out: Path) -> dict[str, str]:
    """Build every variant into `out`; the sha256 of each output, by variant/file name."""
    from jnim_export.build import STATE_DIR, Options, build

    hashes = {}
    figures = out / "figures"  # one figure cache for all variants: each figure is drawn once
    figures.mkdir(parents=True)
    for name, content, settings in VARIANTS:
        folder = out / name
        (folder / STATE_DIR).mkdir(parents=True)
        (folder / STATE_DIR / "figures").symlink_to(figures, target_is_directory=True)
        report = build(ROOT / content, None, Options(out_dir=folder, settings=settings))
        for output in report.outputs:
            hashes[f"{name}/{output.path.name}"] = hashlib.sha256(output.path.read_bytes()).hexdigest()
    return hashes


@pytest.mark.slow
def test_outputs_are_the_recorded_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    differ = {k: (v, golden["libraries"].get(k)) for k, v in versions().items() if golden["libraries"].get(k) != v}
    if differ:
        pytest.skip(f"golden hashes were recorded with other library versions: {differ}")
    assert build_all(tmp_path) == golden["outputs"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden.py --update")
    import tempfile

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    with tempfile.TemporaryDirectory() as tmp:
        record = {"libraries": versions(), "outputs": build_all(Path(tmp))}
    GOLDEN.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(record['outputs'])} outputs")
