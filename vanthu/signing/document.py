"""The PDF a leader signs (bản PDF trình ký): the draft without its number and date, fields ready.

The number's blank is wider than on a paper draft (:data:`~.placement.SIGN_BLANK`):
the number the register gives at issue is written into it as form filling.
"""
from dataclasses import fields

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
    """The record's PDF as the leader will sign it (before :func:`.sign.prepare`)."""
    from ..generator.pdf import docx_to_pdf
    from ..generator.pdfrender import info_of
    from ..generator.render import Renderer
    draft = for_signing(record)
    docx = (renderer or Renderer()).render(draft)
    return docx_to_pdf(docx, info_of(draft))


def sizes(image, seal):
    """The signature image's and the seal's sizes on the page (points); the seal at real size."""
    image_size = placement.image_size_points(image)
    seal_size = placement.image_size_points(seal, placement.SEAL_MM) if seal else _default_seal()
    return image_size, seal_size


def _default_seal():
    side = placement.SEAL_MM / 25.4 * 72
    return side, side
