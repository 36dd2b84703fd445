#!/usr/bin/env python3
"""Build the built-in DOCX templates (mẫu) of vanthu with python-docx.

The .docx files in vanthu/templates/ are the templates clerks open and edit in
Word; this script is how we made them, so that every built-in template shares
one set of styles and the geometry of vanthu/templates/layout.py.

    python scripts/build_templates.py        # rewrites vanthu/templates/*.docx
"""
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'scripts'))
from vanthu.generator.measure import text_width  # noqa: E402
from vanthu.generator.ooxml import fixed_layout, set_table_property, table_borders  # noqa: E402
from vanthu.templates import layout as L  # noqa: E402

OUT = ROOT / "vanthu" / "templates"
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
         "both": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}
FONT = "Times New Roman"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- document, page and styles ---------------------------------------------

def _set_fonts(rpr):
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # drop theme fonts: they would override Times New Roman
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), FONT)


def _defaults(document):
    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    _set_fonts(rpr)
    for tag, value in (("w:sz", "28"), ("w:szCs", "28"), ("w:lang", None)):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        if tag == "w:lang":
            el.set(qn("w:val"), "vi-VN")
        else:
            el.set(qn("w:val"), value)
    ppr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
    ppr.insert(0, OxmlElement("w:widowControl"))  # no widow or orphan line in any paragraph (LibreOffice: 2 lines)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    _set_fonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0


def _style(document, name, spec):
    size, bold, italic, align, extra = spec
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    pf = style.paragraph_format
    pf.alignment = ALIGN[align]
    pf.space_before, pf.space_after = Pt(extra.get("before", 0)), Pt(extra.get("after", 0))
    pf.line_spacing = 1.0
    if "first" in extra:
        pf.first_line_indent = Twips(extra["first"])
    if "left" in extra:
        pf.left_indent = Twips(extra["left"])
    if extra.get("keep"):
        pf.keep_with_next = True
    return style


def _border(ppr, sides, size=6):
    borders = OxmlElement("w:pBdr")
    for side in sides:
        el = OxmlElement(f"w:{side}")
        for k, v in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", "000000")):
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    # pBdr comes before tabs, spacing, ind and jc in the schema; Word is strict about the order.
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")


def _styles(document):
    _defaults(document)
    for name, spec in L.STYLES.items():
        style = _style(document, name, spec)
        if name == "VBRule":  # an empty paragraph whose bottom border is the rule
            _border(style.element.get_or_add_pPr(), ["bottom"])
        if name == "VBMark":  # urgency and circulation marks sit in a single-line box
            _border(style.element.get_or_add_pPr(), ["top", "left", "bottom", "right"], 8)


def _page(document):
    section = document.sections[0]
    section.page_width, section.page_height = Twips(L.PAGE_WIDTH), Twips(L.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(L.MARGIN_TOP), Twips(L.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(L.MARGIN_LEFT), Twips(L.MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Twips(L.HEADER_DISTANCE)
    section.different_first_page_header_footer = True  # no page number on page 1
    header = section.header.paragraphs[0]
    header.style = document.styles["VBPageNumber"]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    header._p.append(field)


KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}


def _slim(document):
    """Drop python-docx's default baggage (latent styles, 'styles with effects', a
    thumbnail): the template stays small, so each render zips little."""
    styles = document.styles.element
    styles.remove(styles.find(qn("w:latentStyles")))
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            document.part.drop_rel(rel.rId)
    package_rels = document.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rId]


def new_document():
    document = docx.Document()
    document.element.body.remove(document.paragraphs[0]._p) if document.paragraphs else None
    _slim(document)
    _styles(document)
    _page(document)
    props = document.core_properties
    props.author, props.title, props.comments = "vanthu", "", "Mẫu của vanthu (Nghị định 30/2020/NĐ-CP)"
    return document


# --- building blocks --------------------------------------------------------

def para(container, text, style):
    p = container.add_paragraph(text)
    p.style = style  # by name: python-docx looks it up in the document's styles
    return p


def tags(container, text):
    """A paragraph holding only a docxtpl block tag ({%p ... %}), removed at render time."""
    return para(container, text, "Normal")


def rule(container, width_text, size, bold, cell_width, share=1.0):
    """A real horizontal rule: a bordered empty paragraph narrowed by indents."""
    length = min(text_width(width_text, size, bold), cell_width) * share
    side = int((cell_width - length) / 2)
    p = para(container, "", "VBRule")
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Twips(side)
    return p


def borderless_table(document, widths, rows=1, indent=0):
    table = document.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    tblpr = table._tbl.tblPr
    set_table_property(tblpr, table_borders("nil"))
    set_table_property(tblpr, fixed_layout())
    if indent:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(indent))
        ind.set(qn("w:type"), "dxa")
        set_table_property(tblpr, ind)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Twips(width)
    for col, width in zip(table.columns, widths):
        col.width = Twips(width)
    return table


