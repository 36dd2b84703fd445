"""The register (sổ đăng ký, Phụ lục IV): the seed's row, cover lines, the printed book."""
import datetime as dt

import docx
import pytest
from docx.enum.section import WD_ORIENT

import archivekit as k
from vanthu.archive import register
from vanthu.archive.importing import import_document
from archivekit import issue_past as issue
from vanthu.generator.render import Renderer


SEED_ROW = ("4482/SYT-VP", "06/8/2020", "Công văn V/v triển khai cài đặt và sử dụng ứng dụng BlueZone",
            "Phan Huy Anh Vũ", "Các đơn vị trực thuộc Sở Y tế; Các cơ sở y tế ngoài công lập", "VT, VP",
            "", "", "", "Được đính chính bởi 4483/SYT-VP")


pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


@pytest.fixture
def seeded(tmp_path):
    """The seed dispatch issued for real (generator DOCX), plus a later dispatch that corrects it
    (one per test: on PostgreSQL each test has a database of its own)."""
    home = tmp_path / "seeded" / "home"
    issue([k.seed()], home, renderer=Renderer())
    issue([k.record(date="2020-08-10", subject="đính chính Công văn 4482/SYT-VP")], home,
          renderer=k.FakeRenderer(), corrects="4482/SYT-VP")
    return home


def test_the_seed_dispatch_is_a_row_of_the_2020_register(seeded):
    book = register.build(seeded, 2020)
    assert book.rows[0] == SEED_ROW
    assert book.rows[1][0] == "4483/SYT-VP" and book.rows[1][9] == "Đính chính văn bản 4482/SYT-VP"
    assert book.cover() == ["UBND TỈNH ĐỒNG NAI", "SỞ Y TẾ", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2020",
                            "Từ ngày 06/8/2020 đến ngày 10/8/2020", "Từ số 4482 đến số 4483", "Quyển số: 01"]


def test_the_stored_docx_is_the_generators_with_its_number(seeded):
    from readback import docx_paragraphs
    text = docx_paragraphs(seeded / "files/2020/di/4482-SYT-VP/4482-SYT-VP.docx")
    assert "Số: 4482/SYT-VP" in text and "Đồng Nai, ngày 06 tháng 8 năm 2020" in text


