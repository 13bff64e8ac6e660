"""Every use of python-pptx's private internals, in one place: an upgrade that moves one breaks here.

pyproject.toml bounds python-pptx above for them. What each is for:

* `package_members`: the members `Presentation.save` would write, unzipped (its
  `PackageWriter._write_*`), so the archive is compressed once with fixed dates;
* `add_hyperlink`: a hyperlink on a run written as XML, related to the slide (`_Run`, `_Paragraph`);
* `escape_ctrl_chars`: control characters in a run's text, as python-pptx escapes them;
* `set_blob`: a part's bytes replaced (the theme restyled, the app properties written);
* `slide_id_list`: the presentation's list of slides, to drop a template's own.
"""

from __future__ import annotations

from pptx.oxml.text import CT_RegularTextRun
from pptx.text.text import _Paragraph, _Run

escape_ctrl_chars = CT_RegularTextRun._escape_ctrl_chars


def add_hyperlink(r, p, tf, address: str) -> None:
    """Link run element `r` (in paragraph element `p` of text frame `tf`) to `address`."""
    _Run(r, _Paragraph(p, tf)).hyperlink.address = address


def set_blob(part, blob: bytes) -> None:
    part._blob = blob


def slide_id_list(prs):
    return prs.slides._sldIdLst


def package_members(prs) -> list[tuple[str, bytes]] | None:
    """(member name, bytes) of the package as `Presentation.save` would write it, in its order;
    None if this python-pptx cannot be asked."""
    try:
        from pptx.opc.serialized import PackageWriter

        package = prs.part.package
        members: list[tuple[str, bytes]] = []

        class _Collect:
            def write(self, pack_uri, blob: bytes) -> None:
                members.append((pack_uri.membername, blob))

        # the sink stands for the zip writer: it only needs `write`
        writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))  # type: ignore[arg-type]
        sink = _Collect()
        writer._write_content_types_stream(sink)  # type: ignore[arg-type]
        writer._write_pkg_rels(sink)  # type: ignore[arg-type]
        writer._write_parts(sink)  # type: ignore[arg-type]
        return members
    except (ImportError, AttributeError, TypeError):
        return None
