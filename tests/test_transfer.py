"""Issue 16 item 3: nộp lưu, the transfer package (Điều 30; Phụ lục V mục III, V; Phụ lục VI III.4.g, III.5).

Two closed hồ sơ (outgoing and incoming documents) exported as one BagIt bag,
validated by the Library of Congress ``bagit`` tool and by ``vanthu verify
PACKAGE``; its XML parsed and checked against the field tables of Phụ lục VI
Phần II (vendored: tests/data/decree/Phuluc6.md): names, order, types,
lengths; the Mục lục hồ sơ nộp lưu and Biên bản read back against the models;
the transferred hồ sơ refuses every change, and each refusal is logged.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import bagit
import pytest

import archivekit as k
from conftest import run_cli
from test_dossiers import PLAN, docx_lines, docx_tables, issue_seed_and_ten, model_columns
from test_openxml_audit import audit
from vanthu.archive import dossierplan, dossiers, transfer
from vanthu.archive.importing import import_document
from vanthu.archive.verify import verify
from vanthu.errors import VanthuError
from vanthu.faults import ENV

DECREE = Path(__file__).parent / "data" / "decree"
NS = "{urn:vanthu:nd30-2020:phu-luc-vi:phan-ii}"
MISPRINTS = {"Organld": "OrganId", "Signerlnfo": "SignerInfo"}  # the decree's text has a lower-case L for the I
TESTS = str(Path(__file__).parent)


def field_tables():
    """The three tables of Phụ lục VI Phần II (mục I outgoing, II incoming, III hồ sơ): [(number, name, type, length)]."""
    tables, rows = [], []
    for line in (DECREE / "Phuluc6.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells and re.match(r"^\d+(\.\d+)?$", cells[0]):
            rows.append((cells[0], MISPRINTS.get(cells[2], cells[2]), cells[3], int(cells[4]) if cells[4] else None))
        elif not cells and rows:
            tables.append(rows)
            rows = []
    return tables + ([rows] if rows else [])


def tree(table):
    """``[(name, type, length, [children])]`` in the table's order (1.1, 1.2 under 1)."""
    top = []
    for number, name, kind, length in table:
        if "." in number:
            top[-1][3].append((name, kind, length, []))
        else:
            top.append((name, kind, length, []))
    return top


