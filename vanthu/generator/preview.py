"""A draft's files and page images (xem trước): DOCX, PDF and PNG pages of one checked record.

The web app shows the pages beside the form; ``pdftoppm`` (poppler) draws them.
"""
import contextlib
import os
import subprocess
import tempfile
import threading

from ..errors import VanthuError

PREVIEW_DPI = 60       # a page 500 px wide: readable beside the form, light to send
PAGE_TIMEOUT = 60


def draft_docx(record):
    """The draft's DOCX bytes (no number yet unless the record has one)."""
    from .render import Renderer
    return Renderer().render(record)


def draft_pdf(record, docx=None):
    """The draft's PDF bytes, with metadata and its signature field, as ``vanthu render -o x.pdf`` makes it."""
    from . import pdf
    from .pdfrender import info_of
    (data,) = _convert(docx or draft_docx(record))
    if data is None:
        raise VanthuError("LibreOffice không chuyển được dự thảo sang PDF")
    return pdf.assemble([(data, info_of(record))])


class _Spare:
    """A LibreOffice started ahead for the next preview (LibreOffice chạy sẵn).

    A headless LibreOffice ends with the job it was handed, so each preview
    uses the spare up and starts the next one at once, in the background:
    the clerk never waits for LibreOffice to start, only for the conversion.
    """

    def __init__(self):
        self.office, self.lock, self.running = None, threading.Lock(), False

    def _start(self):
        """Start the spare from a helper thread: its signal handling must not be tied to the main thread's."""
        from .soffice import Office
        office = Office(warm=True)
        starter = threading.Thread(target=office.__enter__, name="vanthu-spare-office")
        starter.start()
        starter.join()
        self.office = office

    def convert(self, docx):
        from . import pdf
        with self.lock:
            office, self.office = self.office, None
            try:
                return pdf.convert_all([docx], office=office, workers=1) if office else pdf.convert_all([docx])
            finally:
                if office is not None:
                    office.__exit__(None, None, None)
                if self.running:
                    self._start()

    @contextlib.contextmanager
    def kept(self):
        with self.lock:
            self.running = True
            self._start()
        try:
            yield self
        finally:
            with self.lock:
                self.running = False
                if self.office is not None:
                    self.office.__exit__(None, None, None)
                    self.office = None


_SPARE = _Spare()


def _convert(docx):
    return _SPARE.convert(docx)


def reading_pdf(docx):
    """A DOCX (a received document kept only as DOCX) as PDF bytes to read in the browser (bản xem), not stored."""
    (data,) = _convert(docx)
    if data is None:
        raise VanthuError("LibreOffice không chuyển được tệp DOCX này sang PDF; hãy tải tệp DOCX gốc")
    return data


def warm_office():
    """While inside (``vanthu serve``), a LibreOffice is always started ahead for the next preview.

    Leaving (or Ctrl-C, SIGTERM in the main thread) kills it.
    """
    return _SPARE.kept()


def page_count(pdf_bytes):
    import io
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def page_image(pdf_bytes, number, dpi=PREVIEW_DPI):
    """Page ``number`` (from 1) of a PDF as PNG bytes: the first page shows while the others are drawn."""
    with tempfile.TemporaryDirectory(prefix="vanthu-preview-") as folder:
        source = os.path.join(folder, "draft.pdf")
        with open(source, "wb") as f:
            f.write(pdf_bytes)
        target = os.path.join(folder, "page")
        _pdftoppm(["-f", str(number), "-l", str(number), "-singlefile", "-r", str(dpi), source, target])
        with open(target + ".png", "rb") as f:
            return f.read()


def _pdftoppm(arguments):
    try:
        subprocess.run(["pdftoppm", "-png", *arguments], check=True, capture_output=True, timeout=PAGE_TIMEOUT)
    except FileNotFoundError:
        raise VanthuError("thiếu pdftoppm (gói poppler-utils) để vẽ trang xem trước") from None
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise VanthuError(f"không vẽ được trang xem trước ({error.__class__.__name__})") from None
