"""What the file claims and what PDF/A-2a asks beyond the structure tree (`tagging`).

Written at save, after the structure: the XMP metadata (`xmp`), the print flag of every
annotation and, for PDF/A, an sRGB output intent (the page colours are DeviceRGB) and a
transparency group with that colour space on every page (figures and photos may blend).
The exact ToUnicode maps and streams both standards want are `rl.exact_output`'s; images
in CMYK are drawn as RGB (`jnim_export.images`).  The ICC profile ships in ``icc/`` (its NOTICE says
where it comes from).
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from . import rl
from .xmp import xmp_packet

ICC_PROFILE = Path(__file__).with_name("icc") / "sRGB.icc"
_PRINT = 4  # annotation flag: print the annotation when the page is printed


@lru_cache(maxsize=1)
def _icc() -> bytes:
    """The profile, deflated once per process (zlib's output for the same input does not vary)."""
    return zlib.compress(ICC_PROFILE.read_bytes())


def finish(canv, meta, *, ua: bool, pdfa: bool) -> None:
    """Give the file being saved on `canv` its metadata (document `meta`) and, if `pdfa`, PDF/A's parts.

    `ua`: the file is tagged and claims PDF/UA-1.
    """
    doc = rl.document(canv)
    packet = xmp_packet(doc.info, rl.time_stamp(doc), lang=meta.language, title=meta.title,
                        author=", ".join(meta.authors), subject=meta.subject, keywords=", ".join(meta.keywords),
                        ua=ua, pdfa=pdfa)
    metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                         content=packet.encode("utf-8"), filters=[])
    rl.set_key(doc.Catalog, "Metadata", metadata)
    for annotation in canv.annotations:
        rl.set_key(annotation, "F", _PRINT)
    if not pdfa:
        return
    profile = PDFStream(PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}), content=_icc())
    intent = PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
                            "Info": PDFString("sRGB IEC61966-2.1"),
                            "DestOutputProfile": doc.Reference(profile, "sRGB-output-profile")})
    rl.set_key(doc.Catalog, "OutputIntents", PDFArray([intent]))
    for page in rl.pages(doc):
        rl.set_key(page, "Group", PDFDictionary({"Type": PDFName("Group"), "S": PDFName("Transparency"),
                                                 "CS": PDFName("DeviceRGB")}))
