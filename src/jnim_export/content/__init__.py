"""Load `content.yaml` into the immutable document model; the only package that knows YAML."""

from .resolve import load
from .diagnostics import ContentError, Diagnostic

__all__ = ["load", "ContentError", "Diagnostic"]
