"""``vanthu templates check``: each fault of a table of broken templates is found, where it is."""
import docx
import pytest

from vanthu.templates import BUILTIN_DIR, TemplateLibrary
from vanthu.generator.lint import lint

FORM = """\
name: phieu
title: Phiếu thử
kind: form
fields:
  - name: name
    label: Họ tên
  - name: phone
    label: Điện thoại
    type: phone
"""
DOCUMENT = "name: phieu\ntitle: Phiếu thử\nextends: _document\n"
GOOD = ["Họ tên: {{ f.name }}", "Điện thoại: {{ f.phone }}"]
PHONE = GOOD[1]


def make_template(folder, paragraphs, schema=FORM, table=None):
    """``phieu.docx`` (a paragraph is a string, or a list of runs) and ``phieu.yaml`` beside it."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in [runs] if isinstance(runs, str) else runs:
            paragraph.add_run(text)
    if table:  # one row; a cell is a string, or a list of paragraphs
        cells = document.add_table(rows=1, cols=len(table)).rows[0].cells
        for cell, texts in zip(cells, table):
            texts = [texts] if isinstance(texts, str) else texts
            cell.paragraphs[0].add_run(texts[0])
            for text in texts[1:]:
                cell.add_paragraph(text)
    document.save(folder / "phieu.docx")
    if schema is not None:
        (folder / "phieu.yaml").write_text(schema, encoding="utf-8")
    return folder / "phieu.docx"


# id: (paragraphs, schema, table cells, [(words of the finding, where it must say it is)])
BROKEN = {
    "tag split across runs": ([["Họ tên: {{ f.na", "me }}"], PHONE], FORM, None,
                              [("«{{ f.name }}» bị tách qua 2 đoạn định dạng (run)", "đoạn 1 «Họ tên: {{ f.name }}»")]),
    "field used, not declared": (["Họ tên: {{ f.nmae }}", PHONE], FORM, None,
                                 [("mẫu dùng 'f.nmae' nhưng lược đồ không khai báo", "đoạn 1"),
                                  ("có phải 'f.name'?", "đoạn 1"),
                                  ("trường 'name' (Họ tên) được khai báo nhưng mẫu không in ra", "phieu.yaml:5")]),
    "field declared, unused": (["Họ tên: {{ f.name }}"], FORM, None,
                               [("trường 'phone' (Điện thoại) được khai báo nhưng mẫu không in ra", "phieu.yaml:7")]),
    "block never closed": (["{%p if f.name %}"] + GOOD, FORM, None,
                           [("khối lệnh mở mà chưa đóng", "đoạn 1 «{%p if f.name %}»")]),
    "end tag without start": ([GOOD[0], "{%p endif %}", PHONE], FORM, None,
                              [("thẻ đóng 'endif' không có thẻ mở", "đoạn 2 «{%p endif %}»")]),
    "tag running into the next paragraph": (["Họ tên: {{ f.name", "}}", PHONE], FORM, None,
                                            [("thẻ «{{ f.name» không đóng trong đoạn này", "đoạn 1")]),
    "bad expression": (["Họ tên: {{ f.name + }}", PHONE], FORM, None, [("lỗi cú pháp Jinja", "đoạn 1")]),
    "syntax error in a table cell": (["Tiêu đề", GOOD[0]], FORM, ["Ô đầu", "{{ f.phone + }}"],
                                     [("lỗi cú pháp Jinja", "đoạn 4 «{{ f.phone + }}»")]),
    "safe filter": (["Họ tên: {{ f.name|safe }}", PHONE], FORM, None, [("bộ lọc |safe", "đoạn 1")]),
    "autoescape off": (["{% autoescape false %}Họ tên: {{ f.name }}{% endautoescape %}", PHONE], FORM, None,
                       [("tắt thoát ký tự", "đoạn 1")]),
    "raw Word markup of a plain field": (["{{p f.name }}", PHONE], FORM, None,
                                         [("chèn 'f.name' như mã Word thô", "đoạn 1")]),
    "unknown docxtpl tag form": (["{%pp if f.name %}", GOOD[0], "{%p endif %}", PHONE], FORM, None,
                                 [("'{%pp' không phải dạng thẻ docxtpl", "đoạn 1")]),
    "text beside a paragraph tag": ([GOOD[0] + " {%p if f.phone %}", PHONE, "{%p endif %}"], FORM, None,
                                    [("thay cả đoạn chứa nó khi kết xuất", "đoạn 1"),  # so {{ f.name }} is gone:
                                     ("trường 'name' (Họ tên) được khai báo nhưng mẫu không in ra", "phieu.yaml:5")]),
    "table cell left without a paragraph": ([GOOD[0]], FORM, [["{%p if f.phone %}", "{{ f.phone }}", "{%p endif %}"]],
                                            [("ô bảng này có thể không còn đoạn nào", "đoạn 2 «{%p if f.phone %}»")]),
    "missing schema": (GOOD, None, None, [("thiếu lược đồ phieu.yaml bên cạnh phieu.docx", "phieu.docx")]),
    "schema not YAML": (GOOD, FORM.replace("label: Họ tên", "label: [Họ tên"), None,
                        [("YAML sai cú pháp", "phieu.yaml:7")]),
    "schema with unknown field type": (GOOD, FORM.replace("type: phone", "type: so"), None,
                                       [("kiểu 'so' không có", "phieu.yaml:9")]),
    "schema name is not the file name": (GOOD, FORM.replace("name: phieu", "name: phieu-moi"), None,
                                         [("name: 'phieu-moi' khác tên tệp 'phieu'", "phieu.yaml")]),
    "document key that does not exist": (["{{ issuer }}", "{{ isuer_name }}"], DOCUMENT, None,
                                         [("mẫu dùng 'isuer_name'", "đoạn 2 «{{ isuer_name }}»")]),
    "body printed inside a paragraph": (["{{ issuer }}", "Nội dung: {{ body }}"], DOCUMENT, None,
                                        [("'body' là các đoạn văn do vanthu tạo", "đoạn 2"),
                                         ("mẫu thiếu kiểu (style) VBBody", "word/styles.xml")]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_template_is_caught(tmp_path, case):
    paragraphs, schema, table, expected = BROKEN[case]
    path = make_template(tmp_path, paragraphs, schema, table)
    said = [str(f.problem(path)) for f in lint(path)]
    for words, where in expected:
        assert any(words in line and where in line for line in said), f"{words!r} at {where!r} not in {said}"
    assert len(said) == len({w for w, _ in expected} - {"có phải 'f.name'?"}), said
    assert all("Cách sửa: " in line for line in said)


def test_good_template_has_no_findings(tmp_path):
    assert lint(make_template(tmp_path, GOOD)) == []


def test_smart_quotes_typed_by_word_are_fine(tmp_path):
    """docxtpl straightens “ ” ‘ ’ inside tags, so Word's AutoCorrect does no harm."""
    assert lint(make_template(tmp_path, ["{%p if f.name == “A” %}", GOOD[0], "{%p endif %}", PHONE])) == []


