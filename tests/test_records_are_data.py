"""A record is data: template tags, XML and entities in any value print as typed."""
import subprocess

import docx
import pytest

from conftest import DATA
from readback import docx_paragraphs, pdf_text

NASTY = {
    "place": "Đồng Nai {{ 7*7 }}",
    "subject": "{% if true %}mã{% endif %} <w:p> & < > \" '",
    "body": "Kết quả {{ 7*7 }} và {% for x in y %}\n<w:p><w:r><w:t>chèn</w:t></w:r></w:p> A & B < C\n{#- chú thích #}",
    "title": "GIÁM ĐỐC & {{ signer }}",
    "cc": ["Như trên", "Lưu: {{ VT }}, <VP>"],
}


@pytest.fixture(scope="module")
def nasty_docx(tmp_path_factory):
    from conftest import run_cli
    from vanthu import yamlfile
    folder = tmp_path_factory.mktemp("nasty")
    record = yamlfile.load(DATA / "4482-SYT-VP.yaml")
    record["place"], record["subject"], record["body"] = NASTY["place"], NASTY["subject"], NASTY["body"]
    record["signer"]["title"], record["cc"] = NASTY["title"], NASTY["cc"]
    from ruamel.yaml import YAML
    with open(folder / "nasty.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    result = run_cli("render", folder / "nasty.yaml", "-o", folder / "nasty.docx")
    assert result.code == 0, result.err
    return folder / "nasty.docx"


def test_values_print_literally(nasty_docx):
    text = "\n".join(docx_paragraphs(nasty_docx))
    assert "Đồng Nai {{ 7*7 }}, ngày 06 tháng 8 năm 2020" in text
    assert "V/v {% if true %}mã{% endif %} <w:p> & < > \" '" in text
    assert "Kết quả {{ 7*7 }} và {% for x in y %}" in text
    assert "<w:p><w:r><w:t>chèn</w:t></w:r></w:p> A & B < C" in text
    assert "{#- chú thích #}" in text
    assert "GIÁM ĐỐC & {{ SIGNER }}" in text  # titles are printed in capitals, still literal
    assert "- Lưu: {{ VT }}, <VP>." in text
    assert "49" not in text


def test_docx_still_opens(nasty_docx):
    document = docx.Document(str(nasty_docx))
    assert any("chèn" in p.text for p in document.paragraphs)


@pytest.mark.pdf
def test_libreoffice_opens_it_and_prints_the_same(nasty_docx, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(nasty_docx)],
                   check=True, capture_output=True, timeout=120)
    text = pdf_text(tmp_path / "nasty.pdf")
    assert "<w:p><w:r><w:t>chèn</w:t></w:r></w:p>" in text.replace("\n", "")
    assert "{{ 7*7 }}" in text
