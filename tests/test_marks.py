"""Phụ lục I §III.2: urgency and confidentiality stamps in the decree's sizes and red; ô 11 in the
top margin, moving nothing of ô 1-4 (read back from the DOCX and from the PDF's text positions)."""
import pytest
from docx.oxml.ns import qn
from ruamel.yaml import YAML

from layout import all_paragraphs, open_docx
from pdfkit import pages_of_outline, reader_of
from test_document_types import EXAMPLES
from vanthu import yamlfile
from vanthu.generator import ooxml
from vanthu.generator.pdfrender import render_pdf
from vanthu.generator.signing import find_line, text_lines
from vanthu.templates import layout as L

MM = L.TWIPS_PER_MM
CELL = L.HEADER_LEFT - 2 * L.CELL_MARGIN


def write(folder, name, **changes):
    record = yamlfile.load(EXAMPLES / "369-PGDDT.yaml")
    record.update(changes)
    with open(folder / f"{name}.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    return folder / f"{name}.yaml"


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    from conftest import run_cli
    folder = tmp_path_factory.mktemp("marks")
    path = write(folder, "marked", urgency="thượng khẩn", confidentiality="tối mật", circulation="lưu hành nội bộ")
    assert run_cli("render", path, "-o", folder / "marked.docx").code == 0
    return open_docx(folder / "marked.docx")


def box_of(paragraph):
    """(width, height) of a boxed paragraph in mm, from its indents, frame and exact line."""
    ppr = paragraph._p.pPr
    ind, spacing = ppr.find(qn("w:ind")), ppr.find(qn("w:spacing"))
    frame = 2 * ooxml._FRAME
    width = CELL - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right"))) + frame
    height = int(spacing.get(qn("w:line"))) + frame
    return round(width / MM, 1), round(height / MM, 1)


@pytest.mark.parametrize("text, width", [("THƯỢNG KHẨN", 40), ("TỐI MẬT", 30)])
def test_stamps_have_the_decrees_size_and_red_ink(marked, text, width):
    p = next(p for p in all_paragraphs(marked) if p.text == text)
    assert box_of(p) == (width, 8.0)
    borders = p._p.pPr.find(qn("w:pBdr"))
    assert {b.get(qn("w:color")) for b in borders} == {"FF0000"}
    assert {str(r.font.color.rgb) for r in p.runs} == {ooxml.RED}


def test_circulation_mark_is_a_frame_in_the_top_margin(marked):
    p = next(p for p in all_paragraphs(marked) if p.text == "LƯU HÀNH NỘI BỘ")
    frame = p._p.pPr.find(qn("w:framePr"))
    assert frame.get(qn("w:vAnchor")) == "page" and int(frame.get(qn("w:y"))) + ooxml.STAMP_HEIGHT < L.MARGIN_TOP
    centre = (int(frame.get(qn("w:x"))) + int(frame.get(qn("w:w"))) / 2) / L.TEXT_WIDTH
    assert 0.58 <= centre <= 0.85


@pytest.mark.pdf
def test_circulation_mark_moves_nothing_and_prints_above_the_national_name(tmp_path, private_tmp):
    paths = [write(tmp_path, "plain"), write(tmp_path, "marked", circulation="xem xong trả lại")]
    report = render_pdf(paths, tmp_path / "both.pdf")
    assert report.ok, report.problems
    reader = reader_of(tmp_path / "both.pdf")
    (_, first, _), (_, second, _) = pages_of_outline(reader)
    plain, marked = text_lines(reader.pages[first]), text_lines(reader.pages[second])
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập", "Số:", "ngày", "PHÒNG GIÁO DỤC"):
        assert abs(find_line(plain, text).y - find_line(marked, text).y) < 0.5, text
    mark, national = find_line(marked, "XEM XONG TRẢ LẠI"), find_line(marked, "CỘNG HÒA XÃ HỘI")
    page_top = float(reader.pages[second].mediabox.top)
    assert page_top - 20 / 25.4 * 72 < mark.y < page_top  # in the 20 mm top margin, so above ô 1
    assert mark.y > national.y
