"""OCR (nhận dạng chữ): the text of a scanned incoming document, by OCRmyPDF and Tesseract's Vietnamese model.

Paper mail is still scanned or photographed. A page of a PDF that already
has text is left alone (``--skip-text``, as paperless-ngx does); a page
without text, and an image (PNG, JPEG, TIFF), is read by Tesseract (``vie``).
The original file is never changed: the caller stores it byte for byte and
stores beside it the recognised text and, unless the PDF is signed, a copy
with a searchable text layer. A signed PDF is never rewritten: only its
text is kept (rewriting it would break the signature a court may need).

OCRmyPDF runs as the Debian command (its Python module belongs to the
system's Python, not necessarily ours), under a pseudo-terminal so that its
page counter can be shown to the clerk.
"""
import io
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VanthuError

LANGUAGE = "vie"
IMAGE_KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}
MIN_PAGE_TEXT = 20  # fewer characters than this: a scan with a stamp or page number, not a text page
IMAGE_DPI = "300"   # assumed for a photo that does not say its resolution
SECONDS_PER_PAGE = 120
INSTALL_HINT = "cài bằng: apt-get install tesseract-ocr tesseract-ocr-vie ocrmypdf"
_PROGRESS = re.compile(rb"OCR:\s+\d+%\S*\s+([\d.]+)/([\d.]+)")


@dataclass
class Reading:
    """What was read from a received file (nội dung đọc được): its text, and files to keep beside it."""

    text: str
    pages: int = 0
    recognized: int = 0  # pages read by OCR
    signed: bool = False
    extras: list = field(default_factory=list)  # [(role, suffix, bytes)]: the OCR text, the searchable copy


def is_image(kind):
    return kind in IMAGE_KINDS.values()


def page_texts(data):
    """The text layer of each page of a PDF (văn bản từng trang)."""
    from pypdf import PdfReader
    return [(page.extract_text() or "").strip() for page in PdfReader(io.BytesIO(data)).pages]


def is_signed(data):
    """Whether the PDF carries a filled signature field (đã ký số)."""
    from pypdf import PdfReader
    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    return any(f.get("/FT") == "/Sig" and f.get("/V") is not None for f in fields.values())


def read(data, kind, name="tệp", *, progress=None, enabled=True, warn=None):
    """The text of a received PDF or image, OCR where a page has none; see :class:`Reading`."""
    if kind == "pdf":
        return _read_pdf(data, name, progress, enabled, warn)
    return _recognize(data, kind, name, 1, progress, enabled, warn, signed=False)


def _read_pdf(data, name, progress, enabled, warn):
    texts = page_texts(data)
    missing = [i for i, text in enumerate(texts) if len(text) < MIN_PAGE_TEXT]
    if not missing:
        return Reading("\n".join(texts).strip(), len(texts))
    reading = _recognize(data, "pdf", name, len(missing), progress, enabled, warn, signed=is_signed(data))
    if reading.recognized:
        recognized = reading.text.split("\f")
        texts = [recognized[i].strip() if i in missing and i < len(recognized) else t for i, t in enumerate(texts)]
    reading.text, reading.pages = "\n".join(t for t in texts if t).strip(), len(texts)
    return reading


def _recognize(data, kind, name, pages, progress, enabled, warn, signed):
    if not enabled:
        if warn:
            warn(f"{name}: {pages} trang không có lớp chữ và không được nhận dạng (--no-ocr): không tìm được theo nội dung")
        return Reading("", pages, signed=signed)
    check_installed()
    text, searchable = run_ocrmypdf(data, kind, pages, progress, signed)
    reading = Reading(text, pages, recognized=pages, signed=signed, extras=[("ocr-txt", "ocr.txt", text.encode("utf-8"))])
    if not signed:
        reading.extras.append(("ocr-pdf", "ocr.pdf", searchable))
    return reading


def check_installed():
    """A clear message, not a traceback, where OCRmyPDF, Tesseract or its Vietnamese model is missing."""
    missing = [tool for tool in ("ocrmypdf", "tesseract") if not shutil.which(tool)]
    if missing:
        raise VanthuError(f"tệp là bản quét (ảnh, không có lớp chữ) nhưng máy chưa cài {', '.join(missing)} để nhận "
                          f"dạng chữ (OCR); {INSTALL_HINT}; hoặc thêm --no-ocr để vào sổ mà không có nội dung tìm kiếm")
    if LANGUAGE not in _languages():
        raise VanthuError(f"Tesseract chưa có mô hình tiếng Việt ({LANGUAGE}); {INSTALL_HINT}")


def _languages():
    result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    return set((result.stdout + result.stderr).split())


def run_ocrmypdf(data, kind, pages, progress=None, signed=False):
    """(text with pages separated by form feeds, searchable PDF bytes) of ``data``."""
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as scratch:
        source, out, side = Path(scratch, f"in.{kind}"), Path(scratch, "out.pdf"), Path(scratch, "out.txt")
        source.write_bytes(_pages_only(data) if signed else data)  # OCRmyPDF refuses signed files; only the text is kept
        command = ["ocrmypdf", "-l", LANGUAGE, "--skip-text", "--output-type", "pdf", "--sidecar", str(side)]
        code, log = _run(command + [str(source), str(out)], pages, progress)
        if code != 0 and b"--image-dpi" in log:  # a photo without a resolution: assume a 300 dpi scan
            code, log = _run(command + ["--image-dpi", IMAGE_DPI, str(source), str(out)], pages, progress)
        if code != 0:
            raise VanthuError(f"không nhận dạng được chữ (OCR) của tệp: {_last_message(log)}")
        return side.read_text(encoding="utf-8"), out.read_bytes()


def _pages_only(data):
    """A scratch copy of a signed PDF's pages without its form and annotations, for OCR only (thrown away after)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        added = writer.add_page(page)
        added.pop("/Annots", None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _run(command, pages, progress):
    """Run under a pseudo-terminal, so OCRmyPDF shows its page counter; (exit code, its output)."""
    import pty
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, start_new_session=True,
                               env={**os.environ, "COLUMNS": "120"})
    os.close(slave)
    try:
        log = _follow(master, process, pages, progress, time.monotonic() + 60 + SECONDS_PER_PAGE * pages)
    finally:
        os.close(master)
        _reap(process)
    return process.returncode, log


def _follow(master, process, pages, progress, deadline):
    log = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        chunk = _read_some(master) if ready else b""
        if ready and not chunk:
            return log
        log = (log + chunk)[-65536:]
        _tell(progress, chunk, pages)
    raise VanthuError(f"nhận dạng chữ (OCR) quá {SECONDS_PER_PAGE} giây mỗi trang; đã dừng")


def _read_some(fd):
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the program ended and closed its terminal
        return b""


def _tell(progress, chunk, pages):
    found = _PROGRESS.findall(chunk)
    if progress and found:
        done, total = found[-1]
        progress(int(float(done)), int(float(total)) or pages)


def _reap(process):
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _last_message(log):
    lines = [line.strip() for line in re.split(rb"[\r\n]+", log) if line.strip() and b"Opened a file" not in line]
    return lines[-1].decode("utf-8", "replace") if lines else "OCRmyPDF dừng không rõ lý do"
