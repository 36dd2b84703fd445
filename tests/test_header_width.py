"""The header's left column made wider for an issuer that would otherwise break (issue 11, Deliver 2):
13 then 12 pt first, then a wider column out of what the right one can spare, then balanced lines."""
import re
import shutil
import zipfile

import pytest

from conftest import run_cli
from test_document_types import EXAMPLES
from vanthu.generator.context import issuer_lines
from vanthu.generator.measure import text_width
from vanthu.generator.signing import text_lines
from vanthu.templates import BUILTIN_DIR, layout as L

RIGHT_CELL = L.HEADER_RIGHT - 2 * L.CELL_MARGIN
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _header_table(docx):
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return next(t for t in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S) if NATIONAL in t)


def _grid(table):
    return [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]


def test_the_column_grows_only_as_far_as_the_right_one_can_spare():
    wider, size, lines = issuer_lines("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Hiệp Hòa, ngày 09 tháng 7 năm 2020")
    assert lines == ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"] and size == 13 and 0 < wider < 600
    assert text_width(NATIONAL, 12, True) < RIGHT_CELL - wider  # the national name keeps its one line
    assert issuer_lines("SỞ Y TẾ", "Đồng Nai, ngày 06 tháng 8 năm 2020") == (0, 13, ["SỞ Y TẾ"])  # nothing to do
    # too long for any spare width: balanced lines, the column as it is
    assert issuer_lines("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Bà Rịa, ngày 01 tháng 01 năm 2020")[0] == 0
    # a long ô 4 (14 pt on one line) leaves nothing to spare
    assert issuer_lines("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Thành phố Hồ Chí Minh, ngày 28 tháng 02 năm 2021")[0] == 0
    # the clerk's own break is kept
    assert issuer_lines("PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO", "Hiệp Hòa, ngày 09 tháng 7 năm 2020")[0] == 0


def test_the_rendered_header_has_the_wider_grid_the_name_on_one_line_and_the_motto_rule_centred(tmp_path):
    out = tmp_path / "kh.docx"
    assert run_cli("render", EXAMPLES / "12-KH-PGDDT.yaml", "-o", out).code == 0
    table = _header_table(out)
    wider = issuer_lines("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Hiệp Hòa, ngày 09 tháng 7 năm 2020")[0]
    assert _grid(table) == [L.HEADER_LEFT + wider, L.HEADER_RIGHT - wider]
    widths = [int(w) for w in re.findall(r'<w:tcW w:type="dxa" w:w="(\d+)"/>', table)]
    assert widths == [L.HEADER_LEFT + wider, L.HEADER_RIGHT - wider] * 2
    issuer = re.search(r'<w:pStyle w:val="VBIssuer"/>.*?</w:p>', table, re.S).group(0)
    assert "<w:br/>" not in issuer and "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" in issuer
    right = re.findall(r"<w:tc>.*?</w:tc>", table, re.S)[1]
    (left_ind, right_ind), = re.findall(r'VBRule"/>.*?<w:ind w:left="(\d+)" w:right="(\d+)"/>', right, re.S)
    motto = text_width("Độc lập - Tự do - Hạnh phúc", 13, True)
    assert left_ind == right_ind and abs(2 * int(left_ind) + motto - (L.HEADER_RIGHT - wider - 2 * L.CELL_MARGIN)) < 3


@pytest.mark.pdf
def test_in_the_pdf_the_name_is_one_line_clear_of_the_national_name(tmp_path):
    from pypdf import PdfReader
    out = tmp_path / "kh.pdf"
    assert run_cli("render", EXAMPLES / "12-KH-PGDDT.yaml", "-o", out).code == 0
    lines = text_lines(PdfReader(str(out)).pages[0])
    (issuer,) = [line for line in lines if "PHÒNG GIÁO DỤC" in line.text]
    (national,) = [line for line in lines if line.text == NATIONAL]
    assert issuer.text == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" and not [line for line in lines if line.text == "VÀ ĐÀO TẠO"]
    assert issuer.x + text_width(issuer.text, 13, True) / 20 < national.x  # the two columns do not touch


def test_a_clerks_own_layout_keeps_its_grid_and_the_name_is_broken_to_fit_it(tmp_path):
    own = tmp_path / "mau"
    own.mkdir()
    source = BUILTIN_DIR / "van-ban.docx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(own / "van-ban.docx", "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(f'w:w="{L.HEADER_LEFT}"'.encode(), b'w:w="3900"')  # a grid of its own
            out.writestr(item, data)
    shutil.copy(BUILTIN_DIR / "ke-hoach.yaml", own / "ke-hoach.yaml")
    docx = tmp_path / "kh.docx"
    result = run_cli("--templates", own, "render", EXAMPLES / "12-KH-PGDDT.yaml", "-o", docx)
    assert result.code == 0, result.err
    table = _header_table(docx)
    assert _grid(table) == [3900, L.HEADER_RIGHT]
    issuer = re.search(r'<w:pStyle w:val="VBIssuer"/>.*?</w:p>', table, re.S).group(0)
    assert "<w:br/>" in issuer  # fitted to the template's own column: balanced lines
