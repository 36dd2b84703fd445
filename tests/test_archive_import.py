"""Import (vào sổ đến): arrival numbers, extracted text, refused duplicates."""
import datetime as dt

import pytest

import archivekit as k
from vanthu.archive.catalog import documents
from vanthu.archive.importing import import_document
from vanthu.errors import VanthuError

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def incoming_docx(tmp_path, name="den.docx", lines=("BỘ Y TẾ", "Về việc truy vết người nghi nhiễm")):
    path = tmp_path / name
    path.write_bytes(k.make_docx(lines))
    return path


def test_arrival_numbers_run_per_year_of_receipt(tmp_path):
    home = tmp_path / "home"
    numbers = [import_document(incoming_docx(tmp_path), f"{n}/BYT-KH", "2020-12-20", "Bộ Y tế", home,
                               received=received).arrival_number
               for n, received in ((1, dt.date(2020, 12, 30)), (2, dt.date(2020, 12, 31)), (3, dt.date(2021, 1, 1)))]
    assert numbers == [1, 2, 1]
    assert k.serials(home, series="đến", year=2020) == [1, 2]


def test_docx_text_is_extracted_and_the_file_stored_unchanged(tmp_path):
    home = tmp_path / "home"
    source = incoming_docx(tmp_path)
    done = import_document(source, "4199 /BYT-VPB1", "05/8/2020", "Bộ Y tế", home, type_name="Công văn",
                           subject="V/v BlueZone", received=dt.date(2020, 8, 6))
    assert (home / done.paths[0]).read_bytes() == source.read_bytes()
    assert done.paths == ["files/2020/den/0001-4199-BYT-VPB1/den.docx"]
    (doc,) = documents(home)
    assert (str(doc.number), doc.direction, doc.issuer_name, doc.arrival_number) == ("4199/BYT-VPB1", "in", "Bộ Y tế", 1)
    assert doc.body == "BỘ Y TẾ\nVề việc truy vết người nghi nhiễm"


@pytest.mark.sqlite_only
def test_pdf_text_is_extracted(tmp_path):
    home = tmp_path / "home"
    pdf = tmp_path / "den.pdf"
    pdf.write_bytes(k.text_pdf("Cong van so 15/BYT-KH ve truy vet"))
    done = import_document(pdf, "15/BYT-KH", "2021-01-04", "Bộ Y tế", home, received=dt.date(2021, 1, 5))
    (doc,) = documents(home)
    assert doc.body == "Cong van so 15/BYT-KH ve truy vet"
    import json, sqlite3
    meta = json.loads(sqlite3.connect(str(home / "vanthu.sqlite3")).execute("SELECT metadata FROM documents").fetchone()[0])
    assert (meta["ArrivalNumber"], meta["ArrivalDate"], meta["PageAmount"], meta["CodeNotation"]) == (1, "2021-01-05", 1, "BYT-KH")
    assert done.paths == ["files/2021/den/0001-15-BYT-KH/den.pdf"]


def test_a_blank_pdf_gives_empty_text(tmp_path):
    pdf = tmp_path / "den.pdf"
    pdf.write_bytes(k.minimal_pdf("trống"))
    import_document(pdf, "16/BYT-KH", "2021-01-04", "Bộ Y tế", tmp_path / "home", received=dt.date(2021, 1, 5))
    (doc,) = documents(tmp_path / "home")
    assert doc.body == ""


def test_the_same_number_symbol_and_issuer_twice_is_refused(tmp_path):
    home = tmp_path / "home"
    import_document(incoming_docx(tmp_path), "4199/BYT-VPB1", "05/8/2020", "Bộ Y tế", home, received=dt.date(2020, 8, 6))
    with pytest.raises(VanthuError, match=r"văn bản 4199/BYT-VPB1 của Bộ Y tế đã vào sổ đến: số đến 01 ngày 06/8/2020"):
        import_document(incoming_docx(tmp_path), "4199/byt-vpb1", "05/8/2020", "bộ y tế", home)
    assert k.serials(home, series="đến") == [1]
    other = import_document(incoming_docx(tmp_path), "4199/BYT-VPB1", "05/8/2020", "Bộ Công an", home,
                            received=dt.date(2020, 8, 7))
    assert other.arrival_number == 2


@pytest.mark.parametrize("name, content, message", [
    ("den.txt", b"x", "chỉ nhận tệp .docx, .pdf hoặc ảnh quét .png, .jpg, .tif"),
    ("den.docx", b"not a zip", "không đọc được nội dung tệp DOCX"),
    ("missing.pdf", None, "không tìm thấy tệp"),
])
def test_bad_files_are_refused_with_a_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(VanthuError, match=message):
        import_document(path, "1/BYT", "2021-01-04", "Bộ Y tế", tmp_path / "home")
    assert not (tmp_path / "home" / "files").exists() or k.stored_files(tmp_path / "home") == []
