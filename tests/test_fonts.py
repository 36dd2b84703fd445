"""The PDF's face is said in the render summary, and it is the one embedded; the DOCX names Times New Roman."""
import re

import pytest

from conftest import run_cli
from pdfkit import fonts_of, reader_of
from test_document_types import EXAMPLES
from vanthu.generator import fonts


@pytest.mark.pdf
def test_the_summary_names_the_face_the_pdf_embeds(tmp_path, private_tmp):
    result = run_cli("render", EXAMPLES / "369-PGDDT.yaml", "-o", tmp_path / "a.pdf")
    assert result.code == 0, result.err
    said = re.search(r"Phông chữ: (Times New Roman|Liberation Serif)", result.err + result.out)[1]
    assert said == fonts.pdf_serif()
    embedded = {str(f.get("/BaseFont")).split("+")[-1].split("-")[0].lstrip("/") for f in fonts_of(reader_of(tmp_path / "a.pdf"))}
    assert embedded == {said.replace(" ", "")}, embedded
    assert run_cli("render", EXAMPLES / "369-PGDDT.yaml", "-o", tmp_path / "a.docx").code == 0
    import zipfile
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        xml = z.read("word/styles.xml").decode() + z.read("word/document.xml").decode()
    assert set(re.findall(r'w:ascii="([^"]+)"', xml)) == {"Times New Roman"}


def test_times_new_roman_is_used_when_installed(monkeypatch):
    fonts.pdf_serif.cache_clear()
    monkeypatch.setattr(fonts, "_installed", lambda family: True)
    assert fonts.pdf_serif() == "Times New Roman" and fonts.summary() == "Phông chữ: Times New Roman."
    monkeypatch.setattr(fonts, "_installed", lambda family: False)
    fonts.pdf_serif.cache_clear()
    assert fonts.pdf_serif() == "Liberation Serif" and "không có Times New Roman" in fonts.summary()
    fonts.pdf_serif.cache_clear()