def keep_rows_whole(table):
    """Rows that never split across pages (the signature block: authority, title, signature, name)."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))


def keep_with_next_row(table, row):
    """Every paragraph of ``row`` kept with what follows: the next row stays on its page."""
    for c in table.rows[row].cells:
        for p in c.paragraphs:
            p.paragraph_format.keep_with_next = True


def cell(table, row, col):
    c = table.cell(row, col)
    c._tc.remove(c.paragraphs[0]._p)  # python-docx adds an empty paragraph; we add our own
    return c


# --- the shared parts of every administrative document ---------------------

def header_table(document, with_cv_subject, with_date=True):
    """Ô 1-4 (and 5b for công văn): issuing body | national name; number | place and date.

    Ô 11 (circulation mark) is a frame in the top margin above the national name, out of the
    flow; a biên bản has no date (model 1.9).
    """
    table = borderless_table(document, [L.HEADER_LEFT, L.HEADER_RIGHT], rows=2, indent=L.HEADER_INDENT)
    left = cell(table, 0, 0)
    when(left, "parent", "{{ parent }}", "VBParent")
    para(left, "{{p issuer_paragraph }}", "VBIssuer")  # its lines and size fitted to the cell
    para(left, "{{p issuer_rule }}", "VBRule")
    para(left, "", "VBCellEnd")  # a cell keeps one paragraph whatever the tags remove
    right = cell(table, 0, 1)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "VBNational")
    para(right, MOTTO, "VBMotto")
    rule(right, MOTTO, 13, True, L.HEADER_RIGHT - 2 * L.CELL_MARGIN)
    left = cell(table, 1, 0)
    para(left, "{{ number_line }}", "VBNumber")
    if with_cv_subject:
        para(left, "{{ subject_line }}", "VBSubjectCV")
    para(left, "{{p marks }}", "VBMark")
    right = cell(table, 1, 1)
    if with_date:
        para(right, "{{p place_date_paragraph }}", "VBPlaceDate")  # on one line
    para(right, "", "Normal")  # a cell must keep one paragraph when the date is left out
    para(document, "{{p circulation }}", "VBMark")  # a frame placed on the page: after the table, it moves nothing
    return table


def contact_footer(document):
    """Ô 13: address, phone, e-mail at the foot of page 1 only, under a full-width rule."""
    document.sections[0].footer.is_linked_to_previous = False  # an empty footer for the other pages
    document.sections[0].footer.paragraphs[0].style = "Normal"  # python-docx's own names a 'Footer' style we drop
    footer = document.sections[0].first_page_footer
    footer._element.remove(footer.paragraphs[0]._p)
    tags(footer, "{%p if contact %}")
    para(footer, "", "VBRule")
    each(footer, "line in contact", "{{ line }}", "VBContact")
    tags(footer, "{%p endif %}")
    if not footer.paragraphs or footer.paragraphs[-1].text.startswith("{%"):
        para(footer, "", "Normal")  # a footer keeps one paragraph when there is no contact


def title_block(document):
    """Ô 5a: the type's name, the subject (both bold, centred), a short rule."""
    para(document, "{{ heading }}", "VBTypeTitle")
    when(document, "subject", "{{ subject }}", "VBTypeSubject")
    para(document, "{{p subject_rule }}", "VBRule")


def decision_block(document):
    """Quyết định, nghị quyết: the deciding authority, the italic bases, ``QUYẾT ĐỊNH:``."""
    when(document, "decision_authority", "{{ decision_authority }}", "VBAuthority")
    each(document, "line in bases", "{{ line }}", "VBBase")
    when(document, "decides", "{{ decides }}", "VBAuthority")


def when(container, condition, text, style):
    """A paragraph printed only when ``condition`` holds ({%p if %})."""
    tags(container, f"{{%p if {condition} %}}")
    para(container, text, style)
    tags(container, "{%p endif %}")


def each(container, loop, text, style):
    """A paragraph repeated for each item ({%p for %})."""
    tags(container, f"{{%p for {loop} %}}")
    para(container, text, style)
    tags(container, "{%p endfor %}")


