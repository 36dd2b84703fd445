"""The two application forms of corpus 10 as built-in templates: text, table, layout, checks.

Each example record renders through the CLI to the original's text (blank,
with its fill lines); a filled record prints its values and its table rows.
"""
import pytest
from docx.oxml.ns import qn

from conftest import ROOT
from layout import all_paragraphs, find, look, open_docx, twips
from readback import docx_paragraphs, missing_in_order, pdf_text
from vanthu.errors import VanthuError
from vanthu.generator import validate
from vanthu.generator.measure import text_width
from vanthu.templates import layout as L
from vanthu.templates.schema import load_schema

EXAMPLES = ROOT / "examples"
FORMS = ["don-xin-du-tuyen-clc-khao-sat", "don-xin-du-tuyen-clc-tuyen-thang"]
HEADER = ["Lớp", "Năm học", "Học lực", "Hạnh kiểm", "ĐTB môn Toán", "ĐTB môn Ngữ Văn", "ĐTB môn tiếng Anh",
          "ĐTB 3 môn", "Kết quả thi HSG văn hóa cấp huyện"]
FILLED = """\
type: don-xin-du-tuyen-clc-tuyen-thang
fields:
  grade: 8
  full_name: Nguyễn Văn An
  birth_date: 2008-03-05
  gender: Nam
  school: THCS Hoàng Lương
  father_name: Nguyễn Văn Bình
  father_job: Giáo viên
  father_phone: "0912 345 678"
  results:
    - {grade: 6, year: 2017-2018, ability: Giỏi, conduct: Tốt, math: 9.2, literature: "8,5", english: 9}
    - {grade: 7, year: 2018-2019, ability: Giỏi, conduct: Tốt, district_prize: Giải Nhì môn Toán}
  guardian_name: Nguyễn Văn Bình
  guardian_relation: bố
  date: 2020-07-20
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Both blank examples rendered by ``vanthu render``, as DOCX paths by name."""
    from conftest import render_all
    return render_all(EXAMPLES, FORMS, tmp_path_factory.mktemp("forms"))


def render(cli, tmp_path, text, name="form"):
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = cli("render", tmp_path / f"{name}.yaml", "-o", tmp_path / f"{name}.docx")
    assert result.code == 0, result.err
    return tmp_path / f"{name}.docx"


def results_table(document):
    """The table whose header row is the results' column labels."""
    for table in document.tables:
        if [c.text for c in table.rows[0].cells] == HEADER:
            return table
    raise AssertionError("no results table")


def cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


# --- text -------------------------------------------------------------------

@pytest.mark.parametrize("name", FORMS)
def test_blank_form_has_the_original_text_in_order(rendered, name):
    text = "\n".join(docx_paragraphs(rendered[name]))
    assert missing_in_order(EXAMPLES / f"{name}.expected.txt", text) == []


def test_blank_form_prints_dotted_dates(rendered):
    paragraphs = docx_paragraphs(rendered["don-xin-du-tuyen-clc-khao-sat"])
    assert "Sinh ngày: ..... tháng ..... năm ..... Giới tính: ...................." in paragraphs
    assert "Ngày ...... tháng ...... năm 2020" in paragraphs  # blank_year: the 2020 intake


def test_blank_tables(rendered):
    survey = cells(results_table(open_docx(rendered["don-xin-du-tuyen-clc-khao-sat"])))
    assert survey == [HEADER] + [[""] * 9] * 4  # blank_rows: 4
    direct = cells(results_table(open_docx(rendered["don-xin-du-tuyen-clc-tuyen-thang"])))
    assert direct == [HEADER] + [[grade] + [""] * 8 for grade in "6789"]  # row_labels


def test_filled_form_prints_values(cli, tmp_path):
    paragraphs = docx_paragraphs(render(cli, tmp_path, FILLED))
    for line in ["ĐƠN XIN TUYỂN THẲNG VÀO LỚP 8",
                 "Tôi em là (chữ in hoa): NGUYỄN VĂN AN",  # upper: printed in capitals
                 "Sinh ngày: 05 tháng 3 năm 2008 Giới tính: Nam",  # the decree's zeros
                 "Là học sinh trường: (của năm học 2019-2020) THCS Hoàng Lương",
                 "Số điện thoại của bố: 0912 345 678 Số điện thoại của mẹ: ................................",
                 "Ngày 20 tháng 7 năm 2020"]:
        assert line in paragraphs
    assert any("em xin được đăng ký dự tuyển vào lớp 8 năm học 2020-2021" in p for p in paragraphs)
    assert ("Tôi tên là Nguyễn Văn Bình là (cha, mẹ, người giám hộ) bố của học sinh: NGUYỄN VĂN AN; tôi đã đọc "
            "kỹ và hoàn toàn nhất trí với nội dung đơn xin tuyển thẳng vào lớp 8 trường THCS thị trấn Thắng "
            "trên đây của con tôi.") in paragraphs


