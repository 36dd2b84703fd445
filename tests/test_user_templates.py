"""The clerk's own templates: a folder of NAME.docx + NAME.yaml adds to or overrides the built-ins."""
import re
import shutil
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from ruamel.yaml import YAML

from conftest import DATA
from readback import docx_paragraphs
from vanthu import yamlfile
from vanthu.templates import BUILTIN_DIR
from vanthu.generator.lint import lint

REQUEST_SCHEMA = """\
name: phieu-yeu-cau
title: Phiếu yêu cầu sửa chữa
kind: form
fields:
  - name: requester
    label: Người yêu cầu
    required: true
  - name: request
    label: Nội dung yêu cầu
    fill: 60
  - name: place
    label: Địa danh
    fill: 20
  - name: date
    label: Ngày
    type: date
"""
REMINDER_SCHEMA = """\
name: thu-nhac
title: Thư nhắc
extends: _document
type_code: TNh
fields:
  - name: deadline
    label: Hạn nộp
    required: true
"""


def _rewrite_part(path, part, change):
    """Edit one part of a .docx in place (as a clerk would in Word)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def own_cong_van(folder):
    """The built-in công văn, copied and edited: ``Nơi nhận:`` becomes ``Nơi nhận (mẫu riêng):``."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".docx", ".yaml"):
        shutil.copy(BUILTIN_DIR / f"cong-van{suffix}", folder / f"cong-van{suffix}")
    _rewrite_part(folder / "cong-van.docx", "word/document.xml",
                  lambda xml: xml.replace("Nơi nhận:", "Nơi nhận (mẫu riêng):"))
    return folder


def request_form(folder):
    """A new form made in python-docx, its title in a style of its own (PhieuTieuDe)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    style = document.styles.add_style("PhieuTieuDe", WD_STYLE_TYPE.PARAGRAPH)
    style.font.bold, style.font.size = True, Pt(15)
    document.add_paragraph("PHIẾU YÊU CẦU SỬA CHỮA", style="PhieuTieuDe")
    for text in ("Người yêu cầu: {{ f.requester }}", "Nội dung: {{ f.request }}", "{{ place_date }}"):
        document.add_paragraph(text)
    document.save(folder / "phieu-yeu-cau.docx")
    (folder / "phieu-yeu-cau.yaml").write_text(REQUEST_SCHEMA, encoding="utf-8")
    return folder


def reminder_document(folder):
    """A new document type extending the built-in base, laid out on a copy of our công văn's styles."""
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document(BUILTIN_DIR / "cong-van.docx")
    body = document.element.body
    for element in list(body)[:-1]:  # keep the final sectPr: page size and margins
        body.remove(element)
    for text, style in (("{{ issuer }}", "VBIssuer"), ("{{ number_line }}", "VBNumber"),
                        ("{{ place_date }}", "VBPlaceDate"), ("{{ heading }}", "VBTypeTitle"),
                        ("{{ subject }}", "VBTypeSubject"), ("{{p body }}", "VBBody"),
                        ("Hạn nộp: {{ v.deadline }}", "VBBody"), ("{{ signer_title }}", "VBSignTitle"),
                        ("{{ signer_name }}", "VBSignName")):
        document.add_paragraph(text, style=style)
    document.save(folder / "thu-nhac.docx")
    (folder / "thu-nhac.yaml").write_text(REMINDER_SCHEMA, encoding="utf-8")
    return folder


def write_yaml(path, data):
    with open(path, "w", encoding="utf-8") as f:
        YAML().dump(data, f)
    return path


def seed_without_attachments(tmp_path, attachments=()):
    data = yamlfile.load(DATA / "4482-SYT-VP.yaml")
    data["attachments"] = list(attachments)
    if not attachments:
        del data["attachments"]
    return write_yaml(tmp_path / "cv.yaml", data)


def test_override_in_home_templates_is_used(cli, tmp_path):
    own_cong_van(tmp_path / "home" / "templates")
    assert lint(tmp_path / "home" / "templates" / "cong-van.docx") == []
    listed = cli("templates").out
    assert len(re.findall(r"^cong-van ", listed, re.M)) == 1
    assert f"Tệp mẫu: {tmp_path / 'home' / 'templates' / 'cong-van.docx'}" in cli("templates", "cong-van").out
    result = cli("render", DATA / "4482-SYT-VP.yaml", "-o", tmp_path / "cv.docx")
    assert result.code == 0, result.err
    text = docx_paragraphs(tmp_path / "cv.docx")
    assert "Nơi nhận (mẫu riêng):" in text and "Nơi nhận:" not in text
    assert "4482/SYT-VP" in " ".join(text)


def test_without_override_the_builtin_is_used(cli, tmp_path):
    assert cli("render", DATA / "4482-SYT-VP.yaml", "-o", tmp_path / "cv.docx").code == 0
    assert "Nơi nhận:" in docx_paragraphs(tmp_path / "cv.docx")


