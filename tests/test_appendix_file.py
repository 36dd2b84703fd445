"""Model 2.2: an appendix in a file of its own (``separate: true``), from ``vanthu render -o X.docx``."""
import zipfile

from ruamel.yaml import YAML

from readback import docx_paragraphs
from test_document_types import EXAMPLES
from test_openxml_audit import audit
from vanthu import yamlfile


def write(tmp_path, separate):
    record = yamlfile.load(EXAMPLES / "166-QD-PGDDT.yaml")
    record["appendices"][0].update(separate=separate, label="Phụ lục I")
    with open(tmp_path / "qd.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    return tmp_path / "qd.yaml"


def test_a_separate_appendix_gets_its_own_file(cli, tmp_path):
    result = cli("render", write(tmp_path, True), "-o", tmp_path / "out" / "qd.docx")
    assert result.code == 0, result.err
    main, appendix = tmp_path / "out" / "qd.docx", tmp_path / "out" / "qd-phu-luc-1.docx"
    assert str(appendix) in result.err + result.out
    assert "DANH SÁCH" not in docx_paragraphs(main)
    lines = [p for p in docx_paragraphs(appendix) if p]
    assert lines[:4] == ["Phụ lục I", "DANH SÁCH", "Ban tổ chức và Tổ trọng tài giải Cờ vua cấp huyện năm học 2020-2021",
                         "(Kèm theo QĐ số 166/QĐ-PGD&ĐT ngày 10/10/2020)"]
    assert "Nguyễn Văn Thảo" in lines and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in lines
    with zipfile.ZipFile(appendix) as z:
        xml = z.read("word/document.xml").decode()
    assert '<w:pgNumType w:start="1"/>' in xml and "<w:titlePg/>" in xml  # its own pages, from 1
    assert audit(tmp_path / "out")[0] == {}


def test_without_separate_the_appendix_follows_the_document(cli, tmp_path):
    assert cli("render", write(tmp_path, False), "-o", tmp_path / "qd.docx").code == 0
    assert "DANH SÁCH" in docx_paragraphs(tmp_path / "qd.docx")
    assert not (tmp_path / "qd-phu-luc-1.docx").exists()


def test_separate_must_be_true_or_false(cli, tmp_path):
    result = cli("render", write(tmp_path, "có"), "-o", tmp_path / "qd.docx")
    assert result.code == 1 and "separate" in result.err and not (tmp_path / "qd.docx").exists()
