"""The seed records as PDF: text, A4, embedded fonts, metadata, PDF/A, a signable field."""
import datetime as dt
import re
import unicodedata

import pytest

from pdfkit import (fonts_of, mm, pages_of_outline, reader_of, self_signed_certificate, sign_field, text_of_pages,
                    unembedded_fonts, validate_signatures)
from conftest import run_cli
from readback import fold, missing_in_order
from vanthu import yamlfile
from vanthu.generator.pdfrender import render_pdf
from vanthu.generator.signing import text_lines

pytestmark = pytest.mark.pdf

SEEDS = ("4482-SYT-VP", "dang-ky-tai-khoan-bluezone")


@pytest.fixture(scope="module")
def both(tmp_path_factory, data, private_tmp):
    """Both seeds in one PDF (one LibreOffice run)."""
    out = tmp_path_factory.mktemp("seeds") / "both.pdf"
    report = render_pdf([data / f"{name}.yaml" for name in SEEDS], out)
    assert report.ok, report.problems
    return out.read_bytes()


@pytest.fixture(scope="module")
def archival(tmp_path_factory, data, private_tmp):
    """The seed dispatch alone, as PDF/A-2b, by ``vanthu render --pdfa``."""
    out = tmp_path_factory.mktemp("pdfa") / "4482.pdf"
    result = run_cli("render", data / "4482-SYT-VP.yaml", "--pdfa", "-o", out)
    assert result.code == 0, result.err
    return out.read_bytes()


@pytest.fixture(scope="module")
def data():
    from conftest import DATA
    return DATA


def test_each_seed_reads_back_as_expected(both, data):
    reader = reader_of(both)
    ranges = pages_of_outline(reader)
    assert len(ranges) == 2
    for name, (_, start, end) in zip(SEEDS, ranges):
        assert missing_in_order(data / f"{name}.expected.txt", text_of_pages(reader, start, end)) == [], name


def test_pages_are_a4(both, archival):
    for pdf in (both, archival):
        for page in reader_of(pdf).pages:
            assert (round(mm(float(page.mediabox.width))), round(mm(float(page.mediabox.height)))) == (210, 297)


def test_every_font_is_embedded(both, archival):
    for pdf in (both, archival):
        reader = reader_of(pdf)
        assert fonts_of(reader), "no fonts found: the check would be empty"
        assert unembedded_fonts(reader) == []


def test_vietnamese_text_is_the_records_text_in_nfc(both, data):
    text = text_of_pages(reader_of(both), 0, len(reader_of(both).pages))
    assert unicodedata.is_normalized("NFC", text)
    record = yamlfile.load(data / "4482-SYT-VP.yaml")
    stream = fold(text)
    for line in record["body"].splitlines():
        assert fold(line) in stream, line
    form = yamlfile.load(data / "dang-ky-tai-khoan-bluezone.yaml")["fields"]
    for key in ("organization", "manager_name", "position", "head_name"):
        assert fold(form[key]) in stream, key


def test_one_bookmark_per_document(both):
    assert [title for title, _, _ in pages_of_outline(reader_of(both))] == [
        "Công văn V/v triển khai cài đặt và sử dụng ứng dụng BlueZone – số 4482/SYT-VP",
        "Bảng đăng ký tài khoản hệ thống quản lý dữ liệu BlueZone: Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai",
    ]


def test_metadata_of_a_document(archival):
    info = reader_of(archival).metadata
    assert info.title == "Công văn V/v triển khai cài đặt và sử dụng ứng dụng BlueZone"
    assert info.author == "SỞ Y TẾ"
    assert info.subject == "4482/SYT-VP"
    assert info["/Keywords"] == "Công văn, 4482/SYT-VP, SYT"
    assert info.creation_date == dt.datetime(2020, 8, 6, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_pdfa_2b_is_declared_and_consistent(archival):
    reader = reader_of(archival)
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in metadata and metadata["/Subtype"] == "/XML"  # PDF/A: readable as is
    xmp = metadata.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert re.search(r"<dc:title>.*>Công văn V/v triển khai cài đặt và sử dụng ứng dụng BlueZone<", xmp)
    assert "<xmp:CreateDate>2020-08-06T00:00:00+07:00</xmp:CreateDate>" in xmp
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0].get_object()
    assert len(reader.trailer["/ID"]) == 2


def test_plain_pdf_does_not_claim_pdfa(both):
    xmp = reader_of(both).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfaid" not in xmp


def _widgets(reader):
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                yield index, annot


def test_empty_signature_field_lies_between_title_and_name(both):
    reader = reader_of(both)
    widgets = {str(a["/T"]): (i, a) for i, a in _widgets(reader)}
    assert sorted(widgets) == ["4482-SYT-VP", "dang-ky-tai-khoan-bluezone"]
    assert [str(f.get_object()["/T"]) for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]] == list(widgets)
    for field, title, name in [("4482-SYT-VP", "GIÁM ĐỐC", "Phan Huy Anh Vũ"),
                               ("dang-ky-tai-khoan-bluezone", "(Ghi rõ họ tên, ký và đóng dấu)", "Trần Văn Đức")]:
        page, widget = widgets[field]
        assert "/V" not in widget, "the field must be empty"
        assert widget["/F"] & 4 and "/N" in widget["/AP"]
        left, bottom, right, top = map(float, widget["/Rect"])
        lines = {line.text: line for line in text_lines(reader.pages[page])}
        assert lines[name].y < bottom and top < lines[title].y, field
        assert left < lines[name].x < right and top - bottom > 50


def test_the_field_signs_and_validates_with_pyhanko(both):
    cert, key = self_signed_certificate()
    signed = sign_field(both, "4482-SYT-VP", cert, key)
    signed = sign_field(signed, "dang-ky-tai-khoan-bluezone", cert, key)
    results = validate_signatures(signed, cert)
    assert [name for name, _ in results] == ["4482-SYT-VP", "dang-ky-tai-khoan-bluezone"]
    for _, status in results:
        assert status.intact and status.valid and status.trusted and status.bottom_line
    assert results[-1][1].coverage.name == "ENTIRE_FILE"
    assert len(reader_of(signed).pages) == len(reader_of(both).pages)