def test_new_form_from_templates_option(cli, tmp_path):
    folder = request_form(tmp_path / "mau")
    assert lint(folder / "phieu-yeu-cau.docx") == []
    listed = cli("--templates", folder, "templates").out
    assert re.search(r"^phieu-yeu-cau +Phiếu yêu cầu sửa chữa \(biểu mẫu\)$", listed, re.M)
    assert cli("--templates", folder, "new", "phieu-yeu-cau", "-o", tmp_path / "r.yaml").code == 0
    data = yamlfile.load(tmp_path / "r.yaml")
    assert data["type"] == "phieu-yeu-cau" and set(data["fields"]) == {"requester", "request", "place", "date"}
    data["fields"].update(requester="Nguyễn Thị B", place="Biên Hòa", date="2020-08-07")
    write_yaml(tmp_path / "r.yaml", data)
    result = cli("--templates", folder, "render", tmp_path / "r.yaml", "-o", tmp_path / "r.docx")
    assert result.code == 0, result.err
    assert docx_paragraphs(tmp_path / "r.docx") == [
        "PHIẾU YÊU CẦU SỬA CHỮA", "Người yêu cầu: Nguyễn Thị B", "Nội dung: " + "." * 60,
        "Biên Hòa, ngày 07 tháng 8 năm 2020"]


def test_unknown_without_the_folder(cli, tmp_path):
    request_form(tmp_path / "mau")
    result = cli("new", "phieu-yeu-cau")
    assert result.code == 1 and "không có mẫu 'phieu-yeu-cau'" in result.err


def test_new_document_type_extends_the_builtin_base(cli, tmp_path):
    folder = reminder_document(tmp_path / "home" / "templates")
    assert lint(folder / "thu-nhac.docx") == []
    data = yamlfile.load(DATA / "4482-SYT-VP.yaml")
    for key in ("unit", "to", "attachments"):
        del data[key]
    data.update(type="thu-nhac", number=12, subject="nộp báo cáo quý III", deadline="30/9/2020")
    write_yaml(tmp_path / "tn.yaml", data)
    skeleton = cli("new", "thu-nhac").out
    assert "# Hạn nộp (bắt buộc)" in skeleton and "signer:" in skeleton  # the base's fields came along
    result = cli("render", tmp_path / "tn.yaml", "-o", tmp_path / "tn.docx")
    assert result.code == 0, result.err
    text = docx_paragraphs(tmp_path / "tn.docx")
    assert text[:5] == ["SỞ Y TẾ", "Số: 12/TNh-SYT", "Đồng Nai, ngày 06 tháng 8 năm 2020", "THƯ NHẮC",
                        "nộp báo cáo quý III"]
    assert "Hạn nộp: 30/9/2020" in text and text[-2:] == ["GIÁM ĐỐC", "Phan Huy Anh Vũ"]


def test_user_schema_missing_its_base(cli, tmp_path):
    folder = request_form(tmp_path / "mau")
    (folder / "phieu-yeu-cau.yaml").write_text(REQUEST_SCHEMA + "extends: _khong_co\n", encoding="utf-8")
    result = cli("--templates", folder, "new", "phieu-yeu-cau")
    assert result.code == 1 and "extends: không có lược đồ gốc '_khong_co'" in result.err


def _styles_and_document(path):
    with zipfile.ZipFile(path) as z:
        return z.read("word/styles.xml").decode("utf-8"), z.read("word/document.xml").decode("utf-8")


def test_attachment_brings_its_styles_into_the_main_document(cli, tmp_path):
    folder = request_form(tmp_path / "mau")
    record = seed_without_attachments(tmp_path, [{"type": "phieu-yeu-cau", "fields": {"requester": "Trần C"}}])
    result = cli("--templates", folder, "render", record, "-o", tmp_path / "cv.docx")
    assert result.code == 0, result.err
    styles, document = _styles_and_document(tmp_path / "cv.docx")
    assert 'w:styleId="PhieuTieuDe"' in styles and 'w:val="PhieuTieuDe"' in document
    assert styles.count('w:styleId="VBBody"') == 1  # shared styles keep the main template's definition
    title = docx.Document(tmp_path / "cv.docx").paragraphs
    title = next(p for p in title if p.text == "PHIẾU YÊU CẦU SỬA CHỮA")
    assert title.style.name == "PhieuTieuDe" and title.style.font.size == Pt(15)
    assert "Người yêu cầu: Trần C" in docx_paragraphs(tmp_path / "cv.docx")


def test_styles_untouched_when_nothing_is_missing(cli, tmp_path):
    """Built-in attachments share our styles: styles.xml stays byte-for-byte the template's."""
    assert cli("render", DATA / "4482-SYT-VP.yaml", "-o", tmp_path / "cv.docx").code == 0
    with zipfile.ZipFile(BUILTIN_DIR / "cong-van.docx") as z:
        assert _styles_and_document(tmp_path / "cv.docx")[0] == z.read("word/styles.xml").decode("utf-8")


def test_a_shared_layout_can_be_overridden_alone(cli, tmp_path):
    """A clerk's van-ban.docx is used by every type that fills it, without copying the schemas."""
    import shutil
    from vanthu.templates import BUILTIN_DIR, TemplateLibrary
    own = tmp_path / "mine"
    own.mkdir()
    shutil.copy(BUILTIN_DIR / "van-ban.docx", own / "van-ban.docx")
    library = TemplateLibrary([own])
    assert library.get("thong-bao").docx_path == own / "van-ban.docx"
    assert TemplateLibrary().get("thong-bao").docx_path == BUILTIN_DIR / "van-ban.docx"


def test_a_missing_templates_folder_is_an_error(cli, tmp_path):
    result = cli("--templates", tmp_path / "khong-co", "templates")
    assert result.code == 1 and "không có thư mục" in result.err
