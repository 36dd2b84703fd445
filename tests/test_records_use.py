"""Issue 16 item 4: use of records (Phụ lục VI III.6): who viewed, downloaded or printed each document and
when, access statistics, saved searches, result columns, results exported to DOCX/PDF, and every printout
marked with who printed it and when (read back from the DOCX and the PDF).
"""
import json
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import docx
import pytest

import archivekit as k
import trustkit as t
from conftest import run_cli
from vanthu.archive.importing import import_document
from vanthu.web import create_app
from webkit import login, make_people

MARK = re.compile(r"In từ hệ thống vanthu bởi (.+?) lúc (\d\d/\d\d/\d{4} \d\d:\d\d)")


def issued(home, count=2):
    for n in range(count):
        k.issue_past([k.record(date="2021-03-01", subject=f"văn bản {n} phòng chống dịch")], home,
                     renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)


def log(home, action):
    conn = sqlite3.connect(str(Path(home) / "vanthu.sqlite3"))
    try:
        return [(r[0], json.loads(r[1])) for r in conn.execute("SELECT user, detail FROM events WHERE action = ?"
                                                              " ORDER BY id", (action,))]
    finally:
        conn.close()


def pdf_text(data, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_access_history_names_the_views_and_downloads_of_two_people(tmp_path):
    home = tmp_path / "home"
    issued(home)
    assert t.vanthu(home, "show", "01/SYT-VP", "--as", "lan").code == 0
    assert t.vanthu(home, "show", "01/SYT-VP", "-o", tmp_path / "ban-sao.docx", env={"VANTHU_USER": "hung"}).code == 0
    assert t.vanthu(home, "show", "01/SYT-VP", "--as", "hung").code == 0
    shown = t.vanthu(home, "show", "01/SYT-VP", "--history", "--as", "lan")
    assert shown.code == 0, shown.err
    history = shown.out.split("Lịch sử (xem, tải, in, thao tác):\n")[1].splitlines()
    people_and_acts = [re.sub(r"^\s*\d\d/\d\d/\d{4} \d\d:\d\d\s+", "", line) for line in history]
    assert people_and_acts[1:] == ["lan  xem", "hung  tải về (ban-sao.docx)", "hung  xem", "lan  xem"]
    assert people_and_acts[0].endswith("ban hành")
    assert [who for who, _ in log(home, "view")] == ["lan", "hung", "lan"]
    assert log(home, "download")[0][1]["number"] == "01/SYT-VP"
    other = t.vanthu(home, "show", "02/SYT-VP", "--history")
    assert "lan" not in other.out and "hung" not in other.out  # each document its own history

    by_person = t.vanthu(home, "stats", "--by", "person")
    assert by_person.code == 0
    assert "Kho có 2 văn bản: 2 văn bản đi, 0 văn bản đến." in by_person.out
    assert re.search(r"hung\txem 1, tải về 1, in 0\ttổng 2", by_person.out)
    assert re.search(r"lan\txem 2, tải về 0, in 0\ttổng 2", by_person.out)
    by_document = t.vanthu(home, "stats")
    assert re.search(r"01/SYT-VP \(2021\)\txem 3, tải về 1, in 0\ttổng 4", by_document.out), by_document.out
    month = time.strftime("%Y-%m", time.gmtime())
    assert f"{month}\txem 4, tải về 1, in 0\ttổng 5" in t.vanthu(home, "stats", "--by", "month").out
    assert "Kho toàn vẹn" in t.vanthu(home, "verify").out  # uses are log entries like any other: the chain holds


def test_a_view_never_reseals_a_row_edited_behind_vanthus_back(tmp_path):
    home = tmp_path / "home"
    issued(home, 1)
    t.sqlite(home, "UPDATE documents SET subject = 'sửa lén' WHERE id = 1")
    assert t.vanthu(home, "show", "01/SYT-VP").code == 0
    checked = t.vanthu(home, "verify")
    assert checked.code == 1 and "nội dung trong sổ khác với nhật ký" in checked.err


def test_a_view_while_an_issue_holds_the_lock_is_kept_and_taken_into_the_log_later(tmp_path):
    home = tmp_path / "home"
    issued(home, 1)
    holder = sqlite3.connect(str(home / "vanthu.sqlite3"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as an issue rendering its PDF holds it
    try:
        started = time.monotonic()
        shown = t.vanthu(home, "show", "01/SYT-VP", "--history", "--as", "lan")
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert shown.code == 0, shown.err
    assert took < 20
    assert shown.out.rstrip().endswith("lan  xem")  # the spooled view is in the history already
    assert len(list((home / "access-spool").glob("*.json"))) == 1 and log(home, "view") == []
    assert t.vanthu(home, "show", "01/SYT-VP", "--as", "hung").code == 0
    assert [d["by"] for _, d in log(home, "view")] == ["lan", "hung"]  # the next use takes it into the log, in order
    assert log(home, "view")[0][0] == "hung"  # written by hung's process, for lan
    assert list((home / "access-spool").glob("*.json")) == []
    assert t.vanthu(home, "verify").code == 0


def test_search_results_in_chosen_columns_saved_searches_and_a_marked_docx_export(tmp_path):
    home = tmp_path / "home"
    issued(home, 3)
    shown = t.vanthu(home, "search", "phong chong dich", "--columns", "so,ngay,trichyeu", "--save", "dịch bệnh",
                     "--as", "lan")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Số, ký hiệu\tNgày\tTrích yếu nội dung"
    assert sorted(lines[1:]) == [f"0{n + 1}/SYT-VP\t01/3/2021\tvăn bản {n} phòng chống dịch" for n in range(3)]
    assert "Đã lưu tìm kiếm «dịch bệnh»" in shown.err
    listed = t.vanthu(home, "search", "--list-saved", "--as", "lan")
    assert listed.out.startswith("dịch bệnh\tphong chong dich\tkhông lọc\tcột: number,date,subject")
    assert "chưa lưu" in t.vanthu(home, "search", "--list-saved", "--as", "hung").out  # each person their own
    refused = t.vanthu(home, "search", "--saved", "dịch bệnh", "--as", "hung")
    assert refused.code == 1 and "không có tìm kiếm lưu tên «dịch bệnh»" in refused.err
    assert "cột không có: ngay-ky" in t.vanthu(home, "search", "x", "--columns", "so,ngay-ky").err

    out = tmp_path / "ket-qua.docx"
    done = t.vanthu(home, "search", "--saved", "dịch bệnh", "-o", out, "--as", "lan")
    assert done.code == 0, done.err
    document = docx.Document(out)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["STT", "Số, ký hiệu", "Ngày", "Trích yếu nội dung"]
    assert sorted(r[1] for r in rows[1:]) == ["01/SYT-VP", "02/SYT-VP", "03/SYT-VP"]
    footer = document.sections[0].footer.paragraphs[-1].text
    assert MARK.fullmatch(footer) and MARK.fullmatch(footer).group(1) == "lan"
    audit = subprocess.run(["openxml-audit", "-f", "office2016", str(out)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout
    assert log(home, "print")[-1][0] == "lan" and "kết quả tìm kiếm" in log(home, "print")[-1][1]["what"]
    assert "nằm trong thư mục kho" in t.vanthu(home, "search", "x", "-o", home / "kq.docx").err


def test_the_printed_register_docx_carries_its_mark_and_passes_the_audit(tmp_path):
    home = tmp_path / "home"
    issued(home, 1)
    out = tmp_path / "so.docx"
    assert t.vanthu(home, "register", "--year", "2021", "-o", out, "--as", "lan").code == 0
    footer = [p.text for p in docx.Document(out).sections[0].footer.paragraphs]
    assert footer[0].startswith("Nhật ký kho:") and MARK.fullmatch(footer[1]).group(1) == "lan"
    audit = subprocess.run(["openxml-audit", "-f", "office2016", str(out)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout
    assert log(home, "print")[0] == ("lan", {"at": log(home, "print")[0][1]["at"], "by": "lan",
                                              "what": "sổ đi năm 2021 ra so.docx"})
    assert "Nhật ký kho" in t.vanthu(home, "register", "--year", "2021").out  # the screen is no printout
    assert len(log(home, "print")) == 1


@pytest.mark.pdf
def test_register_and_results_pdfs_carry_the_mark_on_every_page(tmp_path):
    home = tmp_path / "home"
    issued(home, 2)
    for args, name in ((("register", "--year", "2021"), "so.pdf"), (("search", "phong chong dich"), "kq.pdf")):
        done = t.vanthu(home, *args, "-o", tmp_path / name, "--as", "hung")
        assert done.code == 0, done.err
        text = subprocess.run(["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert pages and all(MARK.search(p) and MARK.search(p).group(1) == "hung" for p in pages), text


@pytest.fixture
def site(tmp_path):
    home = tmp_path / "kho"
    make_people(home)
    issued(home, 1)
    scan = tmp_path / "den.pdf"
    scan.write_bytes(k.text_pdf("Cong van den ve phong chong dich"))
    incoming = import_document(scan, "15/BYT-KH", "2021-03-01", "Bộ Y tế", home, received="2021-03-02")
    return {"home": home, "app": create_app(home), "out": 1, "in": incoming.id}


def client(site, name):
    c = site["app"].test_client()
    assert login(c, name).status_code == 302
    return c


def test_the_document_page_shows_views_and_downloads_by_two_people(site):
    clerk, leader = client(site, "clerk"), client(site, "leader")
    assert clerk.get(f"/van-ban/{site['out']}").status_code == 200
    assert leader.get(f"/van-ban/{site['out']}/tep/docx?tai=1").status_code == 200
    assert leader.get(f"/van-ban/{site['out']}").status_code == 200
    page = clerk.get(f"/van-ban/{site['out']}").get_data(as_text=True)
    rows = re.findall(r'<tr class="event"><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)', page)
    assert rows[1:] == [("clerk", "xem"), ("leader", "tải về "), ("leader", "xem"), ("clerk", "xem")], rows
    assert [who for who, _ in log(site["home"], "download")] == ["leader"]
    stats = clerk.get("/thong-ke?theo=person").get_data(as_text=True)
    cells = re.findall(r"<tr>\s*<td>(\w+)</td>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", stats)
    assert sorted(cells) == [("clerk", "2", "0", "0", "2"), ("leader", "1", "1", "0", "2")]
    assert client(site, "drafter").get("/thong-ke").status_code == 403


def test_a_document_printed_from_the_web_carries_who_printed_it_and_when(site, tmp_path):
    leader = client(site, "leader")
    answer = leader.get(f"/van-ban/{site['in']}/in")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.data, tmp_path)
    found = MARK.search(text)
    assert found and found.group(1) == "Người leader", text
    assert abs(time.mktime(time.strptime(found.group(2), "%d/%m/%Y %H:%M")) - time.time()) < 180
    assert "Cong van den ve phong chong dich" in text
    stored = next((site["home"] / "files").rglob("den/*/*.pdf")).read_bytes()
    assert answer.data.startswith(stored)  # an added revision: the archived bytes are untouched
    assert log(site["home"], "print")[0][0] == "leader"
    blank = client(site, "clerk").get(f"/van-ban/{site['out']}/in")  # a page without content: marked all the same
    assert blank.status_code == 200 and MARK.search(pdf_text(blank.data, tmp_path)).group(1) == "Người clerk"


def test_search_page_saves_a_search_and_exports_its_results(site):
    clerk = client(site, "clerk")
    page = clerk.get("/tim-kiem?q=phong+chong+dich").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    saved = clerk.post("/tim-kiem/luu", data={"q": "phong chong dich", "ten": "dịch", "cot": ["number", "subject"],
                                               "csrf_token": token})
    assert saved.status_code == 302
    page = clerk.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Tìm kiếm đã lưu" in page and ">dịch</a>" in page
    assert "<th>Số, ký hiệu</th><th>Trích yếu nội dung</th>" in page  # the chosen columns shown
    exported = clerk.get("/tim-kiem/xuat.docx?q=phong+chong+dich&cot=number&cot=subject")
    assert exported.status_code == 200
    import io
    document = docx.Document(io.BytesIO(exported.data))
    assert [c.text for c in document.tables[0].rows[0].cells] == ["STT", "Số, ký hiệu", "Trích yếu nội dung"]
    assert MARK.fullmatch(document.sections[0].footer.paragraphs[-1].text).group(1) == "Người clerk"
    assert ">dịch</a>" not in client(site, "leader").get("/tim-kiem?q=x").get_data(as_text=True)
