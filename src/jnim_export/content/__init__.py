"""Load `content.yaml` into the immutable document model; the only package that knows YAML."""

from .diagnostics import ContentError, Diagnostic
from .resolve import Content, load, read

__all__ = ["Content", "ContentError", "Diagnostic", "load", "read"]
