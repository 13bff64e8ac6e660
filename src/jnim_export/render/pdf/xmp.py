"""The XMP metadata packet: title, authors, subject, language, dates, and what the file claims to be.

PDF/UA-1 wants ``pdfuaid:part``; PDF/A-2 wants ``pdfaid:part`` and ``conformance`` and, for
every property outside its predefined schemas (``pdfuaid`` is one), a description of its
schema in the packet itself (the ``pdfaExtension`` block).
"""

from __future__ import annotations

import html

# PDF/A-2 (ISO 19005-2, 6.6.2.3): the schema of pdfuaid:part, described in the packet
_PDFUA_SCHEMA = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"""


def xmp_packet(info, stamp, *, lang: str, title: str, author: str, subject: str, keywords: str,
               ua: bool, pdfa: bool) -> str:
    """The packet for a document with info dictionary `info` and time stamp `stamp`.

    Empty fields fall back to the info dictionary's.  `ua`: it claims PDF/UA-1 (it is tagged);
    `pdfa`: it claims PDF/A-2, level A if tagged, else B (the untagged benchmark render).
    """
    title = title or info.title
    author = author or info.author
    subject = subject or info.subject
    keywords = keywords or info.keywords
    y, mo, d, h, mi, s = stamp.YMDhms
    tz = "Z" if not (stamp.dhh or stamp.dmm) else f"{stamp.dhh:+03d}:{abs(stamp.dmm):02d}"
    date = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{tz}"
    e = html.escape
    creators = "".join(f"<rdf:li>{e(a.strip())}</rdf:li>" for a in author.split(",") if a.strip())
    ids, claims = [], []
    if ua:
        ids.append('\n    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"')
        claims.append("\n   <pdfuaid:part>1</pdfuaid:part>")
    if pdfa:
        ids.append('\n    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"')
        level = "A" if ua else "B"
        claims.append(f"\n   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>{level}</pdfaid:conformance>")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"{''.join(ids)}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(keywords)}</pdf:Keywords>
   <pdf:Producer>{e(info.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>{''.join(claims)}
  </rdf:Description>
{_PDFUA_SCHEMA if ua and pdfa else ''} </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