def check_element(element, fields, where):
    """Every child of ``element`` is the table's next field, of its type and within its length."""
    problems, children = [], list(element)
    names = [c.tag.replace(NS, "") for c in children]
    expected = [f[0] for f in fields]
    collapsed = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]]  # To repeats, one per recipient
    if collapsed != expected:
        return [f"{where}: fields {collapsed} != {expected}"]
    table = {f[0]: f for f in fields}
    for child in children:
        name, kind, length, sub = table[child.tag.replace(NS, "")]
        if sub:
            problems += check_element(child, sub, f"{where}/{name}")
            continue
        value = child.text or ""
        if kind == "Number" and value and not (value.isdigit() and len(value) <= length):
            problems.append(f"{where}/{name}: '{value}' is not a Number of at most {length} digits")
        if kind == "Date" and value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            problems.append(f"{where}/{name}: '{value}' is not a Date")
        if kind == "String" and len(value) > length:
            problems.append(f"{where}/{name}: {len(value)} characters > {length}")
    return problems


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The plan approved; 01.VP (seed + 5 outgoing + 1 incoming) and 01.NV (5 + the seed) closed, then exported."""
    work = tmp_path_factory.mktemp("transfer")
    home = issue_seed_and_ten(work / "home")
    (work / "den.pdf").write_bytes(k.text_pdf("Cong van den 4199"))
    import_document(work / "den.pdf", "4199/BYT-VPB1", "05/8/2020", "Bộ Y tế", home, type_name="Công văn",
                    subject="về ứng dụng BlueZone", received="07/8/2020")
    (work / "plan.yaml").write_text(PLAN, encoding="utf-8")
    dossierplan.load_plan(work / "plan.yaml", home)
    dossierplan.approve(2020, "Giám đốc Nguyễn Văn A", home)
    for code in ("01.VP", "01.NV", "02.NV", "03.NV"):
        dossiers.open_dossier(code, home, year=2020)
    numbers = [f"{4483 + n}/SYT-VP" for n in range(10)]
    dossiers.add("01.VP", ["4482/SYT-VP", "4199/BYT-VPB1"] + numbers[:5], home, year=2020)
    dossiers.add("01.NV", numbers[5:] + ["4482/SYT-VP"], home, year=2020)
    dossiers.add("02.NV", numbers[1:2], home, year=2020)
    dossiers.add("03.NV", numbers[:1], home, year=2020)
    for code in ("01.VP", "01.NV", "02.NV", "03.NV"):
        dossiers.close(code, home, year=2020, today=k_date("2021-01-20"))
    package = work / "nop-luu"
    result = run_cli("--home", home, "dossier", "export", "01.VP", "01.NV", "--year", "2020", "-o", package,
                     "--receiver", "Phạm Thị Hoa", "--receiver-title", "Lưu trữ viên")
    assert result.code == 0, result.err
    return home, package, work


def k_date(text):
    import datetime as dt
    return dt.date.fromisoformat(text)


def test_the_package_is_a_bag_the_library_of_congress_tool_validates(exported):
    _, package, _ = exported
    bag = bagit.Bag(str(package))
    assert bag.is_valid() and bag.algorithms == ["sha256"]
    done = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(package)], capture_output=True, text=True)
    assert done.returncode == 0 and "is valid" in done.stderr
    assert bag.info["Source-Organization"] == "Sở Y tế" and "01.VP" in bag.info["External-Description"]


def test_every_documents_pdf_is_in_order_and_the_same_as_the_archives(exported):
    home, package, _ = exported
    names = sorted(p.name for p in (package / "data" / "01.VP").glob("*.pdf"))
    assert names == ["001-4199-BYT-VPB1.pdf", "002-4482-SYT-VP.pdf"] + [f"{3 + n:03d}-{4483 + n}-SYT-VP.pdf"
                                                                         for n in range(5)]
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    stored = conn.execute("SELECT f.sha256 FROM files f JOIN documents d ON d.id = f.document_id"
                          " WHERE d.number = 4482 AND f.role = 'pdf'").fetchone()[0]
    manifest = dict(reversed(line.split(maxsplit=1)) for line in
                    (package / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines())
    assert manifest["data/01.VP/002-4482-SYT-VP.pdf"] == stored == manifest["data/01.NV/001-4482-SYT-VP.pdf"]


def test_vanthu_verify_validates_the_package(exported):
    home, package, _ = exported
    result = run_cli("--home", home, "verify", package)
    assert result.code == 0, result.err
    assert "BagIt hợp lệ" in result.out and "2 hồ sơ, 13 tệp" in result.out and "khớp với nhật ký kho" in result.out


def test_the_xml_has_the_phu_luc_vi_fields_names_types_and_lengths(exported):
    _, package, _ = exported
    outgoing, incoming, dossier = (tree(t) for t in field_tables())
    assert [f[0] for f in dossier][:3] == ["FileCode", "Title", "Maintenance"] and len(dossier) == 11
    seen = set()
    for path in sorted((package / "data").glob("*/ho-so.xml")):
        root = ET.parse(path).getroot()
        problems = check_element(ET.Element("x", {}), [], "")  # the checker itself, on nothing
        fields = [c for c in root if c.tag != NS + "Documents"]
        holder = ET.Element("HoSo")
        holder.extend(fields)
        problems += check_element(holder, dossier, path.parent.name)
        for document in root.find(NS + "Documents"):
            direction = document.get("direction")
            seen.add(direction)
            problems += check_element(document, incoming if direction == "in" else outgoing,
                                      f"{path.parent.name}/{document.get('file')}")
        assert problems == []
    assert seen == {"in", "out"}
    root = ET.parse(package / "data" / "01.VP" / "ho-so.xml").getroot()
    assert root.findtext(NS + "FileCode/" + NS + "FileNotation") == "01.VP" and root.findtext(NS + "DocTotal") == "7"
    assert root.findtext(NS + "Maintenance") == "Vĩnh viễn" and root.findtext(NS + "EndDate") == "2020-09-05"
    first = root.find(NS + "Documents")[0]
    assert first.findtext(NS + "ArrivalNumber") == "1" and first.findtext(NS + "DocOrdinal") == "1"


def test_the_checker_catches_a_wrong_field():
    element = ET.fromstring(f'<HoSo xmlns="{NS[1:-1]}"><Title>{"x" * 501}</Title></HoSo>')
    assert check_element(element, [("Title", "String", 500, [])], "t")


def test_the_transfer_index_and_the_receipt_follow_the_models(exported):
    _, package, _ = exported
    index = package / "data" / "muc-luc-ho-so-nop-luu.docx"
    lines = docx_lines(index)
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in lines and "Năm 2020" in lines
    assert "Mục lục này gồm: 02 hồ sơ (đơn vị bảo quản)." in lines
    assert "Viết bằng chữ: hai hồ sơ (đơn vị bảo quản)." in lines
    table = docx_tables(index)[1]
    assert table[0] == model_columns("Số TT") and table[2][:3] == ["01", "01.VP",
                                                                    "Hồ sơ phòng, chống dịch COVID-19 năm 2020"]
    assert table[2][3] == "05/8/2020 - 05/9/2020" and table[2][4] == "Vĩnh viễn" and table[3][1] == "01.NV"
    receipt = docx_lines(package / "data" / "bien-ban-giao-nhan.docx")
    assert receipt[receipt.index("BIÊN BẢN") + 1] == "Giao nhận hồ sơ, tài liệu"
    for line in ("Chúng tôi gồm:", "BÊN NHẬN: Lưu trữ cơ quan", "Ông (bà): Phạm Thị Hoa", "- Tổng số hồ sơ: 02",
                 "- Tổng số tệp tin trong hồ sơ: 13", "5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo.",
                 "Biên bản này được lập thành hai bản; bên giao giữ một bản, bên nhận giữ một bản./."):
        assert line in receipt
    assert "ĐẠI DIỆN BÊN GIAO (Ký và ghi rõ họ và tên)" in [" ".join(r) for r in docx_tables(
        package / "data" / "bien-ban-giao-nhan.docx")[-1]][0]
    copies = package.parent / "audit"
    copies.mkdir(exist_ok=True)
    for path in (package / "data").rglob("*.docx"):
        shutil.copy(path, copies / f"{path.parent.name}-{path.name}")
    findings, count = audit(copies)
    assert count == 4 and findings == {}


def test_a_frozen_hồ_sơ_refuses_every_change_and_logs_each_refusal(exported):
    home, package, _ = exported
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    before = conn.execute("SELECT * FROM dossiers WHERE code = '01.VP'").fetchall()
    items = conn.execute("SELECT * FROM dossier_items ORDER BY dossier_id, ordinal").fetchall()
    attempts = [("add", "01.VP", "4492/SYT-VP"), ("remove", "01.VP", "4482/SYT-VP"), ("close", "01.VP"),
                ("close", "01.VP", "--retention", "10"), ("open", "01.VP", "--title", "Khác", "--retention", "5"),
                ("add", "01.VP", "--draft", "1")]
    refused = conn.execute("SELECT COUNT(*) FROM events WHERE action = 'dossier-refused'").fetchone()[0]
    for attempt in attempts:
        result = run_cli("--home", home, "dossier", *attempt, "--year", "2020")
        assert result.code == 1 and result.out == ""
        assert "đã nộp lưu" in result.err and "đóng băng" in result.err, result.err
    again = run_cli("--home", home, "dossier", "export", "01.VP", "--year", "2020", "-o", package.parent / "lai")
    assert again.code == 1 and "đóng băng" in again.err and not (package.parent / "lai").exists()
    assert conn.execute("SELECT * FROM dossiers WHERE code = '01.VP'").fetchall() == before
    assert conn.execute("SELECT * FROM dossier_items ORDER BY dossier_id, ordinal").fetchall() == items
    logged = conn.execute("SELECT COUNT(*) FROM events WHERE action = 'dossier-refused'").fetchone()[0]
    assert logged - refused == len(attempts) + 1  # and the export
    with pytest.raises(VanthuError, match="hồ sơ đã nộp lưu 01.NV năm 2020, 01.VP năm 2020"):
        with dossiers.changing(home) as archive:
            dossiers.refuse_if_frozen(archive.conn, archive.conn.execute(
                "SELECT id FROM documents WHERE number = 4482").fetchone()[0], "thu hồi")
    assert verify(home).ok
    listed = run_cli("--home", home, "dossier", "list", "--year", "2020")
    assert "01.VP" in listed.out and "đã nộp lưu (đóng băng)" in listed.out


def test_a_document_in_a_transferred_hồ_sơ_cannot_be_withdrawn_or_its_file_destroyed(exported):
    home, _, _ = exported
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    files = conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    out = run_cli("--home", home, "withdraw", "4483/SYT-VP", "--reason", "ban hành nhầm")
    recall = run_cli("--home", home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", "Công văn số 1/BYT")
    for result in (out, recall):
        assert result.code == 1 and "không thu hồi được" in result.err and "01.VP năm 2020" in result.err, result.err
    assert conn.execute("SELECT COUNT(*) FROM withdrawals").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM destroyed_files").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == files
    assert verify(home).ok


def test_the_due_list_shows_hồ_sơ_due_within_30_days(exported):
    home, _, _ = exported
    early = run_cli("--home", home, "dossier", "list", "--due", "--on", "2021-11-01")
    assert early.code == 0 and "Không có hồ sơ nào" in early.out
    due = run_cli("--home", home, "dossier", "list", "--due", "--on", "2021-12-25")
    assert due.code == 0 and "1 hồ sơ đến hạn nộp lưu" in due.out and "hạn nộp lưu 20/01/2022" in due.out
    assert "02.NV" in due.out and "01.VP" not in due.out  # transferred already
    assert "03.NV" not in due.out  # kept 3 years: stays with the unit (Điều 31.3.c)
    late = run_cli("--home", home, "dossier", "list", "--due", "--on", "2022-02-01")
    assert "QUÁ HẠN" in late.out


def test_a_changed_package_fails_both_checks(exported, tmp_path):
    home, package, _ = exported
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    pdf = copy / "data" / "01.NV" / "002-4488-SYT-VP.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert not bagit.Bag(str(copy)).is_valid()
    result = run_cli("--home", home, "verify", copy)
    assert result.code == 1 and "002-4488-SYT-VP.pdf" in result.err


def test_export_refuses_what_cannot_be_transferred(exported, tmp_path):
    home, _, _ = exported
    dossiers.open_dossier("02.VP", home, year=2020)
    for codes, message in ((["02.VP"], "chưa kết thúc"), (["03.NV"], "dưới 05 năm"), (["09.XX"], "không có hồ sơ")):
        result = run_cli("--home", home, "dossier", "export", *codes, "--year", "2020", "-o", tmp_path / "p")
        assert result.code == 1 and message in result.err and not (tmp_path / "p").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = run_cli("--home", home, "dossier", "export", "01.NV", "--year", "2020", "-o", tmp_path / "full")
    assert result.code == 1 and "không trống" in result.err


@pytest.mark.parametrize("point", transfer.KILL_POINTS)
def test_an_export_killed_leaves_nothing_frozen_and_nothing_unnoticed(tmp_path, point):
    home = tmp_path / "home"
    k.issue_past([k.seed()], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    dossiers.open_dossier("05.VP", home, year=2020, title="Hồ sơ thử", retention="vinh-vien")
    dossiers.add("05.VP", ["4482/SYT-VP"], home, year=2020)
    dossiers.close("05.VP", home, year=2020)
    env = {**os.environ, ENV: point, "PYTHONPATH": os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "vanthu.cli", "--home", str(home), "dossier", "export", "05.VP",
                           "--year", "2020", "-o", str(tmp_path / "goi")], env=env, capture_output=True, text=True)
    assert done.returncode == -9
    assert dossiers.load("05.VP", home, 2020).state == dossiers.CLOSED and verify(home).ok
    if (tmp_path / "goi").exists():  # renamed, not committed: the log does not know it, and verify says so
        result = run_cli("--home", home, "verify", tmp_path / "goi")
        assert result.code == 1 and "không có trong nhật ký" in result.err
    again = run_cli("--home", home, "dossier", "export", "05.VP", "--year", "2020", "-o", tmp_path / "goi-2")
    assert again.code == 0, again.err
    assert not [p for p in tmp_path.iterdir() if ".vanthu-nop-luu-" in p.name]
