"""Issue 6: every document type of the decree, laid out per its model, and the corpus examples."""
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from ruamel.yaml import YAML

from layout import all_paragraphs, find, has_bottom_border, look, open_docx, para_property, width_of
from readback import docx_paragraphs, missing_in_order, pdf_text
from vanthu import yamlfile
from vanthu.templates import TemplateLibrary
from vanthu.templates import layout as L

EXAMPLES = Path(__file__).parent.parent / "examples"
SAMPLE = {"text": "Mẫu", "block": "Nội dung thử.", "code": "VP", "number": 7, "date": "2020-08-06",
          "list": ["Nơi một", "Nơi hai"], "recipients": ["Như trên", "Lưu: VT"], "bases": ["Căn cứ A"],
          "lines": ["Địa chỉ: Số 1"], "phone": "0912 345 678", "email": "a@b.vn",
          "choice": None, "records": None, "table": None,
          "issuer": {"parent": "UBND TỈNH ĐỒNG NAI", "name": "Sở Y tế", "code": "SYT"},
          "signer": {"title": "Giám đốc", "name": "Nguyễn Văn A"},
          "meeting": {"event": "Hội nghị", "time": "8 giờ", "venue": "Hội trường"},
          "appendices": [{"title": "Quy chế", "body": "Điều 1. Phạm vi"}]}


