"""TaggedCanvas: a ReportLab canvas that reports its text objects and annotations to a StructureTree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import rl
from .markers import MARKER

if TYPE_CHECKING:
    from .tree import StructureTree


class TaggedCanvas(rl.Canvas):
    """A Canvas that reports text objects and annotations to its StructureTree; it writes the tree at save."""

    def __init__(self, *args, tree: StructureTree, **kw):
        super().__init__(*args, **kw)
        self._tag_tree = tree
        self._tag_target: tuple[str, Any] | None = None
        tree.canv = self
        self.setNamedCB(MARKER, self._tag_marker)

    def _tag_marker(self, canv, kind, label):
        self._tag_tree._marker(label or "")

    def beginText(self, x=0, y=0, direction=None):
        tx = super().beginText(x, y, direction=direction)
        self._tag_tree._tx_begin(tx)
        return tx

    def drawText(self, aTextObject):
        self._tag_tree._tx_end(aTextObject)
        super().drawText(aTextObject)

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        self._tag_target = ("uri", url)
        try:
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        finally:
            self._tag_target = None

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        self._tag_target = ("dest", destinationname)
        try:
            return super().linkRect(contents, destinationname, Rect, addtopage, name, relative,
                                    thickness, color, dashArray, **kw)
        finally:
            self._tag_target = None

    def annotation_added(self, annotation, ref) -> None:
        self._tag_tree._annotation(annotation, ref, self._tag_target)

    def before_save(self) -> None:
        self._tag_tree.finish(self)
        super().before_save()
