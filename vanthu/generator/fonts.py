"""Which serif face the PDF is set in (phông chữ của bản PDF).

The decree names Times New Roman, and every DOCX names it. LibreOffice uses it
when it is installed; otherwise it substitutes Liberation Serif, which has the
same metrics (same line breaks, same pages) but is not the decree's face. The
render summary says which one the PDF got, so nobody is surprised later.
"""
import shutil
import subprocess
from functools import lru_cache

DECREE_FONT = "Times New Roman"
FALLBACK_FONT = "Liberation Serif"


@lru_cache(maxsize=1)
def pdf_serif():
    """The face LibreOffice will print Times New Roman text in on this machine."""
    return DECREE_FONT if _installed(DECREE_FONT) else FALLBACK_FONT


def _installed(family):
    if not shutil.which("fc-list"):
        return False
    done = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True, timeout=30)
    return any(family in line.split(",") for line in done.stdout.splitlines())


def summary():
    """The render summary's font line, in Vietnamese."""
    if pdf_serif() == DECREE_FONT:
        return f"Phông chữ: {DECREE_FONT}."
    return (f"Phông chữ: {FALLBACK_FONT} (máy này không có {DECREE_FONT}; cùng số đo, cùng ngắt dòng và trang; "
            f"tệp DOCX vẫn ghi {DECREE_FONT}).")