def filled_skeleton(cli, tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    assert cli("new", name, "-o", path).code == 0
    data = yamlfile.load(path)
    fields = data["fields"] if "fields" in data else data
    for field in TemplateLibrary().get(name).fields.values():
        if SAMPLE.get(field.type) is not None:
            fields[field.name] = SAMPLE[field.type]
    with open(path, "w", encoding="utf-8") as f:
        YAML().dump(data, f)
    return path


@pytest.mark.parametrize("name", TemplateLibrary().names())
def test_every_type_has_a_skeleton_that_renders(cli, tmp_path, name):
    record = filled_skeleton(cli, tmp_path, name)
    result = cli("render", record, "-o", tmp_path / "out.docx")
    assert result.code == 0, result.err
    text = docx_paragraphs(tmp_path / "out.docx")
    template = TemplateLibrary().get(name)
    if template.kind == "document":
        code = template.type_code
        assert f"Số: 07/{code}-SYT" in text if code else "Số: 07/SYT-VP" in text
        if code:
            assert (template.heading or template.title.upper()) in text


@pytest.fixture(scope="module")
def decision(tmp_path_factory):
    from conftest import run_cli
    folder = tmp_path_factory.mktemp("qd")
    record = yamlfile.load(EXAMPLES / "166-QD-PGDDT.yaml")
    record["urgency"], record["confidentiality"], record["circulation"] = "khẩn", "mật", "xem xong trả lại"
    record["drafter"], record["copies"] = "pl", 30
    record["contact"] = ["Địa chỉ: Thị trấn Thắng, Hiệp Hòa"]
    record["signer"]["authority"] = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    record["signer"]["title"] = "PHÓ CHỦ TỊCH"
    with open(folder / "qd.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    assert run_cli("render", folder / "qd.yaml", "-o", folder / "qd.docx").code == 0
    return open_docx(folder / "qd.docx")


def test_title_block(decision):
    for prefix in ("QUYẾT ĐỊNH", "Về việc thành lập BTC"):
        p = find(decision, prefix)
        _, size, bold, italic = look(decision, p)
        assert size <= {13, 14} and bold == {True} and italic == {False}
        assert para_property(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    paragraphs = list(all_paragraphs(decision))
    subject = find(decision, "Về việc thành lập BTC")
    rule = paragraphs[[x.text for x in paragraphs].index(subject.text) + 1]
    assert has_bottom_border(rule)
    length = L.TEXT_WIDTH - rule.paragraph_format.left_indent / 635 - rule.paragraph_format.right_indent / 635
    assert 1 / 3 <= length / min(width_of(subject, 14, True), L.TEXT_WIDTH) <= 1 / 2


def test_authority_bases_and_decides(decision):
    authority = find(decision, "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    assert look(decision, authority)[2] == {True}
    bases = [p for p in all_paragraphs(decision) if p.text.startswith(("Căn cứ", "Xét đề nghị"))]
    assert len(bases) == 3 and all(look(decision, p)[3] == {True} for p in bases)
    assert bases[0].text.endswith(";") and bases[-1].text.endswith(".")
    decides = find(decision, "QUYẾT ĐỊNH:")
    assert look(decision, decides)[2] == {True}
    assert para_property(decides, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_article_label_is_bold_its_text_is_not(decision):
    p = find(decision, "Điều 1.")
    runs = [r for r in p.runs if r.text.strip()]
    assert runs[0].text == "Điều 1." and runs[0].bold
    assert not any(r.bold for r in runs[1:])


def test_signature_on_several_levels(decision):
    lines = [p.text for p in all_paragraphs(decision)]
    start = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[start:start + 4] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Văn Hà"]
    for text in lines[start:start + 4]:
        assert look(decision, find(decision, text))[2] == {True}


@pytest.mark.parametrize("mark", ["KHẨN", "MẬT", "XEM XONG TRẢ LẠI"])
def test_marks_are_boxed(decision, mark):
    p = next(p for p in all_paragraphs(decision) if p.text == mark)
    style = p.style.element.pPr.find(qn("w:pBdr"))
    assert {el.tag.split("}")[1] for el in style} == {"top", "left", "bottom", "right"}
    assert look(decision, p)[2] == {True}


def test_drafter_and_copies_under_the_cc_list(decision):
    lines = [p.text for p in all_paragraphs(decision)]
    assert lines[lines.index("- Lãnh đạo Phòng GD&ĐT.") + 1] == "PL.(30)"


def test_contact_footer_on_page_1_only(decision):
    sections = decision.sections
    assert "Thị trấn Thắng" in "".join(p.text for p in sections[0].first_page_footer.paragraphs)
    for section in sections[1:]:  # the appendix's first page carries the empty footer
        ref = section._sectPr.find(qn("w:footerReference") + "[@" + qn("w:type") + "='first']")
        default = section._sectPr.find(qn("w:footerReference") + "[@" + qn("w:type") + "='default']")
        assert ref.get(qn("r:id")) == default.get(qn("r:id"))


def test_appendix_starts_a_section_numbered_from_1(decision):
    assert len(decision.sections) == 2
    appendix = decision.sections[1]._sectPr
    assert appendix.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert appendix.find(qn("w:titlePg")) is not None


def test_body_tables_have_borders_and_fit_the_text_width(decision):
    tables = [t for t in decision.tables if t._tbl.tblPr.find(qn("w:tblBorders")) is not None
              and t._tbl.tblPr.find(qn("w:tblBorders"))[0].get(qn("w:val")) == "single"]
    assert len(tables) == 2
    for table in tables:
        widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) == L.TEXT_WIDTH
        assert all(w >= 400 for w in widths)
        header = table.rows[0].cells[0].paragraphs[0]
        assert header.runs[0].bold


EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if (EXAMPLES / f"{p.stem}.expected.txt").exists())


@pytest.fixture(scope="module")
def rendered_examples(tmp_path_factory):
    from conftest import run_cli
    folder = tmp_path_factory.mktemp("examples")
    failures = {}
    for name in EXAMPLE_NAMES:
        result = run_cli("render", EXAMPLES / f"{name}.yaml", "-o", folder / f"{name}.docx")
        if result.code:
            failures[name] = result.err
    return folder, failures


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_docx_carries_the_original_text(rendered_examples, name):
    folder, failures = rendered_examples
    assert name not in failures, failures.get(name)
    text = "\n".join(docx_paragraphs(folder / f"{name}.docx"))
    assert missing_in_order(EXAMPLES / f"{name}.expected.txt", text) == []


@pytest.mark.pdf
def test_example_pdfs_carry_the_original_text(rendered_examples):
    from vanthu.generator import soffice
    folder, failures = rendered_examples
    names = [n for n in EXAMPLE_NAMES if n not in failures]
    soffice.convert([folder / f"{n}.docx" for n in names], folder, workers=2)
    problems = {n: missing_in_order(EXAMPLES / f"{n}.expected.txt", pdf_text(folder / f"{n}.pdf")) for n in names}
    assert {n: p for n, p in problems.items() if p} == {}
    assert not failures