def test_filled_table_prints_the_rows_given(cli, tmp_path):
    table = results_table(open_docx(render(cli, tmp_path, FILLED)))
    assert cells(table) == [
        HEADER,
        ["6", "2017-2018", "Giỏi", "Tốt", "9,2", "8,5", "9", "", ""],  # 9.2 typed: a Vietnamese decimal
        ["7", "2018-2019", "Giỏi", "Tốt", "", "", "", "", "Giải Nhì môn Toán"],
    ]


def test_long_fill_line_may_break_at_the_margin(rendered):
    line = find(open_docx(rendered["don-xin-du-tuyen-clc-khao-sat"]), "Hộ khẩu thường trú").text
    dots = line.split(": ", 1)[1]
    assert set(dots) == {".", "\u200b"} and dots.count(".") == 170  # zero-width spaces: break points


# --- records and schemas ----------------------------------------------------

def test_table_problems_name_the_line_and_the_column(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "type: don-xin-du-tuyen-clc-tuyen-thang\nfields:\n  results:\n    - grade: 6\n      math: [9, 8]\n"
        "    - grade: 7\n      maths: 8\n", encoding="utf-8")
    result = cli("check", tmp_path / "bad.yaml")
    assert result.code == 1
    assert any(":5: fields.results[1].math: cần một chuỗi chữ" in line for line in result.err_lines)
    assert any(":7: fields.results[2].maths: khóa không có trong mẫu; có phải 'math'?" in line
               for line in result.err_lines)


@pytest.mark.parametrize("value,message", [("6, 7", "cần một danh sách dòng"),
                                           ("\n    - 6", "dòng 1: cần các cột")])
def test_table_must_be_rows_of_columns(cli, tmp_path, value, message):
    (tmp_path / "bad.yaml").write_text(f"type: don-xin-du-tuyen-clc-khao-sat\nfields:\n  results: {value}\n",
                                       encoding="utf-8")
    result = cli("check", tmp_path / "bad.yaml")
    assert result.code == 1 and message in result.err


def test_table_cells():
    assert validate.table_cell(9.25) == "9,25"
    assert validate.table_cell(8) == "8"
    assert validate.table_cell(" Giỏi ") == "Giỏi"


def test_table_field_needs_columns(tmp_path):
    path = tmp_path / "mau.yaml"
    path.write_text("name: mau\ntitle: Mẫu\nkind: form\nfields:\n  - {name: rows, label: Bảng, type: table}\n",
                    encoding="utf-8")
    with pytest.raises(VanthuError, match="kiểu table cần columns"):
        load_schema(path, lambda name, referrer: {})


@pytest.mark.parametrize("name", FORMS)
def test_skeleton_checks_and_renders_the_blank_form(cli, tmp_path, name):
    assert cli("new", name, "-o", tmp_path / "moi.yaml").code == 0
    skeleton = (tmp_path / "moi.yaml").read_text(encoding="utf-8")
    assert "results: []" in skeleton and "grade (Lớp), year (Năm học)" in skeleton
    assert cli("check", tmp_path / "moi.yaml").code == 0
    assert cli("render", tmp_path / "moi.yaml", "-o", tmp_path / "moi.docx").code == 0
    text = "\n".join(docx_paragraphs(tmp_path / "moi.docx"))
    assert missing_in_order(EXAMPLES / f"{name}.expected.txt", text) == []


# --- layout -----------------------------------------------------------------

def grid(table):
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def indent(table):
    ind = table._tbl.tblPr.find(qn("w:tblInd"))
    return 0 if ind is None else int(ind.get(qn("w:w")))


def borders(element, tag):
    found = element.find(qn(tag))
    return {} if found is None else {child.tag.split("}")[1]: child.get(qn("w:val")) for child in found}


