"""Batches and mail merge through ``vanthu render ... -o OUT.pdf``: good records in, bad ones listed."""
import csv
import re

import pytest

from conftest import run_cli
from pdfkit import pages_of_outline, reader_of, text_of_pages
from readback import fold

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

BAD_RECORDS = {  # index in the batch -> (wrong line, key, what the clerk sees)
    7: ("    phone: \"0123\"", "fields.phone", "không phải số di động Việt Nam"),
    23: ("    date: 2020-02-30", "fields.date", "không tồn tại"),
    41: ("    e_mail: x@y.vn", "fields.e_mail", "khóa không có trong mẫu"),
}


def form_record(i):
    return [
        "- type: dang-ky-tai-khoan-bluezone",
        "  fields:",
        f"    organization: Trung tâm Kiểm soát bệnh tật số {i}",
        "    manager_name: Nguyễn Thị Minh Hạnh",
        "    phone: \"0912 345 678\"",
        "    place: Đồng Nai",
        "    date: 2020-08-06",
        f"    head_name: Trần Văn Đức {i}",
    ]


def dispatch_record(i):
    return [
        "- type: cong-van",
        "  issuer: {name: SỞ Y TẾ, code: SYT}",
        "  unit: VP",
        f"  number: {4400 + i}",
        "  place: Đồng Nai",
        "  date: 2020-08-06",
        f"  subject: công văn thử số {i}",
        "  to: [Các đơn vị trực thuộc]",
        f"  body: Nội dung công văn thử số {i}, có dấu tiếng Việt đầy đủ.",
        "  signer: {title: GIÁM ĐỐC, name: Phan Huy Anh Vũ}",
        "  cc: [Như trên, \"Lưu: VT\"]",
    ]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, private_tmp):
    """50 records in one YAML list, 3 of them bad, rendered to one PDF by the CLI."""
    folder = tmp_path_factory.mktemp("batch")
    lines, where = [], {}
    for i in range(50):
        record = dispatch_record(i) if i % 10 == 5 else form_record(i)
        if i in BAD_RECORDS:
            wrong = BAD_RECORDS[i][0]
            same = [n for n, line in enumerate(record) if line.split(":")[0] == wrong.split(":")[0]]
            at = same[0] if same else len(record)
            record[at:at + 1] = [wrong]
            where[i] = len(lines) + at + 1  # 1-based line of the wrong value
        lines += record
    source = folder / "lo.yaml"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("render", source, "-o", folder / "lo.pdf")
    return result, folder, where


def test_batch_makes_one_pdf_of_the_good_records(batch):
    result, folder, _ = batch
    reader = reader_of(folder / "lo.pdf")
    ranges = pages_of_outline(reader)
    assert len(ranges) == 47
    good = [i for i in range(50) if i not in BAD_RECORDS]
    for i, (title, start, end) in zip(good, ranges):
        text = fold(text_of_pages(reader, start, end))
        if i % 10 == 5:
            assert title.endswith(f"số {4400 + i}/SYT-VP") and fold(f"Nội dung công văn thử số {i},") in text
        else:
            assert title.endswith(f"số {i}") and fold(f"Trần Văn Đức {i}") in text
    assert len(reader.trailer["/Root"]["/AcroForm"]["/Fields"]) == 47
    assert f"Đã ghi {folder / 'lo.pdf'}: 47 văn bản." in result.err


def test_batch_lists_each_bad_record_with_file_and_line_and_exits_1(batch):
    result, folder, where = batch
    assert result.code == 1
    errors = [line for line in result.err_lines if line.startswith(str(folder / "lo.yaml"))]
    assert len(errors) == 3
    for line, (i, (_, key, message)) in zip(errors, sorted(BAD_RECORDS.items())):
        assert line.startswith(f"{folder / 'lo.yaml'}:{where[i]}: {key}: ") and message in line


HEADER = ["organization", "manager_name", "position", "phone", "email"]
BAD_ROWS = {17: ("phone", "0123 456"), 64: ("email", "khong-phai-email")}


@pytest.fixture(scope="module")
def merge(tmp_path_factory, private_tmp):
    """The BlueZone form filled from a 100-row CSV saved by Excel (UTF-8 with BOM), 2 rows bad: refused, then --partial."""
    folder = tmp_path_factory.mktemp("merge")
    form = folder / "mau.yaml"
    form.write_text("type: dang-ky-tai-khoan-bluezone\nfields:\n  place: Đồng Nai\n  date: 2020-08-06\n"
                    "  head_name: Trần Văn Đức\n", encoding="utf-8")
    rows = folder / "cdc.csv"
    with open(rows, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for n in range(1, 101):
            row = [f"CDC tỉnh số {n}", f"Nguyễn Văn Hùng {n}", "Trưởng khoa", "0912 345 678", f"cdc{n}@soyte.gov.vn"]
            if n in BAD_ROWS:
                column, value = BAD_ROWS[n]
                row[HEADER.index(column)] = value
            out.writerow(row)
    withheld = run_cli("render", form, "--data", rows, "-o", folder / "khong-ghi.pdf")
    result = run_cli("render", form, "--data", rows, "--partial", "-o", folder / "cdc.pdf")
    return result, folder, withheld


def test_mail_merge_with_bad_rows_writes_nothing_without_partial(merge):
    _, folder, withheld = merge
    assert withheld.code == 1 and not (folder / "khong-ghi.pdf").exists()
    assert "2 lỗi; không ghi tệp nào (thêm --partial để vẫn ghi các hàng đúng):" in withheld.err
    assert len([line for line in withheld.err_lines if line.startswith(str(folder / "cdc.csv"))]) == 2


def test_mail_merge_fills_the_form_once_per_good_row(merge):
    result, folder, _ = merge
    reader = reader_of(folder / "cdc.pdf")
    ranges = pages_of_outline(reader)
    good = [n for n in range(1, 101) if n not in BAD_ROWS]
    assert len(ranges) == 98
    for n, (title, start, end) in zip(good, ranges):
        assert title.endswith(f": CDC tỉnh số {n}")
        assert fold(f"Nguyễn Văn Hùng {n}") in fold(text_of_pages(reader, start, end))
    assert f"Đã ghi {folder / 'cdc.pdf'}: 98 văn bản." in result.err


def test_mail_merge_names_row_and_column_of_each_bad_row(merge):
    result, folder, _ = merge
    assert result.code == 1
    errors = [line for line in result.err_lines if line.startswith(str(folder / "cdc.csv"))]
    assert len(errors) == 2
    assert re.match(rf"{re.escape(str(folder / 'cdc.csv'))}:18: hàng 17, cột phone: .*0123 456", errors[0])
    assert re.match(rf"{re.escape(str(folder / 'cdc.csv'))}:65: hàng 64, cột email: ", errors[1])


def test_when_every_record_is_bad_no_pdf_is_written(tmp_path):
    source = tmp_path / "hong.yaml"
    source.write_text("\n".join(form_record(1) + ['    phone: "12"']).replace('    phone: "0912 345 678"\n', ""),
                      encoding="utf-8")
    result = run_cli("render", source, "-o", tmp_path / "x.pdf")
    assert result.code == 1 and not (tmp_path / "x.pdf").exists()
    assert [line for line in result.err_lines if line.startswith(str(source))] == [
        f"{source}:8: fields.phone: '12' không phải số di động Việt Nam (10 chữ số, bắt đầu 03, 05, 07, 08 hoặc 09)"]
    assert "Đã ghi" not in result.err
