"""PDF metadata (thông tin tệp PDF): the document info dictionary and its XMP twin.

PDF/A wants the two to agree, so both are written from one
:class:`DocumentInfo`. The PDF/A-2b identification (``pdfaid:part=2``,
``conformance=B``) is declared in the XMP when asked for.
"""
import datetime as _dt
from dataclasses import dataclass
from typing import Optional
from xml.sax.saxutils import escape

from pypdf.generic import NameObject

from .. import __version__

VIETNAM = _dt.timezone(_dt.timedelta(hours=7), "ICT")  # documents are dated in Vietnamese time
PRODUCER = f"vanthu {__version__} (LibreOffice, pypdf)"
SHOWN_TITLES = 3  # a merged file's title names its first few documents


@dataclass(frozen=True)
class DocumentInfo:
    """What the PDF says about one document (thông tin văn bản).

    ``title``: tên loại + trích yếu; ``author``: cơ quan ban hành; ``subject``:
    số, ký hiệu; ``date``: ngày ban hành; ``signer``: họ tên người ký, looked
    up on the page to place the signature field; ``field``: the field's name.
    """

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple = ()
    date: Optional[_dt.date] = None
    signer: str = ""
    signer_title: str = ""
    field: str = ""

    @property
    def bookmark(self):
        """The outline entry (dấu trang): type and subject, then the number."""
        return f"{self.title} – số {self.subject}" if self.subject else self.title

    @classmethod
    def combine(cls, infos):
        """The file-level info of a merged PDF (tập văn bản)."""
        infos = list(infos)
        if len(infos) == 1:
            return infos[0]
        dates = [i.date for i in infos if i.date]
        return cls(title=_merged_title(infos), author=_joined(i.author for i in infos),
                   subject=_joined(i.subject for i in infos),
                   keywords=tuple(dict.fromkeys(k for i in infos for k in i.keywords)),
                   date=max(dates) if dates else None)


def _joined(values, limit=SHOWN_TITLES):
    unique = [v for v in dict.fromkeys(values) if v]
    return "; ".join(unique[:limit]) + ("; …" if len(unique) > limit else "")


def _merged_title(infos):
    titles = list(dict.fromkeys(i.title for i in infos))
    if len(titles) == 1:
        return f"{titles[0]} ({len(infos)} bản)"
    return f"Tập {len(infos)} văn bản: {_joined(titles)}"


def pdf_date(day):
    """``D:20200806000000+07'00'``: the start of the document's date in Vietnam."""
    return "D:" + day.strftime("%Y%m%d") + "000000+07'00'"


def xmp_date(day):
    return _dt.datetime.combine(day, _dt.time(), VIETNAM).isoformat()


def apply(writer, info, pdfa=False):
    """Write the info dictionary and a matching XMP packet into ``writer``."""
    entries = {"/Title": info.title, "/Author": info.author, "/Subject": info.subject,
               "/Keywords": ", ".join(info.keywords), "/Creator": "vanthu", "/Producer": PRODUCER}
    if info.date:
        entries["/CreationDate"] = pdf_date(info.date)
    writer.add_metadata({k: v for k, v in entries.items() if v})
    writer.xmp_metadata = xmp_packet(info, pdfa)
    stream = writer.root_object["/Metadata"].get_object()
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})


def xmp_packet(info, pdfa=False):
    """The XMP metadata packet, UTF-8, consistent with :func:`apply`'s info dictionary."""
    parts = [_description("pdf", "http://ns.adobe.com/pdf/1.3/",
                          _simple("pdf:Producer", PRODUCER) + _simple("pdf:Keywords", ", ".join(info.keywords))),
             _description("xmp", "http://ns.adobe.com/xap/1.0/",
                          _simple("xmp:CreatorTool", "vanthu")
                          + (_simple("xmp:CreateDate", xmp_date(info.date)) if info.date else "")),
             _description("dc", "http://purl.org/dc/elements/1.1/",
                          _simple("dc:format", "application/pdf")
                          + _alt("dc:title", info.title) + _alt("dc:description", info.subject)
                          + (f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>"
                             if info.author else ""))]
    if pdfa:
        parts.insert(0, _description("pdfaid", "http://www.aiim.org/pdfa/ns/id/",
                                     "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"))
    body = "".join(parts)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'{body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def _description(prefix, uri, content):
    return f'<rdf:Description rdf:about="" xmlns:{prefix}="{uri}">{content}</rdf:Description>'


def _simple(name, value):
    return f"<{name}>{escape(value)}</{name}>" if value else ""


def _alt(name, value):
    if not value:
        return ""
    return f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{name}>'
