"""Copies (bản sao, Điều 25–27, Phụ lục I Phần II, Phụ lục III mẫu 3.1–3.2), read back from the stored PDFs.

One home with real documents (LibreOffice) is made per module; each test works on a copy of it.
"""
import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
from pypdf import PdfReader

import archivekit as k
from conftest import run_cli
from test_document_types import EXAMPLES
from vanthu.generator.signing import text_lines
from vanthu.templates import layout as L

pytestmark = pytest.mark.pdf
VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 1, 10, 20, 30, tzinfo=VN)
SIGNER = {"signer": "Trần Văn B", "title": "Chánh Văn phòng", "authority": ("TL. GIÁM ĐỐC",), "place": "Đồng Nai"}
PT_PER_MM = 72 / 25.4


def _settings(home):
    (home / "settings.yaml").write_text(
        "separate_series: []\norgan_id: ''\nsecret_roles: [van-thu, lanh-dao]\ndefaults:\n  place: Đồng Nai\n"
        "  signer: {title: CHÁNH VĂN PHÒNG, name: Trần Văn B, authority: TL. GIÁM ĐỐC}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A home holding 4482/SYT-VP (2 pages: the dispatch and its form), 173/TB-SGDĐT and a secret 01/SYT-VP."""
    from vanthu.archive.pdfexport import convert
    from vanthu.generator.records import load
    folder = tmp_path_factory.mktemp("copies")
    home = folder / "home"
    records = load(k.SEED) + load(EXAMPLES / "173-TB-SGDDT.yaml")
    k.issue_past(records, home, to_pdf=convert)
    k.issue_past([k.record(confidentiality="mật", subject="phương án bảo vệ", date="2020-09-01")], home,
                 to_pdf=convert)
    _settings(home)
    return home


@pytest.fixture
def home(made, tmp_path, monkeypatch):
    target = tmp_path / "home"
    shutil.copytree(made, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VANTHU_HOME", str(target))
    return target


def _copy(home, number, kind="sao-y", **options):
    from vanthu.archive.copying import make_copy
    return make_copy(number, kind, home, now=NOW, **{**SIGNER, **options})


def _pdf(home, done, role="pdf"):
    stored = next(f for f in done.files if f.role == role)
    return PdfReader(str(home / stored.path))


def _original(home, number="4482-SYT-VP"):
    return PdfReader(str(home / f"files/2020/di/{number}/{number}.pdf"))


def _line(lines, text):
    found = [line for line in lines if text in line.text]
    assert found, (text, [line.text for line in lines])
    return found[0]


def _dark_rows(pdf_path, page, folder, dpi=144):
    """{row (points from the top): (first dark x, last dark x)} of one page rendered in grey by pdftoppm."""
    from PIL import Image
    out = folder / f"page-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf_path), str(out)], check=True)
    image = Image.open(f"{out}.png").convert("L")
    width, height = image.size
    pixels = image.load()
    rows = {}
    for y in range(height):
        dark = [x for x in range(width) if pixels[x, y] < 200]
        if dark:
            rows[y * 72 / dpi] = (dark[0] * 72 / dpi, dark[-1] * 72 / dpi, len(dark))
    return rows


def test_sao_y_prints_the_block_of_model_3_1_under_the_original_pages_untouched(home, tmp_path):
    done = _copy(home, "4482/SYT-VP", cc=("Phòng Y tế các huyện", "Lưu: VT"))
    assert str(done.number) == "01/SY-SYT" and done.series == "SYT/sao"
    copy, original = _pdf(home, done), _original(home)
    assert len(copy.pages) == len(original.pages) == 2  # the block fits under the form on page 2
    assert copy.pages[0].extract_text() == original.pages[0].extract_text()  # the copied page as it was
    before = original.pages[1].extract_text()
    assert copy.pages[1].extract_text().startswith(before.rstrip()[:200])

    lines = text_lines(copy.pages[1])
    last_original = min(line.y for line in text_lines(original.pages[1]))
    form, issuer = _line(lines, "SAO Y"), _line(lines, "SỞ Y TẾ")
    number, when = _line(lines, "Số: 01/SY-SYT"), _line(lines, "Đồng Nai, ngày 01 tháng 12 năm 2026")
    authority, title, name = _line(lines, "TL. GIÁM ĐỐC"), _line(lines, "CHÁNH VĂN PHÒNG"), _line(lines, "Trần Văn B")
    received = _line(lines, "Nơi nhận:")
    assert all(line.y < last_original for line in (form, issuer, number, when, authority, name, received))
    column = (L.MARGIN_LEFT + L.HEADER_INDENT + L.HEADER_LEFT) / 20  # the header's two columns, as on page 1
    assert form.x > column > issuer.x and when.x > column > number.x  # model 3.1: body | SAO Y, number | date
    assert abs(form.y - issuer.y) < 2 and abs(number.y - when.y) < 3
    assert 13 <= form.size <= 14 and form.text == "SAO Y"  # capitals, 13-14 pt (II.2.b)
    signature = (L.MARGIN_LEFT + L.FOOTER_LEFT) / 20
    assert received.x < signature < authority.x and authority.y > title.y > name.y
    assert name.y > 20 * PT_PER_MM  # above the bottom margin
    assert _bold(copy.pages[1], "SAO Y") and _bold(copy.pages[1], "SỞ Y TẾ") and not _bold(copy.pages[1], "Số: 01")

    rows = _dark_rows(home / next(f.path for f in done.files if f.role == "pdf"), 2, tmp_path)
    top = float(copy.pages[1].mediabox.top)
    between = {y: r for y, r in rows.items() if top - last_original < y < top - form.y - form.size}
    rule = [r for r in between.values() if r[2] * 72 / 144 > 0.95 * (r[1] - r[0]) > 400]  # one unbroken line
    assert rule, "no full-width rule between the original's last line and the block"
    left, right, _ = rule[0]
    assert abs(left - 30 * PT_PER_MM) < 3 and abs(right - (210 - 15) * PT_PER_MM) < 3  # the text's whole width


class _Words(list):
    """pdftotext's words with their boxes (points from the top left): entries (word, x0, y0, x1, y1)."""

    def index(self, word):
        return next(i for i, w in enumerate(self) if w[0].startswith(word))

    def __getitem__(self, i):
        return list.__getitem__(self, i)


def _poppler_words(pdf_path, page=1):
    """Positions as printed (a stamp's text inside a form XObject included), from poppler's pdftotext -bbox."""
    import re as _re
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = _re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return _Words((w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found)


def _bold(page, text):
    fonts = []

    def visit(found, cm, tm, font, size):
        if text in found and font:
            fonts.append(str(font.get("/BaseFont", "")))
    page.extract_text(visitor_text=visit)
    assert fonts, text
    return any("Bold" in f for f in fonts)


def test_copies_take_their_own_series_and_never_a_number_of_the_register(home):
    assert k.serials(home, "SYT") == [4482] and k.serials(home, "SYT/mật") == [1]
    first, second = _copy(home, "4482/SYT-VP"), _copy(home, "4482/SYT-VP", kind="trich-sao", pages="2")
    assert (str(first.number), str(second.number)) == ("01/SY-SYT", "02/TrS-SYT")  # one series for every kind
    assert k.serials(home, "SYT/sao") == [1, 2] and k.serials(home, "SYT") == [4482]
    from vanthu.archive.issuing import issue
    issued = issue([k.record(subject="việc mới")], home, today=dt.date(2026, 12, 1), index=False)
    assert str(issued[0].number) == "01/SYT-VP" and k.serials(home, "SYT", 2026) == [1]

    ordinary, book = run_cli("register", "--year", "2026"), run_cli("register", "--year", "2026", "--copies")
    assert "SY-SYT" not in ordinary.out and "1 văn bản" in ordinary.out
    assert book.out.startswith("SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN") and "Từ số 01 đến số 02; 2 văn bản" in book.out
    assert "Bản sao y công văn số 4482/SYT-VP" in book.out


def test_trich_sao_copies_the_chosen_pages_and_the_electronic_form_has_its_line_at_o_14(home):
    done = _copy(home, "173/TB-SGDĐT", kind="trich-sao", pages="1")
    original, copy = _original(home, "173-TB-SGDĐT"), _pdf(home, done)
    assert str(done.number) == "01/TrS-SGDĐT"
    assert copy.pages[0].extract_text() == original.pages[0].extract_text()
    assert len(original.pages) > 1 and len(copy.pages) == 2  # page 1 is full: the block on a sheet of its own
    assert "TRÍCH SAO" in copy.pages[1].extract_text() and "Số: 01/TrS-SGDĐT" in copy.pages[1].extract_text()

    electronic = _pdf(home, done, "pdf-dien-tu")
    assert len(electronic.pages) == 1 and "Số: 01/TrS" not in electronic.pages[0].extract_text()  # no paper block
    line = _line(text_lines(electronic.pages[0]), "TRÍCH SAO;")
    assert "02/12/2026" not in line.text and "01/12/2026; 10:20:30 +07:00" in line.text and "SỞ GIÁO DỤC" in line.text
    assert abs(line.size - 10) < 0.2  # Times New Roman 10 (Phụ lục I Phần II.I.3.c)
    words = _poppler_words(home / next(f.path for f in done.files if f.role == "pdf-dien-tu"))
    info, national = words[words.index("TRÍCH")], words[words.index("CỘNG")]
    assert abs(info[3] - (210 - 15) * PT_PER_MM) < 2  # flush with the right margin (top right, ô 14)
    assert info[4] < national[2] and info[2] < 20 * PT_PER_MM  # above ô 1, in the top margin


def test_a_copy_is_archived_linked_logged_verified_and_found(home):
    done = _copy(home, "4482/SYT-VP")
    card = run_cli("show", "01/SY-SYT")
    assert card.code == 0 and "Bản sao của văn bản 4482/SYT-VP" in card.out and "sổ bản sao SYT" in card.out
    assert "Có bản sao 01/SY-SYT" in run_cli("show", "4482/SYT-VP", "--year", "2020").out
    db = sqlite3.connect(home / "vanthu.sqlite3")
    action, detail = db.execute("SELECT action, detail FROM events WHERE document_id = ? AND action NOT IN"
                                " ('view', 'download', 'print') ORDER BY id", (done.id,)).fetchone()
    assert action == "copy" and json.loads(detail)["links"] == {"copies": "4482/SYT-VP"}
    assert sorted(f.role for f in done.files) == ["docx", "pdf", "pdf-dien-tu"]
    assert run_cli("verify").code == 0
    found = run_cli("search", "01/SY-SYT", "--json")
    assert found.code == 0 and any(json.loads(l)["number"] == "01/SY-SYT" for l in found.out.splitlines())
    by_text = run_cli("search", "bluezone", "--json").out
    assert "01/SY-SYT" in by_text and "4482/SYT-VP" in by_text


def test_sao_luc_is_made_from_a_sao_y_and_prints_below_it(home):
    _copy(home, "4482/SYT-VP")
    done = _copy(home, "01/SY-SYT", kind="sao-luc")
    assert str(done.number) == "02/SL-SYT"
    text = "".join(p.extract_text() for p in _pdf(home, done).pages)
    assert text.index("SAO Y") < text.index("SAO LỤC") and "Số: 02/SL-SYT" in text


def _state(home):
    db = sqlite3.connect(home / "vanthu.sqlite3")
    try:
        return (k.stored_files(home), db.execute("SELECT COUNT(*) FROM events").fetchone()[0],
                db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("args, message", [
    (["999/SYT-VP", "--kind", "sao-y"], "không có văn bản số 999/SYT-VP"),
    (["4482/SYT-VP", "--kind", "sao-chep"], "hình thức sao 'sao-chep' không có; chọn một trong: sao-y, sao-luc, trich-sao"),
    (["4482/SYT-VP", "--kind", "trich-sao", "--pages", "3"], "--pages '3': văn bản có 2 trang"),
    (["4482/SYT-VP", "--kind", "trich-sao", "--pages", "2-1"], "--pages '2-1': văn bản có 2 trang"),
    (["4482/SYT-VP", "--kind", "trich-sao", "--pages", "một"], "ghi trang hoặc khoảng trang"),
    (["4482/SYT-VP", "--kind", "sao-y", "--pages", "1"], "--pages chỉ dùng cho trích sao"),
    (["4482/SYT-VP", "--kind", "sao-luc"], "sao lục được thực hiện từ bản sao y (Điều 25.2.b)"),
    (["01/SYT-VP", "--kind", "sao-y", "--year", "2020"], "là văn bản mật (mật)"),
    (["4482/SYT-VP", "--kind", "sao-y", "--place", "Đồng\x07Nai"], "--place:"),
])
def test_refusals_say_why_in_vietnamese_and_write_nothing(home, args, message):
    before = _state(home)
    result = run_cli("copy", *args)
    assert result.code == 1 and message in result.err, result.err
    assert result.err.startswith("Lỗi: ") and "Traceback" not in result.err
    assert _state(home) == before


def test_a_copy_of_a_copy_is_not_a_sao_y_and_a_secret_needs_the_permission_flag(home):
    _copy(home, "4482/SYT-VP")
    before = _state(home)
    result = run_cli("copy", "01/SY-SYT", "--kind", "sao-y")
    assert result.code == 1 and "là một bản sao" in result.err and "--kind sao-luc" in result.err
    assert _state(home) == before
    allowed = run_cli("copy", "01/SYT-VP", "--kind", "sao-y", "--secret", "--year", "2020")
    assert allowed.code == 0, allowed.err
    assert "Đã sao số 01/SY-SYT" in allowed.out and "/sao-mat/" in allowed.out  # the secret copies' own series
    assert k.serials(home, "SYT/sao/mật") == [1] and k.serials(home, "SYT/sao") == [1]


def test_the_cli_prints_the_copy_and_writes_the_paper_form_out(home, tmp_path):
    result = run_cli("copy", "4482/SYT-VP", "--kind", "sao-y", "-o", tmp_path / "ban-sao.pdf")
    assert result.code == 0, result.err
    assert result.out.startswith("Đã sao số 01/SY-SYT ngày ") and "(bản sao của văn bản 4482/SYT-VP)" in result.out
    assert "SAO Y" in PdfReader(str(tmp_path / "ban-sao.pdf")).pages[-1].extract_text()
    inside = run_cli("copy", "4482/SYT-VP", "--kind", "sao-y", "-o", home / "x.pdf")
    assert inside.code == 1 and "nằm trong thư mục kho" in inside.err
    helped = run_cli("copy", "--help").out
    assert "sao-y, sao-luc (từ một bản sao y) hoặc trich-sao" in helped and "--pages" in helped


def test_every_copy_block_docx_passes_openxml_audit(home, tmp_path):
    done = [_copy(home, "4482/SYT-VP", cc=("Như trên", "Lưu: VT, VP")),
            _copy(home, "173/TB-SGDĐT", kind="trich-sao", pages="1", authority=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))]
    out = tmp_path / "audit"
    out.mkdir()
    for d in done:
        stored = next(f for f in d.files if f.role == "docx")
        shutil.copy(home / stored.path, out / f"{d.id}.docx")
    command = [sys.executable, "-m", "openxml_audit", "-f", "office2016", "-o", "json", "-r", "-m", "0", str(out)]
    reports = json.loads(subprocess.run(command, capture_output=True, text=True, timeout=300).stdout)
    assert len(reports) == 2
    assert all(r["valid"] and not r["error_count"] and not r["warning_count"] for r in reports), reports


def test_the_copy_block_template_passes_the_template_checks_a_layout_without_a_schema_can():
    from vanthu.generator.lint import lint
    from vanthu.templates import BUILTIN_DIR
    path = BUILTIN_DIR / "blocks" / "ban-sao.docx"
    found = [str(f.problem(path)) for f in lint(path)]
    assert len(found) == 1 and "thiếu lược đồ ban-sao.yaml" in found[0]  # a block, not a type: every other check holds


def test_the_links_table_made_again_keeps_its_freeze_trigger_and_its_rows(tmp_path):
    """Migration 10 remakes ``links`` (a new kind in its CHECK): the withdrawal trigger on it is made again."""
    from vanthu.archive import db
    conn = db.connect(tmp_path / "vanthu.sqlite3")
    db.migrate(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'links'")}
    assert names == {"withdrawn_no_new_links"}
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'links'").fetchone()[0]
    assert "'copies'" in sql and "'replaces'" in sql and "'corrects'" in sql
