"""An incoming document through the whole flow on the CLI: received, assigned with a deadline, overdue, done."""
import datetime as dt

import docx
import openpyxl
import pytest

from conftest import run_cli
from vanthu.archive import handling
from vanthu.errors import VanthuError

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

@pytest.fixture
def home(tmp_path, day):
    letter = docx.Document()
    letter.add_paragraph("Đề nghị các đơn vị triển khai quy trình truy vết người nghi nhiễm.")
    letter.save(tmp_path / "den.docx")
    home = tmp_path / "home"
    for n, (number, received, via) in enumerate([("4199/BYT-VPB1", f"{day(-10)} 08:30", "buu-dien"),
                                                 ("12/UBND-VX", day(-1), "lien-thong")], 1):
        result = run_cli("--home", home, "import", tmp_path / "den.docx", "--number", number, "--date", day(-12),
                         "--issuer", "Bộ Y tế" if n == 1 else "UBND tỉnh Đồng Nai", "--type", "Công văn",
                         "--subject", "triển khai BlueZone", "--received", received, "--via", via)
        assert result.code == 0 and f"Đã vào sổ đến số {n:02d}" in result.out, result.err
    return home


def cli(home, *args):
    return run_cli("--home", home, "incoming", *args)


def test_the_whole_flow_on_the_cli(home, today, day):
    from vanthu.archive import people
    people.add("hung", "mat-khau-du-dai-12", ["chuyen-vien"], home, full_name="Nguyễn Văn Hùng")
    year = (today - dt.timedelta(10)).year  # the year of the first one's số đến
    assigned = cli(home, "assign", "1", "--year", year, "--handler", "hung", "--co-handler", "Phòng Tài chính",
                   "--deadline", day(-2), "--instructions", "Phòng Nghiệp vụ chủ trì, báo cáo kết quả",
                   "--leader", "Phan Huy Anh Vũ")
    assert assigned.code == 0, assigned.err
    assert "Đã giao: văn bản đến số 01" in assigned.out and "Nguyễn Văn Hùng" in assigned.out
    second = 2 if year == (today - dt.timedelta(1)).year else 1  # across New Year the second has số đến 01
    assert cli(home, "assign", str(second), "--year", (today - dt.timedelta(1)).year, "--handler", "Phòng Nghiệp vụ Y",
               "--deadline", day(2)).code == 0

    overdue = cli(home, "list", "--overdue")
    assert overdue.code == 0 and "QUÁ HẠN" in overdue.out and "1 văn bản." in overdue.out
    late, = handling.listing(home, overdue=True)
    assert late.progress(today) == "Đã giao, chưa nhận; QUÁ HẠN 2 ngày" and late.handler_name == "Nguyễn Văn Hùng"
    assert "4199/BYT-VPB1" in overdue.out and "12/UBND-VX" not in overdue.out
    soon = cli(home, "list", "--due-soon")
    assert "12/UBND-VX" in soon.out and "4199/BYT-VPB1" not in soon.out

    assert "Đã nhận" in cli(home, "start", "1", "--year", year).out
    done = cli(home, "done", "1", "--year", year, "--result", "Đã trả lời bằng Công văn 4500/SYT-NV",
               "--reply", "4500/SYT-NV")
    assert done.code == 0 and "đã giải quyết" in done.out
    assert "Không có văn bản đến nào" in cli(home, "list", "--overdue").out
    shown = run_cli("--home", home, "show", "4199/BYT-VPB1").out
    assert "Giải quyết: Nguyễn Văn Hùng (chủ trì); phối hợp: Phòng Tài chính" in shown
    assert "Đã giải quyết" in shown and "Văn bản trả lời: 4500/SYT-NV" in shown
    assert "Đã giải quyết" in cli(home, "list", "--all", "--handler", "hung").out
    assert run_cli("--home", home, "verify").code == 0


def test_the_incoming_register_fills_all_ten_columns(home, tmp_path, today, day):
    year = (today - dt.timedelta(10)).year
    cli(home, "assign", "1", "--year", year, "--handler", "Phòng Nghiệp vụ Y", "--co-handler", "Phòng Tài chính",
        "--deadline", day(5))
    cli(home, "start", "1", "--year", year)
    out = tmp_path / "so-den.xlsx"
    assert run_cli("--home", home, "register", "--year", year, "--direction", "in", "-o", out).code == 0
    rows = [r for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    first = rows[[r[0] for r in rows].index("Ngày đến") + 1]
    assert all(cell not in (None, "") for cell in first), first
    assert first[1] == "01" and first[6] == "Phòng Nghiệp vụ Y (chủ trì); phối hợp: Phòng Tài chính"
    assert first[7].date() == today and first[8].startswith("Phòng Nghiệp vụ Y đã nhận ")
    assert first[9].startswith("Nhận qua bưu điện lúc 08:30; Hạn giải quyết: ")


def test_mistakes_are_refused_with_the_reason(home, today, day):
    year = (today - dt.timedelta(10)).year
    for args, message in [(["assign", "9", "--year", year, "--handler", "Phòng A"], "không có văn bản đến số 09"),
                          (["assign", "1", "--year", year, "--handler", "hugn"], "không có người dùng 'hugn'"),
                          (["assign", "1", "--year", year, "--handler", "Phòng A", "--deadline", day(-11)],
                           "trước ngày đến"),
                          (["assign", "1", "--year", year, "--handler", "Phòng A", "--deadline", "31/02/2020"],
                           "không tồn tại"),
                          (["done", "1", "--year", year, "--result", "x"], "chưa được giao cho ai")]:
        result = cli(home, *args)
        assert result.code == 1 and message in result.err, (args, result.err)
    cli(home, "assign", "1", "--year", year, "--handler", "Phòng A")
    cli(home, "done", "1", "--year", year, "--result", "Xong")
    assert "đã giải quyết xong" in cli(home, "assign", "1", "--year", year, "--handler", "Phòng B").err
    assert "không làm bước này được" in cli(home, "start", "1", "--year", year).err


def test_received_time_and_way_are_checked(tmp_path):
    from vanthu.archive.receipt import check_way, parse_received
    assert parse_received("07/8/2020 8:05") == (dt.date(2020, 8, 7), "08:05")
    assert parse_received("2020-08-07") == (dt.date(2020, 8, 7), "")
    assert check_way("Bưu điện") == "buu-dien" and check_way("") == ""
    with pytest.raises(VanthuError, match="giờ 25:00 không tồn tại"):
        parse_received("07/8/2020 25:00")
    with pytest.raises(VanthuError, match="không phải cách nhận"):
        check_way("bồ câu")


def test_overdue_and_due_soon_are_computed_from_the_deadline():
    item = handling.Handling(1, 1, 2020, "", "a", "A", (), dt.date(2020, 8, 20), "", "", "", "", handling.ASSIGNED,
                             "", "", "")
    assert item.overdue(dt.date(2020, 8, 21)) and not item.overdue(dt.date(2020, 8, 20))
    assert item.due_soon(dt.date(2020, 8, 17)) and not item.due_soon(dt.date(2020, 8, 16))