def test_cell_keeping_an_empty_paragraph_is_fine(tmp_path):
    cell = ["{%p if f.phone %}", "{{ f.phone }}", "{%p endif %}", ""]
    assert lint(make_template(tmp_path, [GOOD[0]], table=[cell])) == []


def test_split_tag_inside_a_tag_still_names_runs(tmp_path):
    path = make_template(tmp_path, [["{", "{ f.name }}"], PHONE])
    (finding,) = lint(path)
    assert "bị tách qua 2" in finding.what and "xóa cả thẻ rồi gõ lại" in finding.fix


@pytest.mark.parametrize("name", TemplateLibrary().names())
def test_every_builtin_template_passes(name):
    template = TemplateLibrary().get(name)
    assert [str(f.problem(template.docx_path)) for f in lint(template.docx_path, template.schema_path)] == []


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.docx")), ids=lambda p: p.name)
def test_every_builtin_layout_passes_with_the_schemas_naming_it(path):
    assert [str(f.problem(path)) for f in lint(path)] == []


def test_cli_reports_each_finding_and_exits_1(cli, tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    bad = make_template(tmp_path / "bad", [["Họ tên: {{ f.na", "me }}"], PHONE])
    good = make_template(tmp_path / "good", GOOD)
    result = cli("templates", "check", bad, good)
    assert result.code == 1
    where = "thân văn bản (word/document.xml), đoạn 1 «Họ tên: {{ f.name }}»"
    assert result.err_lines[0].startswith(f"{bad}: {where}: ")
    assert "Cách sửa:" in result.err_lines[0]
    assert result.err_lines[-1] == "Lỗi: 1 lỗi trong 2 mẫu."


def test_cli_clean_template(cli, tmp_path):
    result = cli("templates", "check", make_template(tmp_path, GOOD))
    assert result.code == 0 and result.out.strip() == "1 mẫu: không có lỗi."


def test_cli_checks_a_template_by_name(cli, tmp_path):
    folder = tmp_path / "mau"
    folder.mkdir()
    make_template(folder, ["Họ tên: {{ f.name|safe }}", PHONE])
    result = cli("--templates", folder, "templates", "check", "phieu", "cong-van")
    assert result.code == 1 and "bộ lọc |safe" in result.err and result.err_lines[-1] == "Lỗi: 1 lỗi trong 2 mẫu."


def test_cli_templates_still_lists_and_describes(cli):
    assert "cong-van" in cli("templates").out
    assert "signer" in cli("templates", "cong-van").out
    assert cli("templates", "check").code == 2


def test_cli_missing_file(cli, tmp_path):
    result = cli("templates", "check", tmp_path / "khong-co.docx")
    assert result.code == 1 and "không tìm thấy tệp" in result.err
