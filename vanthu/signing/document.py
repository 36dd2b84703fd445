"""The PDF a leader signs (bản PDF trình ký): the draft without its number and date, fields ready.

The number's blank is wider than on a paper draft (:data:`~.placement.SIGN_BLANK`):
the number the register gives at issue is written into it as form filling.
"""
from dataclasses import fields

from ..errors import VanthuError
from ..generator.records import Record
from . import placement


class SigningDraft(Record):
    """A record rendered for signing: no number yet (a wide blank), no date yet."""

    @property
    def number(self):
        return placement.BlankNumber(None, self.symbol)

    @property
    def date(self):
        return None


def for_signing(record):
    values = {k: v for k, v in record.values.items() if k not in ("number", "date")}
    parts = {f.name: getattr(record, f.name) for f in fields(record)}
    return SigningDraft(**{**parts, "values": values})


def draft_pdf(record, renderer=None):
    """The record's PDF as the leader will sign it (before :func:`.sign.prepare`).

    An appendix in a file of its own (``separate: true``, model 2.2) is not in it: see :func:`appendix_pdfs`.
    """
    from ..generator.pdf import docx_to_pdf
    from ..generator.pdfrender import info_of
    from ..generator.render import Renderer
    draft = for_signing(record)
    docx = (renderer or Renderer()).render(draft, split=True)
    return docx_to_pdf(docx, info_of(draft))


def appendix_pdfs(record, renderer=None):
    """Each appendix in a file of its own as a PDF, ``[(its place in the list, bytes)]``, to be signed by the
    organisation (II.8.b). Its ``(Kèm theo ...)`` line keeps the blanks: on an electronic document the number
    and date are not written there (Phụ lục I mục III.1.c), the signature's information line says them."""
    from ..generator.pdf import convert_all
    from ..generator.render import Renderer
    files = (renderer or Renderer()).render_appendix_files(for_signing(record))
    pdfs = convert_all([docx for _, docx in files])
    if any(pdf is None for pdf in pdfs):
        raise VanthuError("LibreOffice không tạo được PDF của phụ lục tệp riêng; chưa cấp số, hãy thử lại")
    return [(number, pdf) for (number, _), pdf in zip(files, pdfs)]


def sizes(image, seal):
    """The signature image's and the seal's sizes on the page (points); the seal at real size."""
    image_size = placement.image_size_points(image)
    seal_size = placement.image_size_points(seal, placement.SEAL_MM) if seal else _default_seal()
    return image_size, seal_size


def _default_seal():
    side = placement.SEAL_MM / 25.4 * 72
    return side, side