def lines(document, *texts, style="VBBody"):
    """Fixed lines of a model; a line whose first tag is ``?name`` prints only when ``v.name`` is set."""
    for line in texts:
        if line.startswith("?"):
            name, _, line = line[1:].partition(" ")
            when(document, f"v.{name}", line, style)
        else:
            para(document, line, style)


def kinh_gui(document):
    """Ô 9a: one recipient inline, several as a dash list under the colon."""
    when(document, "to_inline", "Kính gửi: {{ to_inline }}", "VBKinhGui")
    tags(document, "{%p if to_list %}")
    para(document, "Kính gửi:", "VBKinhGui")
    each(document, "item in to_list", "{{ item }}", "VBKinhGuiItem")
    tags(document, "{%p endif %}")


def signature_table(document):
    """Ô 9b | ô 7: Nơi nhận beside the signature block, level at the top (no spacing inside the cells)."""
    para(document, "", "VBSpacer")
    table = borderless_table(document, [L.FOOTER_LEFT, L.FOOTER_RIGHT])
    left = cell(table, 0, 0)
    para(left, "Nơi nhận:", "VBNoiNhan")
    each(left, "item in cc", "{{ item }}", "VBNoiNhanItem")
    tags(left, "{%p if drafter_line %}")
    para(left, "{{ drafter_line }}", "VBNoiNhanItem")  # ô 12
    tags(left, "{%p endif %}")
    right = cell(table, 0, 1)
    each(right, "line in authority", "{{ line }}", "VBSignTitle")
    para(right, "{{ signer_title }}", "VBSignTitle")
    para(right, "{{ signer_name }}", "VBSignName")
    keep_rows_whole(table)
    return table


# --- the templates ---------------------------------------------------------

def cong_van():
    """Mẫu 1.5: công văn (V/v under the number, no title block)."""
    return _typed(kinh_gui, typed=False)


def _typed(middle, typed=True):
    """The frame the models share: header, title block (typed documents), the model's own lines, body, signature."""
    document = new_document()
    header_table(document, with_cv_subject=not typed)
    if typed:
        title_block(document)
    middle(document)
    para(document, "{{p body }}", "VBBody")
    signature_table(document)
    contact_footer(document)
    return document


def _decision_and_recipients(document):
    decision_block(document)
    kinh_gui(document)


def _telegram_lines(document):
    para(document, "{{ v.sender }} điện:", "VBCenter")  # model 1.6: centred; the sender defaults to the issuer
    each(document, "item in to_list or [to_inline]", "{{ item if to_list else '- ' ~ item }}", "VBKinhGuiItem")


def _invitation_lines(document):
    """Model 1.7: one invitee on the ``trân trọng kính mời:`` line itself, several as a list under it."""
    para(document, "{{ v.inviter }} trân trọng kính mời:{{ ' ' ~ to_named if to_named else '' }}", "VBBody")
    each(document, "item in to_list", "{{ item }}", "VBBody")
    each(document, "line in meeting", "{{ line }}", "VBBody")


def typed_document():
    """Mẫu 1.1, 1.2, 1.3, 1.4: a document with a type name (quyết định, thông báo, kế hoạch...)."""
    return _typed(_decision_and_recipients)


def cong_dien():
    """Mẫu 1.6: công điện — ``{người gửi} điện:`` and a dash list of recipients."""
    return _typed(_telegram_lines)


def giay_moi():
    """Mẫu 1.7: giấy mời — ``... trân trọng kính mời:``, then Tới dự, Chủ trì, Thời gian, Địa điểm."""
    return _typed(_invitation_lines)


def giay_gioi_thieu():
    """Mẫu 1.8: giấy giới thiệu."""
    return _typed(_introduction_lines)


def _introduction_lines(document):
    """Model 1.8: the introducer's line centred, then the person's lines."""
    para(document, "{{ v.introducer }} trân trọng giới thiệu:", "VBCenter")
    lines(document, "Ông (bà) {{ v.person }}",
        "?position Chức vụ: {{ v.position }}", "Được cử đến: {{ v.destination }}", "Về việc: {{ v.purpose }}",
        "Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.",
        "?valid_until Giấy này có giá trị đến hết ngày {{ v.valid_until }}./.")


