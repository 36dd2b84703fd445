"""Copies of an electronically signed document, and electronic copies signed by the copying body (ô 14, mẫu 3.2)."""
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from test_copies import PT_PER_MM, _settings, _state
from test_signing_flow import PIN, Office, validate

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The signing flow's office with 4482/SYT-VP issued: signed by the leader and by the organisation (seal)."""
    office = Office(tmp_path_factory.mktemp("sao-ky-so"))
    office.issued_pdf()
    _settings(office.home)
    return office


def _paths(result):
    return [Path(line.strip()) for line in result.out.splitlines() if line.strip().endswith((".pdf", ".docx"))]


def _red_pixels(pdf, folder):
    from PIL import Image
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / "p")],
                   check=True)
    image = Image.open(folder / "p.png").convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 90 and b < 90)


def test_a_signed_original_is_copied_with_its_seal_drawn_and_the_electronic_copy_signed_by_the_body(office, tmp_path):
    result = office.cli("copy", "4482/SYT-VP", "--kind", "sao-y", "--sign", "--pin-stdin", "--as", "lan", stdin=PIN)
    assert result.code == 0, result.err
    docx, paper, electronic = _paths(result)
    assert paper.name == "01-SY-SYT.pdf" and electronic.name == "01-SY-SYT-dien-tu.pdf"

    from pyhanko.pdf_utils.reader import PdfFileReader
    with open(paper, "rb") as f:
        assert PdfFileReader(f).embedded_signatures == []  # no signature that would fail on the copy
    assert all("/Annots" not in page for page in PdfReader(str(paper)).pages)
    original = next(Path(p) for p in Path(office.home, "files/2020/di/4482-SYT-VP").glob("*.pdf"))
    assert _red_pixels(paper, tmp_path) > 0.8 * _red_pixels(original, tmp_path) > 50  # the seal is still on the page
    printed = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(paper), "-"], capture_output=True, text=True).stdout
    assert "Số: 4482/SYT-VP" in printed and "ngày 06 tháng 8 năm 2020" in " ".join(printed.split())  # filled fields

    (signature, status), = validate(electronic.read_bytes(), office.trust())
    assert status.intact and status.valid and status.trusted
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(electronic), "-"], capture_output=True,
                           text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(SAO Y;[^<]*)</word>', words)
    (x0, y0, x1, y1, line), = found
    assert re.fullmatch(r"SAO Y; Sở Y tế tỉnh Đồng Nai; \d\d/\d\d/20\d\d; \d\d:\d\d:\d\d \+07:00", line)
    assert abs(float(x1) - (210 - 15) * PT_PER_MM) < 2 and float(y1) < 20 * PT_PER_MM  # top right, in the margin
    assert office.cli("signatures", electronic).code == 0

    db = sqlite3.connect(office.home / "vanthu.sqlite3")
    assert db.execute("SELECT user FROM events WHERE action = 'copy'").fetchone() == ("lan",)


def test_a_wrong_pin_is_refused_before_the_copy_takes_a_number(office):
    before = _state(office.home)
    result = office.cli("copy", "4482/SYT-VP", "--kind", "trich-sao", "--pages", "1", "--sign", "--pin-stdin",
                        stdin="sai-mat-khau")
    assert result.code == 1 and result.err.startswith("Lỗi: ") and "Traceback" not in result.err
    assert _state(office.home) == before
