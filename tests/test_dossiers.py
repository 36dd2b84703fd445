"""Issue 16 items 1-2: Danh mục hồ sơ, filing, closing, Mục lục văn bản (Điều 28-29; Phụ lục V, VI III.4).

A plan of 2 headings and 5 hồ sơ, copied from last year and approved; the seed
and 10 more documents filed into 2 of them (the seed in both, without a copy);
Danh mục and Mục lục printed and read back against the models' headings and
columns (the models vendored in tests/data/decree/Phuluc5.md); every change
an event of the log; a hồ sơ row edited behind vanthu's back found by verify.
"""
import re
import sqlite3
from pathlib import Path

import docx
import pytest

import archivekit as k
from conftest import run_cli
from test_openxml_audit import audit
from vanthu.archive import dossierdocx, dossierplan, dossiers
from vanthu.archive.dossierprint import in_words
from vanthu.archive.verify import verify
from vanthu.errors import VanthuError

DECREE = Path(__file__).parent / "data" / "decree"
PLAN = """\
year: 2020
organ: Sở Y tế
parent: UBND tỉnh Hòa Bình
numbering: de-muc
headings:
  - code: VP
    title: Văn phòng
    sections:
      - title: Hành chính, tổng hợp
        dossiers:
          - title: Hồ sơ phòng, chống dịch COVID-19 năm 2020
            retention: vinh-vien
            keeper: Nguyễn Thị Lan
          - title: Công văn trao đổi chung năm 2020
            retention: 10
            keeper: Trần Văn Bình
  - code: NV
    title: Nghiệp vụ Y
    dossiers:
      - title: Hồ sơ truy vết tiếp xúc năm 2020
        retention: 20 năm
        keeper: Lê Văn Hùng
      - title: Báo cáo thống kê năm 2020
        retention: 5
      - title: Kế hoạch kiểm tra năm 2020
        retention: 3
        note: giữ tại đơn vị
"""