def giay_nghi_phep():
    """Mẫu 1.10: giấy nghỉ phép, its closing line and the confirmation box of the place of leave."""
    document = _typed(lambda document: lines(
        document, "?request_date Xét Đơn đề nghị nghỉ phép ngày {{ v.request_date }} của ông (bà) {{ v.person }},",
        "{{ v.grantor }} cấp cho:", "Ông (bà): {{ v.person }}", "?position Chức vụ: {{ v.position }}",
        "?unit_name Thuộc cơ quan, đơn vị: {{ v.unit_name }}",
        "Được nghỉ phép trong thời gian {{ v.days }} ngày, kể từ ngày {{ v.from_date }} "
        "đến hết ngày {{ v.to_date }} tại {{ v.leave_place }}.",
        "Số ngày nghỉ phép nêu trên được tính vào thời gian nghỉ phép {{ v.leave_kind or 'năm' }}./."))
    confirmation_box(document.tables[-1])
    return document


def confirmation_box(table):
    """Model 1.10: under Nơi nhận, the confirmation of the body or commune where the leave is spent."""
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left = cell(table, 1, 0)
    para(left, "Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép (nếu cần)", "VBConfirm")
    para(left, "(Chữ ký, dấu)", "VBConfirm")
    cell(table, 1, 1).add_paragraph("")


def bien_ban():
    """Mẫu 1.9: biên bản — no date in the header; the model's fixed lines; THƯ KÝ signs left, CHỦ TỌA right,
    Nơi nhận under the secretary."""
    document = new_document()
    header_table(document, with_cv_subject=False, with_date=False)
    title_block(document)
    lines(document, "?start_time Thời gian bắt đầu: {{ v.start_time }}", "?venue Địa điểm: {{ v.venue }}",
          "?attendees Thành phần tham dự: {{ v.attendees }}", "Chủ trì (chủ tọa): {{ signer_name }}",
          "Thư ký (người ghi biên bản): {{ v.secretary }}",
          "Nội dung (theo diễn biến cuộc họp/hội nghị/hội thảo):")
    para(document, "{{p body }}", "VBBody")
    lines(document, "?end_time Cuộc họp (hội nghị, hội thảo) kết thúc vào {{ v.end_time }}./.")
    para(document, "", "VBSpacer")
    table = borderless_table(document, [L.FOOTER_LEFT + 600, L.FOOTER_RIGHT - 600], rows=2)
    left = cell(table, 0, 0)
    para(left, "THƯ KÝ", "VBSignTitle")
    para(left, "{{ v.secretary }}", "VBSignName")
    right = cell(table, 0, 1)
    each(right, "line in authority", "{{ line }}", "VBSignTitle")
    para(right, "{{ signer_title }}", "VBSignTitle")
    para(right, "{{ signer_name }}", "VBSignName")
    left = cell(table, 1, 0)
    para(left, "Nơi nhận:", "VBNoiNhan")
    each(left, "item in cc", "{{ item }}", "VBNoiNhanItem")
    cell(table, 1, 1).add_paragraph("")
    keep_rows_whole(table)
    keep_with_next_row(table, 0)  # Nơi nhận stays with the signatures
    return document


