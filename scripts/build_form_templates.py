#!/usr/bin/env python3
"""Build the built-in DOCX templates of the corpus forms (biểu mẫu) with python-docx.

The two application forms annexed to Kế hoạch 12/KH-PGD&ĐT (corpus 10): the
pupil's details on dotted fill lines beside a photo box, the results of the
previous years in a table, and three signature areas. They share the styles
and page of scripts/build_templates.py.

    python scripts/build_form_templates.py   # rewrites vanthu/templates/don-xin-du-tuyen-clc-*.docx
"""
import sys
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_templates import (MOTTO, OUT, ROOT, borderless_table, cell, new_document, para,  # noqa: E402
                             rule, tags)
from vanthu.generator.measure import text_width  # noqa: E402
from vanthu.templates import layout as L  # noqa: E402

PHOTO_WIDTH, PHOTO_HEIGHT = 1701, 2268       # ảnh 3×4: 3 cm by 4 cm
SCHOOL = "trường THCS thị trấn Thắng"
INTAKE = "năm học 2020-2021"
KINH_GUI = "Kính gửi: "
KINH_GUI_INDENT = 567                         # 1 cm into the title cell, as in the original
SIGN_GAP = Pt(54)                             # room to sign above the school's confirmation


# --- building blocks --------------------------------------------------------