@pytest.mark.parametrize("name", FORMS)
def test_tables_stay_inside_the_text_area(rendered, name):
    document = open_docx(rendered[name])
    assert len(document.tables) == 3  # photo and title, results, signatures
    for table in document.tables:
        assert indent(table) >= 0 and indent(table) + sum(grid(table)) <= L.TEXT_WIDTH
        for row in table.rows:
            assert [int(twips(c.width)) for c in row.cells] == grid(table)


@pytest.mark.parametrize("name", FORMS)
def test_results_table_is_ruled_and_words_are_not_broken(rendered, name):
    table = results_table(open_docx(rendered[name]))
    assert set(borders(table._tbl.tblPr, "w:tblBorders").values()) == {"single"}
    assert len(borders(table._tbl.tblPr, "w:tblBorders")) == 6
    for label, width in zip(HEADER, grid(table)):
        widest = max(text_width(word, 13, True) for word in label.split())
        assert widest + 2 * L.CELL_MARGIN <= width, label
    assert all(int(row._tr.trPr.find(qn("w:trHeight")).get(qn("w:val"))) >= 400 for row in table.rows[1:])


@pytest.mark.parametrize("name", FORMS)
def test_photo_box_is_a_bordered_3x4_cell(rendered, name):
    document = open_docx(rendered[name])
    top = document.tables[0]
    assert borders(top._tbl.tblPr, "w:tblBorders") == dict.fromkeys(
        ["top", "left", "bottom", "right", "insideH", "insideV"], "nil")
    photo = top.rows[0].cells[0]
    assert photo.text == "Ảnh 3×4"
    assert borders(photo._tc.tcPr, "w:tcBorders") == dict.fromkeys(["top", "left", "bottom", "right"], "single")
    assert round(twips(photo.width) / L.TWIPS_PER_MM) == 30
    assert round(twips(top.rows[0].height) / L.TWIPS_PER_MM) == 40
    assert top.rows[0].cells[1].paragraphs[0].text.startswith("ĐƠN XIN")


@pytest.mark.parametrize("name", FORMS)
def test_signature_areas_side_by_side(rendered, name):
    signatures = open_docx(rendered[name]).tables[2]
    left, right = signatures.rows[0].cells
    assert left.paragraphs[0].text == "XÁC NHẬN CỦA CHA, MẸ"
    assert [p.text for p in right.paragraphs[1:]] == ["HỌC SINH KÝ TÊN", "(Ký tên và ghi rõ họ tên)"]
    assert signatures._tbl.tr_lst[0].trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize("name", FORMS)
def test_every_run_is_times_new_roman(rendered, name):
    document = open_docx(rendered[name])
    for p in all_paragraphs(document):
        if p.text.strip():
            assert look(document, p)[0] == {"Times New Roman"}, p.text
    assert look(document, find(document, "ĐƠN XIN"))[1:3] == ({14}, {True})


@pytest.mark.parametrize("prefix", ["Tôi em là", "Sinh ngày", "Nơi sinh", "Là học sinh", "Họ và tên bố",
                                    "Họ và tên mẹ", "Số điện thoại"])
def test_blank_fill_lines_fit_on_one_line(rendered, prefix):
    paragraph = find(open_docx(rendered["don-xin-du-tuyen-clc-khao-sat"]), prefix)
    assert text_width(paragraph.text, 14) <= L.TEXT_WIDTH * 0.98, paragraph.text


# --- PDF --------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(rendered, tmp_path_factory):
    from vanthu.generator.soffice import convert
    out = tmp_path_factory.mktemp("pdf")
    convert(list(rendered.values()), out)
    return {name: out / f"{name}.pdf" for name in FORMS}


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.parametrize("name", FORMS)
def test_pdf_has_the_original_text_on_two_pages(pdfs, name):
    from pypdf import PdfReader
    assert missing_in_order(EXAMPLES / f"{name}.expected.txt", pdf_text(pdfs[name])) == []
    pages = [page.extract_text() for page in PdfReader(pdfs[name]).pages]
    assert len(pages) == 2  # as the original: details and table, then the pledge and signatures
    assert "Kết quả học tập các năm trước" in pages[0] and "XÁC NHẬN CỦA TRƯỜNG" in pages[1]