def hai_ben():
    """Hợp đồng, bản ghi nhớ, bản thỏa thuận: ĐẠI DIỆN BÊN A (the issuer's signer) left, BÊN B right,
    one unsplittable row; Nơi nhận under them."""
    document = new_document()
    header_table(document, with_cv_subject=False)
    title_block(document)
    para(document, "{{p body }}", "VBBody")
    para(document, "", "VBSpacer")
    table = borderless_table(document, [L.TEXT_WIDTH // 2, L.TEXT_WIDTH - L.TEXT_WIDTH // 2], rows=2)
    for column, prefix in ((0, ""), (1, "counterpart_")):
        side = cell(table, 0, column)
        para(side, f"ĐẠI DIỆN BÊN {'AB'[column]}", "VBSignTitle")
        each(side, f"line in {prefix or ''}authority", "{{ line }}", "VBSignTitle")
        para(side, f"{{{{ {prefix}signer_title }}}}" if not prefix else "{{ counterpart_title }}", "VBSignTitle")
        para(side, f"{{{{ {prefix}signer_name }}}}" if not prefix else "{{ counterpart_name }}", "VBSignName")
    left = cell(table, 1, 0)
    para(left, "Nơi nhận:", "VBNoiNhan")
    each(left, "item in cc", "{{ item }}", "VBNoiNhanItem")
    cell(table, 1, 1).add_paragraph("")
    keep_rows_whole(table)
    keep_with_next_row(table, 0)
    contact_footer(document)
    return document


def ban_sao():
    """Mẫu 3.1: the copy block (thành phần thể thức bản sao, Phụ lục I Phần II) printed under the copied
    text: a full-width rule; copying body and number | SAO Y and place, date; Nơi nhận | signer."""
    document = new_document()
    para(document, "", "VBRule").paragraph_format.space_after = Pt(6)  # the text's whole width (II.2.a): no indents
    table = borderless_table(document, [L.HEADER_LEFT, L.HEADER_RIGHT], rows=2, indent=L.HEADER_INDENT)
    left = cell(table, 0, 0)
    para(left, "{{p issuer_paragraph }}", "VBIssuer")
    para(left, "{{p issuer_rule }}", "VBRule")
    para(left, "", "VBCellEnd")
    para(cell(table, 0, 1), "{{ form }}", "VBSignTitle")  # SAO Y: capitals, bold, 14 pt (II.2.b)
    para(cell(table, 1, 0), "{{ number_line }}", "VBNumber")
    right = cell(table, 1, 1)
    para(right, "{{p place_date_paragraph }}", "VBPlaceDate")
    para(right, "", "VBCellEnd")  # a cell keeps one paragraph whatever the tags remove
    keep_rows_whole(table)
    keep_with_next_row(table, 0)
    keep_with_next_row(table, 1)
    signature_table(document)
    return document


def form_line(document, text, style="VBFormLine"):
    return para(document, text, style)


def bluezone_form():
    """Bảng đăng ký tài khoản hệ thống quản lý dữ liệu BlueZone (Bộ Y tế, 2020)."""
    document = new_document()
    para(document, "BẢNG ĐĂNG KÝ TÀI KHOẢN HỆ THỐNG QUẢN LÝ DỮ LIỆU BLUEZONE", "VBFormTitle")
    form_line(document, "1. Tên CDC/Trung tâm Y tế dự phòng tỉnh, thành phố: {{ f.organization }}")
    form_line(document, "2. Họ tên người quản lý tài khoản: {{ f.manager_name }}")
    form_line(document, "3. Chức vụ: {{ f.position }}")
    form_line(document, "4. Số điện thoại: {{ f.phone }}")
    form_line(document, "Lưu ý: Số điện thoại có thể nhận tin nhắn để xác thực OTP;", "VBFormNote")
    form_line(document, "5. Email (email công vụ): {{ f.email }}")
    form_line(document, "6. Nội dung cam kết, đóng dấu, ký tên:")
    body = para(document, "- CDC/Trung tâm Y tế dự phòng tỉnh, thành phố cam kết sử dụng hệ thống quản lý dữ liệu "
                "BlueZone theo đúng tài khoản được bàn giao cho các cá nhân nói trên và chịu trách nhiệm bảo mật "
                "các dữ liệu được khai thác trên hệ thống.", "VBBody")
    body.paragraph_format.keep_with_next = True
    table = borderless_table(document, [L.FOOTER_LEFT, L.FOOTER_RIGHT])
    cell(table, 0, 0).add_paragraph("")
    right = cell(table, 0, 1)
    para(right, "{{ place_date }}", "VBPlaceDate")
    para(right, "THỦ TRƯỞNG ĐƠN VỊ", "VBSignTitle")
    para(right, "(Ghi rõ họ tên, ký và đóng dấu)", "VBSignNote")
    when(right, "f.head_name", "{{ f.head_name }}", "VBSignName")
    keep_rows_whole(table)
    return document


BUILDERS = {"cong-van": cong_van, "dang-ky-tai-khoan-bluezone": bluezone_form, "van-ban": typed_document,
            "cong-dien": cong_dien, "giay-moi": giay_moi, "giay-gioi-thieu": giay_gioi_thieu,
            "giay-nghi-phep": giay_nghi_phep, "bien-ban": bien_ban, "hai-ben": hai_ben,
            "ban-sao": ban_sao}


BLOCKS = {"ban-sao"}  # parts laid onto other documents' pages, not templates of a type: no schema (templates/blocks/)


def main(names=None):
    for name in names or BUILDERS:
        path = OUT / "blocks" / f"{name}.docx" if name in BLOCKS else OUT / f"{name}.docx"
        BUILDERS[name]().save(path)
        print(path.relative_to(ROOT))
    if not names:
        import document_types
        document_types.write_schemas(OUT)


if __name__ == "__main__":
    main(sys.argv[1:])
