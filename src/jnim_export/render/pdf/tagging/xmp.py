"""The XMP metadata packet PDF/UA-1 asks for: title, authors, subject, language, dates, ``pdfuaid:part``."""

from __future__ import annotations

import html


def xmp_packet(doc, *, lang: str, title: str, author: str, subject: str, keywords: str) -> str:
    """The packet for ReportLab document `doc`; empty fields fall back to its info dictionary."""
    info = doc.info
    title = title or info.title
    author = author or info.author
    subject = subject or info.subject
    keywords = keywords or info.keywords
    ts = doc._timeStamp
    y, mo, d, h, mi, s = ts.YMDhms
    tz = "Z" if not (ts.dhh or ts.dmm) else f"{ts.dhh:+03d}:{abs(ts.dmm):02d}"
    date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{tz}"
    e = html.escape
    lang = e(lang)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq>{''.join(f'<rdf:li>{e(a.strip())}</rdf:li>' for a in author.split(',') if a.strip())}</rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(keywords)}</pdf:Keywords>
   <pdf:Producer>{e(info.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
