"""Mail merge from Excel: Vietnamese headers, Excel's numbers and dates, all or nothing."""
import datetime as dt

import openpyxl
import pytest

from conftest import run_cli
from pdfkit import pages_of_outline, reader_of, text_of_pages
from readback import fold
from vanthu.errors import VanthuError
from vanthu.generator import mailmerge
from vanthu.generator.records import RecordReader

FORM = "type: dang-ky-tai-khoan-bluezone\nfields:\n  place: Đồng Nai\n  head_name: Trần Văn Đức\n"
HEADERS = ["STT", "Tên CDC/Trung tâm Y tế dự phòng tỉnh, thành phố", "Họ tên người quản lý tài khoản", "Chức vụ",
           "Số điện thoại", "Email", "Ngày ký", "Ghi chú"]
BAD = {7: (4, "0123"), 19: (5, "khong-phai-email"), 26: (6, "31/02/2020")}  # row -> (column index, value)


def clerk_rows(bad=()):
    """30 rows as a clerk's Excel has them: phones typed as numbers (the 0 lost), real date cells."""
    rows = []
    for n in range(1, 31):
        row = [n, f"CDC tỉnh số {n}", f"Nguyễn Văn Hùng {n}", "Trưởng khoa", 912345600 + n, f"cdc{n}@soyte.gov.vn",
               dt.datetime(2020, 8, 6), "đã gọi điện" if n % 4 == 0 else None]
        if n in bad:
            column, value = BAD[n]
            row[column] = value
        rows.append(row)
    return rows


def write_xlsx(path, rows, headers=HEADERS, title_rows=()):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title_rows:
        sheet.append([line])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "mau.yaml"
    path.write_text(FORM, encoding="utf-8")
    return path


def test_vietnamese_headers_numbers_and_dates_become_fields(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows(), title_rows=["DANH SÁCH ĐĂNG KÝ", ""])
    notes = []
    records = mailmerge.merge(form, data, RecordReader(), notes)
    assert len(records) == 30 and not [r for r in records if isinstance(r, VanthuError)]
    first = records[0]
    assert first.get("organization") == "CDC tỉnh số 1" and first.get("phone") == "0912345601"
    assert first.get("date") == dt.date(2020, 8, 6) and first.get("email") == "cdc1@soyte.gov.vn"
    assert notes == [f"{data}: bỏ qua cột STT, Ghi chú (không phải trường của mẫu)",
                     "cột Số điện thoại: đã thêm số 0 đầu cho 30 số điện thoại bị Excel bỏ mất (hàng 1–30)"]


def test_headers_without_diacritics_keys_and_abbreviations_are_accepted(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", [["CDC A", "A", "0912 345 678", "06/8/2020"]],
                      headers=["organization", "ho ten nguoi quan ly tai khoan", "SĐT", "ngay ky:"])
    record, = mailmerge.merge(form, data, RecordReader())
    assert (record.get("manager_name"), record.get("phone"), record.get("date")) == ("A", "0912 345 678", dt.date(2020, 8, 6))


def test_unknown_header_is_refused_with_the_labels(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", [["CDC A", "x"]], headers=["organization", "Số nhà"])
    with pytest.raises(VanthuError, match=r"cột Số nhà không phải trường của mẫu .*Số điện thoại \(phone\)"):
        mailmerge.merge(form, data, RecordReader())


def test_a_bad_cell_names_the_sheet_row_and_the_clerks_header(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows(bad=(7,)))
    results = mailmerge.merge(form, data, RecordReader())
    error, = [r for r in results if isinstance(r, VanthuError)]
    assert str(error).startswith(f"{data}:8: hàng 7, cột Số điện thoại: '0123' không phải số di động")


def test_a_phone_that_cannot_have_lost_a_zero_is_reported(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", [["CDC A", 12345]], headers=["organization", "Số điện thoại"])
    error, = mailmerge.merge(form, data, RecordReader())
    assert "'12345' không phải số di động Việt Nam" in str(error)


def test_a_damaged_spreadsheet_is_a_clear_error(tmp_path, form):
    data = tmp_path / "ds.xlsx"
    data.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(VanthuError, match="không đọc được bảng tính"):
        mailmerge.merge(form, data, RecordReader())


@pytest.mark.pdf
def test_thirty_rows_make_thirty_forms_in_one_pdf(tmp_path, form, private_tmp):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows())
    result = run_cli("render", form, "--data", data, "-o", tmp_path / "tap.pdf")
    assert result.code == 0, result.err
    reader = reader_of(tmp_path / "tap.pdf")
    ranges = pages_of_outline(reader)
    assert len(ranges) == 30
    for n, (title, start, end) in enumerate(ranges, 1):
        text = fold(text_of_pages(reader, start, end))
        assert title.endswith(f": CDC tỉnh số {n}")
        assert fold(f"Nguyễn Văn Hùng {n}") in text and f"09123456{n:02d}" in text.replace(" ", "")
    assert "Ghi chú: cột Số điện thoại: đã thêm số 0 đầu cho 30 số điện thoại" in result.err


@pytest.mark.pdf
def test_three_bad_rows_write_nothing_and_are_each_named(tmp_path, form, private_tmp):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows(bad=BAD))
    result = run_cli("render", form, "--data", data, "-o", tmp_path / "tap.pdf")
    assert result.code == 1 and not (tmp_path / "tap.pdf").exists()
    named = [line for line in result.err_lines if line.startswith(f"{data}:")]
    assert [line.split(": ")[0:2] for line in named] == [
        [f"{data}:8", "hàng 7, cột Số điện thoại"], [f"{data}:20", "hàng 19, cột Email"], [f"{data}:27", "hàng 26, cột Ngày ký"]]
    assert "3 lỗi; không ghi tệp nào (thêm --partial để vẫn ghi các hàng đúng):" in result.err


@pytest.mark.pdf
def test_partial_and_each_write_one_pdf_per_good_row(tmp_path, form, private_tmp):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows(bad=BAD)[:8])
    result = run_cli("render", form, "--data", data, "--partial", "--each", "-o", tmp_path / "moi-hang")
    assert result.code == 1
    files = sorted(p.name for p in (tmp_path / "moi-hang").iterdir())
    assert len(files) == 7 and files[0].startswith("001-CDC_tỉnh_số_1")
    last = reader_of(tmp_path / "moi-hang" / files[-1])
    assert fold("Nguyễn Văn Hùng 8") in fold(text_of_pages(last, 0, len(last.pages)))


def test_docx_per_row_into_a_folder(tmp_path, form):
    data = write_xlsx(tmp_path / "ds.xlsx", clerk_rows()[:3])
    result = run_cli("render", form, "--data", data, "-o", tmp_path / "docx")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "docx").iterdir()) == ["mau-001.docx", "mau-002.docx", "mau-003.docx"]


def write_ods(path, rows, headers=HEADERS):
    """A minimal OpenDocument spreadsheet (as LibreOffice Calc saves one): numbers, dates and text typed."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value):
        if isinstance(value, dt.datetime):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.date().isoformat()}"/>'
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        if value is None:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in [headers, *rows])
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Danh sách">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def test_an_ods_is_read_like_the_xlsx(tmp_path, form):
    data = write_ods(tmp_path / "ds.ods", clerk_rows())
    records = mailmerge.merge(form, data, RecordReader())
    assert [r.get("phone") for r in records] == [f"09123456{n:02d}" for n in range(1, 31)]
    assert records[29].get("date") == dt.date(2020, 8, 6) and records[29].get("manager_name") == "Nguyễn Văn Hùng 30"
