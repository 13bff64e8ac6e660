"""NullTree: the structure tree's interface doing nothing, for the untagged render."""

from __future__ import annotations

import contextlib

from ..rl import Canvas


class NullTree:
    """StructureTree's interface doing nothing: the untagged build (and the timing baseline)."""

    enabled = False
    warnings: list[str] = []

    def element(self, tag, **attrs):
        return None

    def place(self, elem):
        return elem

    def is_placed(self, elem):
        return False

    def tag(self, tag, **attrs):
        return contextlib.nullcontext()

    def content(self):
        return contextlib.nullcontext()

    def artifact(self, type=None, subtype=None):
        return contextlib.nullcontext()

    def set_bbox(self, *args, **kw):
        pass

    @staticmethod
    def open_tag(tag, **attrs):
        return ""

    @staticmethod
    def open_tags(*tags):
        return ""

    @staticmethod
    def close_tag(count=1):
        return ""

    def canvasmaker(self, **extra):
        def make(*args, **kw):
            kw.update(extra)
            return Canvas(*args, **kw)

        return make
