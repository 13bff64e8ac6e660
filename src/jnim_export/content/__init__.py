"""Load `content.yaml` into the immutable document model; the only package that knows YAML."""

from .diagnostics import ContentError, Diagnostic

__all__ = ["Content", "ContentError", "Diagnostic", "load", "read"]


def __getattr__(name: str):
    # the reader (pydantic, markdown-it, the schema) is imported when first used: a build that
    # finds nothing changed, or a command that only reports errors, never pays for it
    if name in ("Content", "load", "read"):
        from . import resolve

        return getattr(resolve, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