def model_tables():
    """Each table of the Phụ lục V models: its heading cells, white space folded."""
    tables, rows = [], []
    for line in (DECREE / "Phuluc5.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            rows.append([" ".join(c.split()) for c in line.strip().strip("|").split("|")])
        elif rows:
            tables.append(rows)
            rows = []
    return tables + ([rows] if rows else [])


def model_columns(first):
    """The heading row of the model table whose first cell is ``first``."""
    return next(rows[0] for rows in model_tables() if rows[0][0] == first)


def folded(text):
    return " ".join(text.split())


def docx_tables(path):
    return [[[folded(c.text) for c in row.cells] for row in t.rows] for t in docx.Document(path).tables]


def docx_lines(path):
    return [folded(p.text) for p in docx.Document(path).paragraphs if p.text.strip()]


def issue_seed_and_ten(home):
    """``home`` with the seed and ten outgoing documents of September 2020 issued (what the hồ sơ are filled with)."""
    k.issue_past([k.seed()], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    for n in range(10):
        k.issue_past([k.record(date=f"2020-09-{n + 1:02d}", subject=f"truy vết tiếp xúc đợt {n + 1}")], home,
                     renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    return home


@pytest.fixture(scope="module")
def filed(tmp_path_factory):
    """A home: last year's plan copied, loaded, approved; the seed and 10 documents filed into 01.VP and 01.NV."""
    work = tmp_path_factory.mktemp("dossiers")
    home = issue_seed_and_ten(work / "home")
    (work / "2019.yaml").write_text(PLAN.replace("2020", "2019"), encoding="utf-8")
    dossierplan.load_plan(work / "2019.yaml", home)
    dossierplan.approve(2019, "Giám đốc Nguyễn Văn A", home)
    dossierplan.copy_plan(2019, 2020, work / "2020.yaml", home)
    dossierplan.load_plan(work / "2020.yaml", home)
    dossierplan.approve(2020, "Giám đốc Nguyễn Văn A", home, "Quyết định số 05/QĐ-SYT ngày 06/01/2020 của Giám đốc Sở Y tế")
    for code in ("01.VP", "01.NV"):
        dossiers.open_dossier(code, home, year=2020)
    numbers = [f"{4483 + n}/SYT-VP" for n in range(10)]
    dossiers.add("01.VP", ["4482/SYT-VP"] + numbers[:5], home, year=2020)
    dossiers.add("01.NV", numbers[5:] + ["4482/SYT-VP"], home, year=2020)
    return home, work


def test_the_copied_plan_has_two_headings_and_five_numbered_hồ_sơ(filed):
    home, work = filed
    text = (work / "2020.yaml").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]  # the first line is the comment naming where it was copied from
    assert "copied_from: 2019" in body and "2019" not in body.replace("copied_from: 2019", "")
    plan = dossierplan.read(2020, home)
    assert plan.state == "da-duyet" and plan.copied_from == 2019 and plan.approved_by == "Giám đốc Nguyễn Văn A"
    assert [h.label for h in plan.headings] == ["I", "II"] and plan.headings[0].sections[0].label == "I.1"
    assert [d.code for d in plan.all_dossiers()] == ["01.VP", "02.VP", "01.NV", "02.NV", "03.NV"]
    assert plan.counts() == (5, 1, 4)


def test_an_approved_plan_cannot_be_replaced_and_an_unapproved_one_opens_nothing(filed, tmp_path):
    home, work = filed
    with pytest.raises(VanthuError, match="đã được duyệt"):
        dossierplan.load_plan(work / "2020.yaml", home)
    other = tmp_path / "home"
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    dossierplan.load_plan(tmp_path / "p.yaml", other)
    dossierplan.load_plan(tmp_path / "p.yaml", other)  # a draft is replaced, the log says so
    with pytest.raises(VanthuError, match="chưa được duyệt"):
        dossiers.open_dossier("01.VP", other, year=2020)
    assert verify(other).ok


def test_a_bad_plan_names_every_problem_with_its_line(tmp_path):
    bad = PLAN.replace("retention: 10", "retention: mãi mãi").replace("code: NV", "code: ''")
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(VanthuError) as error:
        dossierplan.load_plan(tmp_path / "bad.yaml", tmp_path / "home")
    text = str(error.value)
    assert "bad.yaml:15: retention" in text and "mãi mãi" in text and "cần code" in text
    assert not (tmp_path / "home" / "vanthu.sqlite3").exists() or not dossiers.listing(tmp_path / "home")


def test_the_seed_is_in_both_hồ_sơ_without_a_copy_and_numbered_by_date(filed):
    home, _ = filed
    vp, nv = dossiers.load("01.VP", home, 2020), dossiers.load("01.NV", home, 2020)
    assert [i.ordinal for i in vp.items] == [1, 2, 3, 4, 5, 6]
    assert str(vp.items[0].entry.document.number) == "4482/SYT-VP"  # 06/8/2020: before the September ones
    assert str(nv.items[0].entry.document.number) == "4482/SYT-VP"  # filed last, numbered first by its date
    assert vp.items[0].entry.document.id == nv.items[0].entry.document.id
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 11
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 22  # no file copied by filing
    with pytest.raises(VanthuError, match="đã có trong hồ sơ"):
        dossiers.add("01.VP", ["4482/SYT-VP"], home, year=2020)
    assert len(dossiers.load("01.VP", home, 2020).items) == 6


def test_every_change_is_an_event_of_the_log(filed):
    home, _ = filed
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    actions = [r[0] for r in conn.execute("SELECT action FROM events WHERE action LIKE 'dossier%' ORDER BY id")][:8]
    assert actions == ["dossier-plan", "dossier-plan-approve", "dossier-plan", "dossier-plan-approve", "dossier-open",
                       "dossier-open", "dossier-add", "dossier-add"]


def test_the_metadata_has_the_phu_luc_vi_fields(filed):
    home, _ = filed
    vp = dossiers.load("01.VP", home, 2020)
    meta = dossiers.metadata(vp, "000.00.00.H01")
    assert meta["FileCode"] == {"OrganId": "000.00.00.H01", "FileCatalog": 2020, "FileNotation": "01.VP"}
    assert meta["Maintenance"] == "Vĩnh viễn" and meta["Creator"] == "Nguyễn Thị Lan" and meta["DocTotal"] == 6
    assert meta["StartDate"] == "2020-08-06" and meta["EndDate"] is None  # still open
    assert meta["PageTotal"] == 6 and meta["Title"].startswith("Hồ sơ phòng, chống dịch")


def test_the_danh_muc_reads_back_against_the_model(filed, tmp_path):
    home, _ = filed
    result = run_cli("--home", home, "dossier", "print", "2020", "-o", tmp_path / "danh-muc.docx")
    assert result.code == 0, result.err
    lines = docx_lines(tmp_path / "danh-muc.docx")
    assert "DANH MỤC HỒ SƠ" in lines and "Năm 2020" in lines
    assert "(Kèm theo Quyết định số 05/QĐ-SYT ngày 06/01/2020 của Giám đốc Sở Y tế)" in lines
    assert lines[-3:] == ["Danh mục hồ sơ này có 05 hồ sơ, bao gồm:", "01 hồ sơ bảo quản vĩnh viễn;",
                          "04 hồ sơ bảo quản có thời hạn."]
    footer = docx.Document(tmp_path / "danh-muc.docx").sections[0].footer.paragraphs[0].text
    assert footer.startswith("In từ hệ thống vanthu bởi ")  # Phụ lục VI III.6.k
    header, table = docx_tables(tmp_path / "danh-muc.docx")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in header[0][1]
    assert header[0][0].startswith("UBND TỈNH HÒA BÌNH SỞ Y TẾ")
    assert table[0] == model_columns("Số và ký hiệu hồ sơ")
    assert table[1] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert table[2][1] == "I. VĂN PHÒNG" and table[3][1] == "1. Hành chính, tổng hợp"
    assert table[4] == ["01.VP", "Hồ sơ phòng, chống dịch COVID-19 năm 2020", "Vĩnh viễn", "Nguyễn Thị Lan", ""]
    assert table[6][1] == "II. NGHIỆP VỤ Y" and table[-1] == ["03.NV", "Kế hoạch kiểm tra năm 2020", "3 năm", "",
                                                                "giữ tại đơn vị"]


def test_the_muc_luc_van_ban_reads_back_against_the_model(filed, tmp_path):
    home, _ = filed
    result = run_cli("--home", home, "dossier", "print", "01.NV", "--year", "2020", "-o", tmp_path / "muc-luc.docx")
    assert result.code == 0, result.err
    lines = docx_lines(tmp_path / "muc-luc.docx")
    assert lines[:3] == ["MỤC LỤC VĂN BẢN, TÀI LIỆU", "Số, ký hiệu hồ sơ: 01.NV", "Năm 2020"]
    (table,) = docx_tables(tmp_path / "muc-luc.docx")
    assert table[0] == model_columns("STT") and table[1] == [f"({i})" for i in range(1, 8)]
    assert table[2][:3] == ["01", "4482/SYT-VP", "06/8/2020"] and table[2][3].startswith("Công văn")
    assert [row[0] for row in table[2:]] == ["01", "02", "03", "04", "05", "06"]
    assert [row[5] for row in table[2:]] == ["1", "2", "3", "4", "5", "6"]  # tờ số: one page each
    assert table[3][1] == "4488/SYT-VP" and table[3][4] == "SỞ Y TẾ"  # the issuer as the register has it


def test_the_printed_forms_open_clean_in_openxml_audit(filed, tmp_path):
    home, _ = filed
    for target, name in (("2020", "danh-muc.docx"), ("01.VP", "muc-luc.docx")):
        assert run_cli("--home", home, "dossier", "print", target, "--year", "2020", "-o", tmp_path / name).code == 0
    findings, count = audit(tmp_path)
    assert count == 2 and findings == {}


@pytest.mark.pdf
@pytest.mark.slow
def test_the_danh_muc_prints_to_pdf(filed, tmp_path):
    from readback import pdf_text
    home, _ = filed
    assert run_cli("--home", home, "dossier", "print", "2020", "-o", tmp_path / "dm.pdf").code == 0
    text = pdf_text(tmp_path / "dm.pdf")
    assert "DANH MỤC HỒ SƠ" in text and "01.VP" in text and "Danh mục hồ sơ này có 05 hồ sơ" in text


def test_a_hồ_sơ_outside_the_plan_needs_its_own_fields(filed):
    home, _ = filed
    with pytest.raises(VanthuError, match="--title và --retention"):
        dossiers.open_dossier("09.VP", home, year=2020)
    with pytest.raises(VanthuError, match="thời hạn bảo quản 'mãi' không hợp lệ"):
        dossiers.open_dossier("09.VP", home, year=2020, title="Hồ sơ riêng", retention="mãi")
    with pytest.raises(VanthuError, match="không hợp lệ: tối đa 20"):
        dossiers.open_dossier("09 VP/2020", home, year=2020, title="Hồ sơ riêng", retention="5")
    found = dossiers.open_dossier("09.VP", home, year=2020, title="Hồ sơ riêng", retention="5", keeper="Lan")
    assert not found.in_plan and found.state == dossiers.OPEN and found.retention.years == 5


def test_closing_takes_out_drafts_and_duplicates_and_confirms_retention(tmp_path):
    from vanthu.workflow.drafts import create as create_draft
    home = tmp_path / "home"
    k.issue_past([k.seed()], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    k.issue_past([k.record(date="2020-08-20", subject="báo cáo")], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    draft = create_draft(k.SEED.read_text(encoding="utf-8"), "lan", home)
    dossiers.open_dossier("03.VP", home, year=2020, title="Hồ sơ báo cáo", retention="10")
    dossiers.add("03.VP", ["4482/SYT-VP", "4483/SYT-VP"], home, year=2020, drafts=[str(draft.id)])
    assert [i.is_draft for i in dossiers.load("03.VP", home).items] == [False, False, True]
    review = dossiers.close("03.VP", home, year=2020, retention="vinh-vien", today=k_date("2021-01-15"))
    assert review.drafts_out and len(review.dossier.items) == 2 and review.dossier.state == dossiers.CLOSED
    assert "xác định lại, trước là 10 năm" in review.text() and review.dossier.retention.permanent
    assert review.dossier.due.isoformat() == "2022-01-15" and review.dossier.end_date.isoformat() == "2020-08-20"
    with pytest.raises(VanthuError, match="đã kết thúc"):
        dossiers.add("03.VP", ["4482/SYT-VP"], home, year=2020)
    assert verify(home).ok


def k_date(text):
    import datetime as dt
    return dt.date.fromisoformat(text)


def test_verify_finds_a_hồ_sơ_edited_behind_vanthus_back(tmp_path, filed):
    import shutil
    home = tmp_path / "home"
    shutil.copytree(filed[0], home)
    assert verify(home).ok
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    conn.execute("UPDATE dossiers SET retention = '1' WHERE code = '01.VP'")
    conn.execute("DELETE FROM dossier_items WHERE ordinal = 2 AND dossier_id = (SELECT id FROM dossiers WHERE code = '01.NV' AND year = 2020)")
    conn.execute("UPDATE dossier_headings SET title = 'Khác' WHERE label = 'II' AND year = 2020")
    conn.commit()
    problems = verify(home).problems
    assert any("hồ sơ 01.VP năm 2020" in p and "sửa ngoài vanthu" in p for p in problems)
    assert any("hồ sơ 01.NV năm 2020" in p for p in problems)
    assert any("Danh mục hồ sơ năm 2020" in p for p in problems)


def test_the_cli_lists_and_refuses_clearly(filed, tmp_path):
    home, _ = filed
    listed = run_cli("--home", home, "dossier", "list", "--year", "2020")
    assert listed.code == 0 and "01.VP" in listed.out and "6 văn bản; đang lập" in listed.out
    bad = run_cli("--home", home, "dossier", "add", "01.VP", "999999/XYZ", "--year", "2020")
    assert bad.code == 1 and "không có văn bản số 999999/XYZ" in bad.err
    wrong = run_cli("--home", home, "dossier", "print", "2020", "-o", tmp_path / "x.txt")
    assert wrong.code == 1 and ".docx hoặc .pdf" in wrong.err


@pytest.mark.parametrize("number, words", [(1, "một"), (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"),
                                           (24, "hai mươi tư"), (105, "một trăm linh năm"), (110, "một trăm mười"),
                                           (1001, "một nghìn không trăm linh một")])
def test_counts_in_words(number, words):
    assert in_words(number) == words


def test_the_printed_headings_are_the_models(filed):
    titles = [line[3:] for line in (DECREE / "Phuluc5.md").read_text(encoding="utf-8").splitlines()
              if line.startswith("## ")]
    for title in (dossierdocx.PLAN_TITLE, dossierdocx.INDEX_TITLE, dossierdocx.TRANSFER_TITLE, dossierdocx.RECEIPT_TITLE):
        assert title in titles
    assert [c for c, _, _ in dossierdocx.TRANSFER_COLUMNS] == model_columns("Số TT")
    assert re.search(r"Mục lục này gồm", (DECREE / "Phuluc5.md").read_text(encoding="utf-8"))


def test_numbering_through_the_whole_plan(tmp_path):
    (tmp_path / "p.yaml").write_text(PLAN.replace("numbering: de-muc", "numbering: toan-danh-muc"), encoding="utf-8")
    plan = dossierplan.parse(tmp_path / "p.yaml")
    assert [d.code for d in plan.all_dossiers()] == ["01.VP", "02.VP", "03.NV", "04.NV", "05.NV"]
    assert dossierplan.roman(4) == "IV" and dossierplan.roman(9) == "IX" and dossierplan.roman(14) == "XIV"
