"""The printout's mark (đánh dấu văn bản in ra từ Hệ thống; Phụ lục VI III.6.k).

A stored PDF is never changed: printing a document hands out a copy whose
every page carries, in the bottom margin, who printed it from the system and
when. The line is added as an incremental update (pyHanko), in the
signatures' Times New Roman with Vietnamese letters, so the copy's earlier
revision, and any signature on it, stays byte for byte what was archived.
"""
import io

MARGIN_PT = 12  # from the page's bottom edge: below the decree's 2 cm margin, above the printer's dead zone
LEFT_PT = 56    # about the 2 cm left margin
SIZE = 8


def marked(pdf, line):
    """``pdf`` bytes with ``line`` stamped at the bottom of every page."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle
    from ..signing.stamps import text_style
    writer = IncrementalPdfFileWriter(io.BytesIO(_with_contents(pdf)), strict=False)
    style = TextStampStyle(border_width=0, stamp_text="%(mark)s", text_box_style=text_style(SIZE))
    for page in range(int(writer.root["/Pages"]["/Count"])):
        TextStamp(writer, style, text_params={"mark": line}).apply(page, LEFT_PT, MARGIN_PT)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_contents(pdf):
    """A page without a content stream (a blank page) gets an empty one, so the mark has somewhere to go."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject
    reader = PdfReader(io.BytesIO(pdf))
    if all("/Contents" in page for page in reader.pages):
        return pdf  # the usual case: the archived bytes stay the copy's first revision
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        if "/Contents" not in page:
            page[NameObject("/Contents")] = writer._add_object(DecodedStreamObject())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
