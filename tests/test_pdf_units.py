"""The PDF layer's pure parts, without LibreOffice: mail-merge rows, document info, field names, XMP."""
import datetime as dt
import io

import pytest
from pypdf import PdfWriter

from conftest import DATA
from vanthu.errors import VanthuError
from vanthu.generator import mailmerge, pdfmeta, signing
from vanthu.generator.pdfmeta import DocumentInfo
from vanthu.generator.pdfrender import info_of, load_records
from vanthu.generator.records import RecordReader

FORM = "type: dang-ky-tai-khoan-bluezone\nfields:\n  place: Đồng Nai\n  date: 2020-08-06\n"


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_csv_from_excel_with_bom_keeps_header_and_line_numbers(tmp_path):
    rows = mailmerge.read_rows(write(tmp_path / "a.csv", "\ufefforganization,phone\nCDC A, 0912 345 678\n,\n\nCDC B,\n",
                                     encoding="utf-8"))
    assert [(r.number, r.line, r.values) for r in rows] == [
        (1, 2, {"organization": "CDC A", "phone": "0912 345 678"}),
        (3, 5, {"organization": "CDC B", "phone": ""}),  # the empty row 2 is skipped, the blank line too
    ]


def test_csv_that_is_not_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("organization\nTrung tâm\n".encode("cp1258"))  # Excel's plain "CSV"
    with pytest.raises(VanthuError, match="CSV UTF-8"):
        mailmerge.read_rows(path)


def test_csv_row_with_more_cells_than_header_is_refused(tmp_path):
    with pytest.raises(VanthuError) as error:
        mailmerge.read_rows(write(tmp_path / "a.csv", "organization\nA\nB,C\n"))
    assert str(error.value).startswith(f"{tmp_path / 'a.csv'}:3: nhiều ô hơn dòng tiêu đề")


def test_yaml_rows_know_the_line_of_each_cell(tmp_path):
    rows = mailmerge.read_rows(write(tmp_path / "a.yaml", "- organization: A\n  phone: '0912 345 678'\n- organization: B\n"))
    assert rows[0].lines == {"organization": 1, "phone": 2} and rows[1].line == 3


def test_unknown_column_fails_the_whole_merge(tmp_path):
    form = write(tmp_path / "mau.yaml", FORM)
    with pytest.raises(VanthuError, match="cột sđtt không phải trường của mẫu dang-ky-tai-khoan-bluezone"):
        mailmerge.merge(form, write(tmp_path / "a.csv", "organization,sđtt\nA,1\n"), RecordReader())


def test_bad_cells_are_blamed_on_row_and_column(tmp_path):
    form = write(tmp_path / "mau.yaml", FORM)
    data = write(tmp_path / "a.yaml", "- organization: A\n  phone: '0912 345 678'\n"
                                      "- organization: B\n  phone: '12'\n  email: x\n")
    records, problems = load_records([str(form)], RecordReader(), str(data))
    assert [r.get("organization") for r in records] == ["A"]
    assert [str(p).split(": '")[0] for p in problems] == [f"{data}:4: hàng 2, cột phone", f"{data}:5: hàng 2, cột email"]


def test_form_problems_stay_on_the_form(tmp_path):
    form = write(tmp_path / "mau.yaml", FORM.replace("2020-08-06", "2020-02-30"))
    records, problems = load_records([str(form)], RecordReader(), str(write(tmp_path / "a.csv", "organization\nA\n")))
    assert records == [] and [str(p).split(": ngày")[0] for p in problems] == [f"{form}:4: fields.date"]


def test_a_broken_file_is_listed_and_the_others_still_load(tmp_path):
    broken = write(tmp_path / "hong.yaml", "type: [\n")
    records, problems = load_records([str(broken), str(DATA / "4482-SYT-VP.yaml")], RecordReader())
    assert len(records) == 1 and str(problems[0]).startswith(f"{broken}:")


def test_info_of_a_dispatch_and_of_a_form():
    reader = RecordReader()
    (dispatch,) = reader.load(DATA / "4482-SYT-VP.yaml")
    info = info_of(dispatch)
    assert (info.title, info.author, info.subject, info.field) == (
        "Công văn V/v triển khai cài đặt và sử dụng ứng dụng BlueZone", "SỞ Y TẾ", "4482/SYT-VP", "4482-SYT-VP")
    assert (info.signer, info.signer_title, info.date) == ("Phan Huy Anh Vũ", "GIÁM ĐỐC", dt.date(2020, 8, 6))
    (form,) = reader.load(DATA / "dang-ky-tai-khoan-bluezone.yaml")
    info = info_of(form)
    assert info.signer == "Trần Văn Đức" and info.author == "Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai"
    assert info.bookmark == "Bảng đăng ký tài khoản hệ thống quản lý dữ liệu BlueZone: Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai"


@pytest.mark.parametrize("number, name", [("4482/SYT-VP", "4482-SYT-VP"), ("12/QĐ-UBND", "12-QD-UBND"),
                                          ("05/TTr-PGD&ĐT", "05-TTr-PGD-DT"), ("", "chu-ky"),
                                          ("1.2/A B", "1-2-A-B")])
def test_field_names_are_safe(number, name):
    assert signing.field_name(number) == name


def test_merged_info_names_the_documents():
    a = DocumentInfo("Công văn V/v A", "SỞ Y TẾ", "1/SYT-VP", ("Công văn",), dt.date(2020, 8, 6))
    b = DocumentInfo("Công văn V/v B", "SỞ Y TẾ", "2/SYT-VP", ("Công văn",), dt.date(2020, 8, 7))
    merged = DocumentInfo.combine([a, b])
    assert (merged.title, merged.author, merged.subject, merged.date) == (
        "Tập 2 văn bản: Công văn V/v A; Công văn V/v B", "SỞ Y TẾ", "1/SYT-VP; 2/SYT-VP", dt.date(2020, 8, 7))
    assert DocumentInfo.combine([a, a]).title == "Công văn V/v A (2 bản)"


def test_xmp_escapes_and_matches_the_info_dictionary():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    info = DocumentInfo("Công văn V/v <thử> & kiểm tra", "SỞ Y TẾ", "4482/SYT-VP", date=dt.date(2020, 8, 6))
    pdfmeta.apply(writer, info, pdfa=True)
    out = io.BytesIO()
    writer.write(out)
    from pypdf import PdfReader
    reader = PdfReader(out)
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": info.title} and xmp.dc_creator == ["SỞ Y TẾ"]
    assert reader.metadata.title == info.title and reader.metadata.creation_date.date() == dt.date(2020, 8, 6)
    assert xmp.pdf_producer == reader.metadata.producer


def test_without_a_signer_on_the_pages_the_field_goes_bottom_right_of_the_last_page():
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595.3, 841.9)
    page, box = signing.signer_place(writer.pages, "Trần Văn Đức", "THỦ TRƯỞNG ĐƠN VỊ")
    assert page == 1 and box.right < 595.3 - 50 and 50 < box.bottom < 100 and box.right - box.left == 200