def test_the_screen_table_shows_the_row(seeded):
    text = register.screen(seeded, 2020)
    assert text.splitlines()[0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI - NĂM 2020  (SỞ Y TẾ)"
    row = next(line for line in text.splitlines() if line.startswith("4482/SYT-VP"))
    assert "06/8/2020" in row and "Phan Huy Anh Vũ" in row and "Các đơn vị trực thuộc Sở Y tế;" in row


def test_the_printed_register_is_landscape_a4_times_new_roman_with_the_ten_columns(seeded, tmp_path):
    out = register.save(tmp_path / "so-di-2020.docx", seeded, 2020)
    book = docx.Document(str(out))
    section = book.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert book.styles["Normal"].font.name == "Times New Roman"
    cover = [p.text for p in book.paragraphs if p.text]
    assert cover[:4] == ["UBND TỈNH ĐỒNG NAI", "SỞ Y TẾ", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2020"]
    assert "Từ số 4482 đến số 4483" in cover
    (table,) = book.tables
    rows = [tuple(c.text for c in row.cells) for row in table.rows]
    assert rows[0] == register.OUT_COLUMNS
    assert rows[1] == tuple(f"({i})" for i in range(1, 11))
    assert rows[2] == SEED_ROW


def test_the_incoming_register_has_its_own_columns(tmp_path):
    home = tmp_path / "home"
    incoming = tmp_path / "4199.docx"
    incoming.write_bytes(k.make_docx(["BỘ Y TẾ", "Số: 4199/BYT-VPB1"]))
    import_document(incoming, "4199/BYT-VPB1", "05/8/2020", "Bộ Y tế", home, type_name="Công văn",
                    subject="V/v triển khai BlueZone", received=dt.date(2020, 8, 6))
    book = register.build(home, 2020, "in")
    assert book.title == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert book.rows == [("06/8/2020", "01", "Bộ Y tế", "4199/BYT-VPB1", "05/8/2020",
                          "Công văn V/v triển khai BlueZone", "", "", "", "")]


def test_an_empty_register_says_so(tmp_path):
    from vanthu.errors import VanthuError
    with pytest.raises(VanthuError, match="sổ văn bản đi chưa có văn bản nào"):
        register.build(tmp_path / "home")


@pytest.mark.pdf
@pytest.mark.slow
def test_the_register_prints_to_pdf(seeded, tmp_path):
    from readback import pdf_text
    out = register.save(tmp_path / "so-di-2020.pdf", seeded, 2020)
    text = pdf_text(out)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "Phan Huy" in text and "06/8/2020" in text


def test_the_seed_has_its_phu_luc_vi_metadata_and_is_handed_to_search_as_an_archived_document(seeded):
    from vanthu.archive.catalog import documents
    seed_doc = next(d for d in documents(seeded) if d.number.number == 4482)
    assert (seed_doc.direction, seed_doc.date, seed_doc.signer, seed_doc.issuer_code) == (
        "out", dt.date(2020, 8, 6), "Phan Huy Anh Vũ", "SYT")
    assert seed_doc.recipients == ["Các đơn vị trực thuộc Sở Y tế", "Các cơ sở y tế ngoài công lập"]
    import json
    meta = json.loads(k.database(seeded).execute(
        "SELECT metadata FROM documents WHERE number = 4482").fetchone()[0])
    assert {key: meta[key] for key in ("CodeNumber", "CodeNotation", "IssuedDate", "OrganName", "TypeName", "Language")} == {
        "CodeNumber": "4482", "CodeNotation": "SYT-VP", "IssuedDate": "2020-08-06", "OrganName": "SỞ Y TẾ",
        "TypeName": "Công văn", "Language": "Tiếng Việt"}
    assert meta["SignerInfo"] == {"Position": "GIÁM ĐỐC", "FullName": "Phan Huy Anh Vũ"}
    assert [to["OrganName"] for to in meta["To"]] == seed_doc.recipients
    assert meta["FileCode"]["FileCatalog"] == 2020


def test_the_number_and_date_taken_at_issue_are_printed_in_the_stored_docx(tmp_path):
    from readback import docx_paragraphs
    (done,) = issue([k.record()], tmp_path / "home", renderer=Renderer(), today=dt.date(2021, 2, 5))
    text = docx_paragraphs(tmp_path / "home" / done.paths[0])
    assert "Số: 01/SYT-VP" in text
    assert "Đồng Nai, ngày 05 tháng 02 năm 2021" in text


def test_each_issuing_body_has_its_own_outgoing_register(tmp_path):
    home = tmp_path / "home"
    issue([k.record(date="2020-05-01"), k.record(date="2020-05-02"), k.record(date="2020-05-03", code="UBND")],
          home, renderer=k.BytesRenderer())
    main = register.build(home, 2020)
    assert [row[0] for row in main.rows] == ["01/SYT-VP", "02/SYT-VP"] and main.others == ["UBND"]
    assert "Sổ của cơ quan khác: UBND (xem bằng --issuer)" in register.as_text(main)
    assert [row[0] for row in register.build(home, 2020, issuer="UBND").rows] == ["01/UBND-VP"]
    from vanthu.errors import VanthuError
    with pytest.raises(VanthuError, match="không có văn bản đi của cơ quan 'BYT' trong năm; các cơ quan có: SYT, UBND"):
        register.build(home, 2020, issuer="BYT")


def test_copies_and_grouped_recipients_fill_their_columns(tmp_path):
    base = k.record(date="2020-05-04")
    values = {**base.values, "copies": 300, "to": None,
              "cc": ["Như trên", "Lưu: VT, VP", ("Bản điện tử", ["Như kính gửi", "Lãnh đạo Sở"])]}
    values.pop("to")
    grouped = type(base)(base.template, values, base.source, base.line, [])
    issue([grouped], tmp_path / "home", renderer=k.BytesRenderer())
    (row,) = register.build(tmp_path / "home", 2020).rows
    assert (row[4], row[5], row[6]) == ("Lãnh đạo Sở", "VT, VP", "300")


def test_the_register_exports_to_xlsx_with_the_seeds_row(seeded, tmp_path):
    import openpyxl
    out = register.save(tmp_path / "so-di-2020.xlsx", seeded, 2020)
    sheet = openpyxl.load_workbook(out).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    head = rows.index(register.OUT_COLUMNS)
    assert [r[0] for r in rows[:head] if r[0]] == ["UBND TỈNH ĐỒNG NAI", "SỞ Y TẾ", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm: 2020",
                                                    "Từ ngày 06/8/2020 đến ngày 10/8/2020", "Từ số 4482 đến số 4483",
                                                    "Quyển số: 01", register.build(seeded, 2020).chain_line()]
    seed = rows[head + 1]
    assert seed[1] == dt.datetime(2020, 8, 6) and sheet.cell(head + 2, 2).number_format == "dd/mm/yyyy"
    assert tuple("" if c is None else c for c in seed[:1] + seed[2:]) == SEED_ROW[:1] + SEED_ROW[2:]
    assert sheet.freeze_panes == f"A{head + 2}" and len(rows) == head + 3
