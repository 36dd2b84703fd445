"""An old register kept in Excel, taken in row by row: checked first, every bad row named, numbering goes on after it."""
import datetime as dt

import openpyxl
import pytest

import archivekit as k
from conftest import run_cli
from vanthu.archive import numbering, register
from vanthu.archive.home import opened
from vanthu.archive.issuing import issue
from vanthu.archive.oldregister import import_register
from vanthu.errors import VanthuError
from vanthu.generator.render import Renderer

IN_HEADINGS = list(register.IN_COLUMNS)


def old_incoming(path, rows, title=("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "Năm: 2020")):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title:
        sheet.append([line])
    sheet.append(IN_HEADINGS)
    sheet.append([f"({n})" for n in range(1, 11)])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def incoming_rows(count=20, bad=()):
    rows = []
    for n in range(1, count + 1):
        row = [dt.datetime(2020, 1, 1) + dt.timedelta(days=n), n, "Bộ Y tế", f"{100 + n}/BYT-KCB",
               f"{n}/1/2020" if n <= 31 else "01/02/2020", f"Công văn V/v thử số {n}", "Phòng Nghiệp vụ", None, None, None]
        rows.append(bad.get(n, row) if isinstance(bad, dict) else row)
    return rows


def test_an_old_incoming_register_is_taken_in_and_numbering_goes_on(tmp_path):
    home = tmp_path / "home"
    sheet = old_incoming(tmp_path / "so-den-cu.xlsx", incoming_rows())
    result = run_cli("--home", home, "import-register", sheet, "--direction", "in")
    assert result.code == 0, result.err
    assert "Đã nhập 20 văn bản từ sổ cũ" in result.out
    book = register.build(home, 2020, "in")
    assert [r[1] for r in book.rows] == [f"{n:02d}" for n in range(1, 21)]
    assert book.rows[0][:6] == ("02/01/2020", "01", "Bộ Y tế", "101/BYT-KCB", "01/01/2020",
                                "Công văn V/v thử số 1")
    with opened(home) as archive:
        assert numbering.next_number(archive.conn, numbering.Series.arrival(2020)) == 21
    assert "101/BYT-KCB" in run_cli("--home", home, "search", "thu so 1").out
    assert run_cli("--home", home, "verify").code == 0


def test_bad_rows_are_each_named_and_nothing_is_taken_in(tmp_path):
    home = tmp_path / "home"
    rows = incoming_rows()
    rows[4][4] = "31/02/2020"          # sheet row 9
    rows[9][1] = "mười"                # sheet row 14
    rows[14][1] = 3                    # sheet row 19: số đến 03 twice
    sheet = old_incoming(tmp_path / "so.xlsx", rows)
    result = run_cli("--home", home, "import-register", sheet, "--direction", "in")
    assert result.code == 1
    named = [line for line in result.err_lines if line.startswith(f"{sheet}:")]
    assert [line.split(": ")[0] for line in named] == [f"{sheet}:9", f"{sheet}:14", f"{sheet}:19"]
    assert "ngày 31/02/2020 không tồn tại" in named[0] and "'mười' không phải số đến" in named[1]
    assert "số 03 đã có trong sổ văn bản đến năm 2020 (dòng 7 của bảng tính)" in named[2]
    assert "3 hàng lỗi; chưa nhập hàng nào" in result.err
    assert register.build(home, 2020, "in").rows == []  # nothing taken in
    partial = run_cli("--home", home, "import-register", sheet, "--direction", "in", "--partial")
    assert partial.code == 1 and "Đã nhập 17 văn bản từ sổ cũ" in partial.out


def test_the_exported_outgoing_register_round_trips(tmp_path):
    source = tmp_path / "nguon"
    issue([k.seed()], source, renderer=Renderer())
    out = register.save(tmp_path / "so-di.xlsx", source, 2020)
    home = tmp_path / "home"
    report = import_register(out, "out", home, issuer="Sở Y tế")
    assert len(report.imported) == 1
    row = register.build(home, 2020).rows[0]
    original = register.build(source, 2020).rows[0]
    assert row[:5] == original[:5]
    with opened(home) as archive:
        assert numbering.next_number(archive.conn, numbering.Series.outgoing(2020, "SYT")) == 4483
    again = run_cli("--home", home, "import-register", out, "--direction", "out", "--issuer", "Sở Y tế")
    assert again.code == 1 and "số 4482 đã có trong" in again.err


def test_a_sheet_without_the_decrees_headings_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Ngày", "Số"])
    book.active.append(["1/1/2020", 1])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(VanthuError, match="bảng tính thiếu cột"):
        import_register(tmp_path / "x.xlsx", "in", tmp_path / "home")