def box(table_cell):
    """Draw a single line around one cell of a borderless table (the photo box)."""
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    # tcBorders comes after tcW, gridSpan, vMerge and before shd, tcMar, vAlign in the schema.
    table_cell._tc.get_or_add_tcPr().insert_element_before(
        borders, "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def cant_split(row):
    """Keep a table row on one page (the signature areas are not torn apart)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def national_name(document):
    """Quốc hiệu và tiêu ngữ, centred over the text, with the rule under the motto."""
    para(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "VBNational")
    para(document, MOTTO, "VBMotto")
    rule(document, MOTTO, 13, True, L.TEXT_WIDTH)


def photo_and_title(document, title):
    """The photo box on the left; the form's title and Kính gửi beside it."""
    right_width = L.TEXT_WIDTH - PHOTO_WIDTH
    table = borderless_table(document, [PHOTO_WIDTH, right_width])
    row = table.rows[0]
    row.height, row.height_rule = Twips(PHOTO_HEIGHT), WD_ROW_HEIGHT_RULE.AT_LEAST
    photo = cell(table, 0, 0)
    box(photo)
    photo.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    label = para(photo, "Ảnh 3×4", "VBTableText")
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    right = cell(table, 0, 1)
    para(right, f"{title} {{{{ f.grade }}}}", "VBTypeSubject")
    para(right, f"CHẤT LƯỢNG CAO {SCHOOL.upper()}", "VBTypeSubject")
    para(right, INTAKE.upper(), "VBFormTitle")
    kinh_gui(right)
    return table


def kinh_gui(container):
    """Two recipients, the second aligned under the first (after ``Kính gửi: ``)."""
    first = para(container, f"{KINH_GUI}Phòng GD&ĐT Hiệp Hòa;", "VBFormLine")
    first.paragraph_format.left_indent = Twips(KINH_GUI_INDENT)
    second = para(container, "Ban Giám hiệu Trường THCS thị trấn Thắng;", "VBFormLine")
    second.paragraph_format.left_indent = Twips(KINH_GUI_INDENT + text_width(KINH_GUI, 14))
    second.paragraph_format.space_before = Pt(0)


def pupil_lines(document):
    """The pupil's details, one dotted fill line each (a value replaces the dots)."""
    lines = [
        "Tôi em là (chữ in hoa): {{ f.full_name }}",
        "Sinh ngày: {{ f.birth_date.day }} tháng {{ f.birth_date.month }} năm {{ f.birth_date.year }}"
        " Giới tính: {{ f.gender }}",
        "Nơi sinh (Xã, huyện, tỉnh): {{ f.birth_place }}",
        "Hộ khẩu thường trú (Xã, huyện, tỉnh): {{ f.permanent_address }}",
        "Nơi ở hiện nay: (ghi rõ thôn, xã, huyện, tỉnh hoặc số nhà, đường, phường, quận, thành phố): "
        "{{ f.current_address }}",
        "Là học sinh trường: (của năm học 2019-2020) {{ f.school }}",
        "Họ và tên bố: {{ f.father_name }} Nghề nghiệp {{ f.father_job }}",
        "Họ và tên mẹ: {{ f.mother_name }} Nghề nghiệp {{ f.mother_job }}",
        "Số điện thoại của bố: {{ f.father_phone }} Số điện thoại của mẹ: {{ f.mother_phone }}",
        "Kết quả học tập các năm trước:",
    ]
    paragraphs = [para(document, line, "VBFormLine") for line in lines]
    paragraphs[-1].paragraph_format.keep_with_next = True  # the table's caption stays with it
    para(document, "{{p f.results }}", "VBFormLine")


def pledge(document, request):
    """The request and the pledge, from a new page as in the original; they stay with the signatures."""
    first = para(document, request, "VBBody")
    first.paragraph_format.page_break_before = True
    last = para(document, "Em cam đoan những điều khai trên là đúng sự thật, nếu sai em và gia đình "
                "xin chịu hoàn toàn trách nhiệm./.", "VBBody")
    for p in (first, last):
        p.paragraph_format.keep_with_next = True


def signatures(document, form_name):
    """The parent's confirmation beside the pupil's signature; the school's below them."""
    half = L.TEXT_WIDTH // 2
    table = borderless_table(document, [half, L.TEXT_WIDTH - half])
    cant_split(table.rows[0])
    left = cell(table, 0, 0)
    first = para(left, "XÁC NHẬN CỦA CHA, MẸ", "VBSignTitle")
    first.paragraph_format.space_before = Pt(12)
    para(left, "HOẶC NGƯỜI GIÁM HỘ", "VBSignTitle")
    para(left, "Tôi tên là {{ f.guardian_name }} là (cha, mẹ, người giám hộ) {{ f.guardian_relation }} "
         "của học sinh: {{ f.full_name }}; tôi đã đọc kỹ và hoàn toàn nhất trí với nội dung "
         f"{form_name} vào lớp {{{{ f.grade }}}} {SCHOOL} trên đây của con tôi.", "VBFormLine")
    para(left, "(Ký tên và ghi rõ họ tên)", "VBSignNote")
    right = cell(table, 0, 1)
    date = para(right, "Ngày {{ f.date.day }} tháng {{ f.date.month }} năm {{ f.date.year }}", "VBPlaceDate")
    date.paragraph_format.space_before = Pt(12)
    para(right, "HỌC SINH KÝ TÊN", "VBSignTitle")
    para(right, "(Ký tên và ghi rõ họ tên)", "VBSignNote")
    school = para(document, "XÁC NHẬN CỦA TRƯỜNG", "VBSignTitle")
    school.paragraph_format.space_before = SIGN_GAP


def application(title, request, form_name):
    """One application form of corpus 10 (đơn xin dự tuyển / tuyển thẳng)."""
    document = new_document()
    national_name(document)
    photo_and_title(document, title)
    pupil_lines(document)
    pledge(document, request)
    signatures(document, form_name)
    return document


# --- the templates ---------------------------------------------------------

def khao_sat():
    """Đơn xin dự tuyển vào lớp chất lượng cao (qua khảo sát), corpus 10 pages 5-6."""
    return application(
        "ĐƠN XIN DỰ TUYỂN VÀO LỚP",
        "Sau khi nghiên cứu công văn hướng dẫn tuyển sinh vào lớp 6 dự nguồn và các lớp chất lượng cao "
        f"{SCHOOL}, em xin được đăng ký dự tuyển vào lớp {{{{ f.grade }}}} {INTAKE} của {SCHOOL}. "
        "Môn đăng ký dự thi nhân hệ số 2: {{ f.double_subject }}",
        "đơn xin dự tuyển")


def tuyen_thang():
    """Đơn xin tuyển thẳng vào lớp chất lượng cao, corpus 10 pages 7-8."""
    return application(
        "ĐƠN XIN TUYỂN THẲNG VÀO LỚP",
        "Sau khi nghiên cứu công văn hướng dẫn tuyển sinh học sinh đủ điều kiện được tuyển thẳng "
        f"các lớp chất lượng cao {SCHOOL}, em xin được đăng ký dự tuyển vào lớp {{{{ f.grade }}}} "
        f"{INTAKE} của {SCHOOL}.",
        "đơn xin tuyển thẳng")


BUILDERS = {"don-xin-du-tuyen-clc-khao-sat": khao_sat, "don-xin-du-tuyen-clc-tuyen-thang": tuyen_thang}


def main(names=None):
    for name in names or BUILDERS:
        path = OUT / f"{name}.docx"
        BUILDERS[name]().save(path)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
