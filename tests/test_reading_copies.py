"""Reading copies (bản xem PDF) of documents kept only as DOCX: converted once per DOCX checksum, then cached.

The cache is HOME/cache/ban-xem: not the archive's files (verify says the
same before and after, a backup leaves it out), private like the home, remade
when damaged, and emptied of a recalled document's copy with its files.
"""
import io
import stat

import docx
import pytest
from pypdf import PdfReader

from conftest import run_cli
from vanthu.archive import lookup, readingcopy
from vanthu.archive.home import Home
from vanthu.generator import preview

LETTERS = {"4199/BYT-VPB1": "Đề nghị triển khai quy trình truy vết người nghi nhiễm.",
           "12/UBND-VX": "Kế hoạch tiêm chủng vắc xin sởi rubella năm 2021."}


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    for number, words in LETTERS.items():
        letter = docx.Document()
        letter.add_paragraph(words)
        letter.save(tmp_path / "den.docx")
        done = run_cli("--home", home, "import", tmp_path / "den.docx", "--number", number, "--date", "01/3/2021",
                       "--issuer", "Bộ Y tế", "--received", "02/3/2021")
        assert done.code == 0, done.err
    return home


@pytest.fixture
def conversions(monkeypatch):
    """The DOCX files LibreOffice converted for reading (really converted: the count is wrapped around it)."""
    made, convert = [], preview.reading_pdf
    monkeypatch.setattr(preview, "reading_pdf", lambda data: made.append(data) or convert(data))
    return made


@pytest.mark.pdf
def test_a_docx_is_converted_once_and_a_different_or_damaged_one_again(home, tmp_path, conversions):
    first, second = (lookup.entry_by_id(i, home) for i in (1, 2))
    data, converted = lookup.readable_pdf(first, home)
    assert converted and "truy vết người nghi nhiễm" in pdf_text(data)
    assert lookup.readable_pdf(first, home) == (data, True) and len(conversions) == 1  # the second click: no LibreOffice

    (copy,) = readingcopy.folder(Home(home)).iterdir()
    digest = next(f.sha256 for f in first.files if f.role == "docx")
    assert copy.name.startswith(f"{digest}-") and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700 == stat.S_IMODE(copy.parent.parent.stat().st_mode)
    assert run_cli("--home", home, "verify").out.startswith("Kho toàn vẹn: 2 tệp khớp")  # a cache: not counted

    other, _ = lookup.readable_pdf(second, home)  # another DOCX (another checksum): its own copy
    assert len(conversions) == 2 and "rubella" in pdf_text(other) and "truy vết" not in pdf_text(other)
    copy.write_bytes(data[: len(data) // 2])  # damaged on disk (a crash, a full disk): made again, not handed out
    remade, _ = lookup.readable_pdf(first, home)
    assert len(conversions) == 3 and "truy vết người nghi nhiễm" in pdf_text(remade)
    assert len(list(readingcopy.folder(Home(home)).iterdir())) == 2

    assert run_cli("--home", home, "backup", tmp_path / "sao-luu").code == 0
    assert not (tmp_path / "sao-luu" / "cache").exists()  # rebuilt on the next click, not backed up

    recalled = run_cli("--home", home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", "Công văn số 1/BYT-VP")
    assert recalled.code == 0, recalled.err
    left = [p.name.split("-")[0] for p in readingcopy.folder(Home(home)).iterdir()]
    assert left == [next(f.sha256 for f in second.files if f.role == "docx")]  # its content went with its files
    assert run_cli("--home", home, "verify").code == 0


def test_a_loose_mode_in_the_cache_is_reported_by_verify(home):
    folder = readingcopy.folder(Home(home))
    folder.mkdir(parents=True)
    (folder / "x.pdf").write_bytes(b"%PDF")
    (folder / "x.pdf").chmod(0o644)
    checked = run_cli("--home", home, "verify")
    assert checked.code == 1 and "cache/ban-xem/x.pdf: quyền 0644" in checked.out + checked.err
