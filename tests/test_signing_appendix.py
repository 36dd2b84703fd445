"""An appendix in a file of its own (``separate: true``, model 2.2) through the real flow: drafted, signed
by the leader (not in the leader's PDF), issued with ``vanthu issue ID``: the organisation signs it too,
its number, time and name at the top right of its first page in Times New Roman 10 (Phụ lục I mục II.8.b,
III.1.d); archived with its checksum, listed and validated by ``show``, ``verify`` and the web's page."""
import html
import io
import re
import sqlite3
import subprocess

import pytest

from vanthu.signing.sign import ATTACHMENT_FIELD

from test_signing_flow import PIN, SEED, Office, pdf_text, validate

pytestmark = pytest.mark.pdf
MM = 72 / 25.4
APPENDIX = """appendices:
  - label: Phụ lục
    title: Danh sách cán bộ đầu mối
    subject: quản lý tài khoản hệ thống BlueZone
    separate: true
    body: |
      | TT | Họ tên | Đơn vị |
      |---|---|---|
      | 1 | Nguyễn Thị Minh Hạnh | Trung tâm Kiểm soát bệnh tật |
      | 2 | Trần Văn Đức | Bệnh viện Đa khoa Đồng Nai |
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return Office(tmp_path_factory.mktemp("phu-luc"))


@pytest.fixture(scope="module")
def issued(office):
    record = office.folder / "cv-phu-luc.yaml"
    record.write_text(SEED.read_text(encoding="utf-8") + APPENDIX, encoding="utf-8")
    draft = office.draft(record)
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    office.ok("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)
    out = office.ok("issue", str(draft), "--as", "lan", "--pin-stdin", stdin=PIN).out
    paths = [line.strip() for line in out.splitlines() if line.strip().endswith(".pdf")]
    return draft, out, {p.rsplit("/", 1)[1]: open(p, "rb").read() for p in paths}


def test_issue_stores_the_appendix_as_a_file_of_its_own_with_its_checksum(office, issued):
    import hashlib
    _, out, pdfs = issued
    assert sorted(pdfs) == ["4482-SYT-VP-phu-luc-1.pdf", "4482-SYT-VP.pdf"], out
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    rows = dict(conn.execute("SELECT role, sha256 FROM files").fetchall())
    assert rows["phu-luc-1"] == hashlib.sha256(pdfs["4482-SYT-VP-phu-luc-1.pdf"]).hexdigest()
    logged = [d for _, a, d, _ in office.events() if a == "sign-org"]
    assert rows["phu-luc-1"] in logged[0]  # the organisation's step names the appendix's hash too


def test_the_appendix_is_in_its_own_file_not_in_the_leaders(issued):
    _, _, pdfs = issued
    main, appendix = pdf_text(pdfs["4482-SYT-VP.pdf"], 1, 9), pdf_text(pdfs["4482-SYT-VP-phu-luc-1.pdf"], 1, 9)
    assert "Nguyễn Thị Minh Hạnh" not in main and "Số: 4482/SYT-VP" in main
    assert "DANH SÁCH CÁN BỘ ĐẦU MỐI" in appendix and "Nguyễn Thị Minh Hạnh" in appendix
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in appendix  # no header of its own (model 2.2)


def test_pyhanko_validates_the_organisations_signature_on_the_appendix(office, issued):
    _, _, pdfs = issued
    (sig, status), = validate(pdfs["4482-SYT-VP-phu-luc-1.pdf"], office.trust())
    assert sig.field_name == ATTACHMENT_FIELD and status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    from vanthu.signing.certs import common_name
    assert common_name(status.signing_cert.subject) == "Sở Y tế tỉnh Đồng Nai"
    main = validate(pdfs["4482-SYT-VP.pdf"], office.trust())
    assert [s.field_name for s, _ in main] == ["chu-ky-lanh-dao", "chu-ky-co-quan"]
    assert all(st.intact and st.valid and st.trusted for _, st in main)
    assert "/Subtype /Image" not in pdfs["4482-SYT-VP-phu-luc-1.pdf"].decode("latin1")  # no image (II.8.b)


def _top_words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)]
    return float(page[1]), [w for w in words if w[1] < 15 * MM]  # inside the top margin (20 mm)


def test_the_information_line_is_top_right_in_times_new_roman_10(issued, tmp_path):
    _, _, pdfs = issued
    pdf = pdfs["4482-SYT-VP-phu-luc-1.pdf"]
    width, words = _top_words(pdf)
    line = " ".join(w[4] for w in sorted(words, key=lambda w: w[0]))
    main_time = re.search(r"Sở Y tế tỉnh Đồng Nai (\S+)", pdf_text(pdfs["4482-SYT-VP.pdf"])).group(1)
    assert line == f"4482/SYT-VP; {main_time}; Sở Y tế tỉnh Đồng Nai"  # the seal's moment, ISO 8601, +07:00
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", main_time)
    right = max(w[2] for w in words)
    assert width - 15 * MM - 2 < right <= width - 15 * MM + 1  # flush with the right margin (15 mm)
    assert min(w[0] for w in words) > 30 * MM + 20  # right-aligned: it does not start at the left margin
    assert all(9 <= w[3] - w[1] <= 13 for w in words)  # a 10 pt line (poppler: ascent to descent)
    from pyhanko.pdf_utils.reader import PdfFileReader
    reader = PdfFileReader(io.BytesIO(pdf))
    widget = next(a.get_object() for a in reader.root["/Pages"]["/Kids"][0]["/Annots"]
                  if a.get_object().get("/T") == ATTACHMENT_FIELD)
    appearance = widget["/AP"]["/N"].get_object()
    stream = appearance.data.decode("latin1")
    assert re.search(r"/\S+ 10(\.0+)? Tf", stream) and "0 0 0 rg" in stream.replace("0.0 0.0 0.0", "0 0 0")
    (tmp_path / "phu-luc.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", tmp_path / "phu-luc.pdf"], capture_output=True, text=True).stdout
    assert "LiberationSerif" in fonts  # Times New Roman's metric twin, the only one installed


def test_the_page_image_shows_the_line_black_at_the_top_right_only(issued, tmp_path):
    """Pixels of the rendered top of page 1: black text right of the page's middle above the text, none left of it.

    With VANTHU_WRITE_DOCS=1 the image goes to docs/images/ky-so-phu-luc.png for docs/signing.md.
    """
    import os
    import shutil
    from test_signing_flow import _page_image
    pdf = issued[2]["4482-SYT-VP-phu-luc-1.pdf"]
    image = _page_image(pdf, tmp_path, "phu-luc", 100, (0, 0, 595, 90))
    scale, (width, height) = 100 / 72, image.size
    band = range(0, int(15 * MM * scale))  # above the 20 mm top margin: only the information line is there
    dark = [(x, y) for x in range(width) for y in band if sum(image.getpixel((x, y))) < 200]
    assert dark and min(x for x, _ in dark) > width * 0.4 and max(x for x, _ in dark) <= (595 - 15 * MM + 2) * scale
    assert all(max(abs(a - b) for a, b in zip(image.getpixel(p), image.getpixel(p)[1:])) < 40 for p in dark)  # black
    if os.environ.get("VANTHU_WRITE_DOCS"):
        shutil.copyfile(tmp_path / "phu-luc.png", SEED.parent.parent.parent / "docs" / "images" / "ky-so-phu-luc.png")


def test_show_lists_the_appendix_file_and_its_signature(office, issued):
    out = office.ok("show", "4482/SYT-VP").out
    assert re.search(r"Tệp PDF phụ lục 1 \(tệp riêng\): files/2020/di/4482-SYT-VP/4482-SYT-VP-phu-luc-1\.pdf "
                     r"\(SHA-256 [0-9a-f]{64}\)", out), out
    block = out.split("Chữ ký số của 4482-SYT-VP-phu-luc-1.pdf:")[1]
    assert f"Chữ ký '{ATTACHMENT_FIELD}'" in block and "Toàn vẹn: có" in block and "Tin cậy: có" in block


def test_the_web_document_page_lists_the_appendix_and_its_signature(office, issued):
    from vanthu.web import create_app
    from webkit import login
    app = create_app(office.home)
    client = app.test_client()
    assert login(client, "lan", "mat-khau-dai-1").status_code == 302
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    document = conn.execute("SELECT document_id FROM files WHERE role = 'phu-luc-1'").fetchone()[0]
    page = html.unescape(client.get(f"/van-ban/{document}").get_data(as_text=True))
    assert "PDF phụ lục 1 (tệp riêng)</a>" in page
    signatures = re.findall(r'<li id="chu-ky-\d+"><strong>(.*?)</strong>.*?</li>', page, re.S)
    assert signatures == ["Phan Huy Anh Vũ", "Sở Y tế tỉnh Đồng Nai", "Sở Y tế tỉnh Đồng Nai"]
    assert page.count("· toàn vẹn") == 3
    served = client.get(f"/van-ban/{document}/tep/phu-luc-1")
    assert served.status_code == 200 and served.data == issued[2]["4482-SYT-VP-phu-luc-1.pdf"]


def test_verify_revalidates_the_appendix_and_reports_it_changed(office, issued, tmp_path):
    import os
    import stat
    assert office.ok("verify").code == 0
    path = next(office.home.rglob("4482-SYT-VP-phu-luc-1.pdf"))
    data = path.read_bytes()
    (sig, _), = validate(data, office.trust())
    where = sig.byte_range[1] // 2
    mode = path.stat().st_mode
    os.chmod(path, mode | stat.S_IWUSR)
    try:
        path.write_bytes(data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1:])
        result = office.cli("verify")
        assert result.code == 1
        said = result.out + result.err
        assert "4482-SYT-VP-phu-luc-1.pdf" in said and "không còn toàn vẹn" in said, said
    finally:
        path.write_bytes(data)
        os.chmod(path, mode)
    assert office.ok("verify").code == 0  # restored: the office may issue again
