"""Issue 11, must show: a công văn from 1 to 4 pages, with long issuer names, as a văn thư checks it.

Forty bodies of growing length (so the signature block falls at every height
of the page, the page foot included) and five issuers with long names are
rendered into one PDF (one LibreOffice batch); each document is then read back
from the PDF's text positions (pypdf):

- the signature block (authority, title, name) and ``Nơi nhận:`` are on one
  page, with the body's last line above them on that page;
- no line of the header's left column ends inside a compound of
  :data:`vanthu.generator.linebreak.COMPOUNDS`;
- ô 4 (place and date) is one line.
"""
from itertools import groupby

import pytest
from ruamel.yaml import YAML

from pdfkit import pages_of_outline, reader_of
from vanthu.generator import linebreak
from vanthu.generator.pdfrender import render_pdf
from vanthu.generator.signing import text_lines
from vanthu.vndate import long_date

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

ISSUERS = [
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Thành phố Hồ Chí Minh"),
    ("UBND HUYỆN HIỆP HÒA", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Hiệp Hòa"),
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Bà Rịa - Vũng Tàu"),
    ("BỘ Y TẾ", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT TỈNH THỪA THIÊN HUẾ", "Thừa Thiên Huế"),
    ("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bắc Giang"),
]
WORDS = ("Thực hiện chỉ đạo của Ủy ban nhân dân về việc ứng dụng công nghệ thông tin và chuyển đổi số trong hoạt "
         "động của cơ quan nhà nước giai đoạn 2021-2025, các đơn vị khẩn trương rà soát, cập nhật dữ liệu, bố trí "
         "cán bộ đầu mối và báo cáo kết quả thực hiện về Sở trước ngày 15 hằng tháng để tổng hợp").split()
LAST = "Đề nghị các đơn vị nghiêm túc thực hiện kết thúc văn bản./."
LENGTHS = [30 + 45 * k for k in range(40)]  # words: a few lines to four pages


def body_of(words):
    text = [WORDS[i % len(WORDS)] for i in range(words)]
    paragraphs = [" ".join(text[i:i + 60]) + "." for i in range(0, len(text), 60)]
    return "\n".join(paragraphs + [LAST])


def record(index, words):
    parent, name, place = ISSUERS[index % len(ISSUERS)]
    return {
        "type": "cong-van", "issuer": {"parent": parent, "name": name, "code": "SGD"}, "unit": "VP",
        "number": index + 1, "place": place, "date": "2021-02-28",
        "subject": "Triển khai Nghị định số 30/2020/NĐ-CP về công tác văn thư và ứng dụng chữ ký số năm học 2020-2021",
        "to": ["Các sở, ban, ngành Thành phố", "Ủy ban nhân dân các quận, huyện"], "body": body_of(words),
        "signer": {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Văn Thành"},
        "cc": ["Như trên", "Lãnh đạo Sở", "Các phòng, ban thuộc Sở", "Lưu: VT, VP"],
    }


@pytest.fixture(scope="module")
def sweep(tmp_path_factory, private_tmp):
    """(record, [page text lines]) of each document of the sweep, from one PDF."""
    folder = tmp_path_factory.mktemp("sweep")
    records, paths = [], []
    for index, words in enumerate(LENGTHS):
        records.append(record(index, words))
        paths.append(folder / f"cv-{index:02d}.yaml")
        with open(paths[-1], "w", encoding="utf-8") as f:
            YAML().dump(records[-1], f)
    report = render_pdf(paths, folder / "sweep.pdf")
    assert report.ok, report.problems
    reader = reader_of(folder / "sweep.pdf")
    ranges = pages_of_outline(reader)
    assert len(ranges) == len(records)
    return [(r, [text_lines(reader.pages[i]) for i in range(start, end)]) for r, (_, start, end) in zip(records, ranges)]


def rows(lines, column=None):
    """Text runs grouped into printed lines (same baseline), top to bottom; ``column`` 'left' or 'right' of the header."""
    if column:
        lines = [l for l in lines if (l.x < 260) == (column == "left")]
    ordered = sorted(lines, key=lambda l: (-round(l.y), l.x))
    return [" ".join(l.text for l in group) for _, group in groupby(ordered, key=lambda l: round(l.y))]


def page_of(pages, text):
    found = [i for i, lines in enumerate(pages) if any(text in l.text for l in lines)]
    assert found, f"{text!r} not in the PDF"
    return found[-1]


def test_the_sweep_runs_from_one_to_four_pages(sweep):
    counts = [len(pages) for _, pages in sweep]
    assert min(counts) == 1 and max(counts) >= 4, counts


def test_signature_block_is_whole_with_the_body_above_it(sweep):
    for rec, pages in sweep:
        signer = rec["signer"]
        where = {text: page_of(pages, text) for text in
                 (signer["authority"], signer["title"], signer["name"], "Nơi nhận:", "kết thúc văn bản")}
        assert len(set(where.values())) == 1, (len(rec["body"]), where)
        page = pages[where["Nơi nhận:"]]
        last_body = max(l.y for l in page if "kết thúc văn bản" in l.text)
        block_top = max(l.y for l in page if signer["authority"] in l.text or "Nơi nhận:" in l.text)
        assert last_body > block_top


def test_no_header_line_ends_inside_a_compound(sweep):
    for rec, pages in sweep:
        top = max(l.y for l in pages[0] if l.text.startswith("Số:"))
        left = rows([l for l in pages[0] if l.y > top], "left")
        assert left, rec["issuer"]
        for before, after in zip(left, left[1:]):
            assert not linebreak.inside_compound(before, after), (before, after)
        printed = " ".join(left).split()
        assert printed == f'{rec["issuer"]["parent"]} {rec["issuer"]["name"]}'.split()


def test_place_and_date_is_one_line(sweep):
    for rec, pages in sweep:
        import datetime as dt
        wanted = f'{rec["place"]}, {long_date(dt.date.fromisoformat(rec["date"]))}'
        assert wanted in rows(pages[0], "right"), rows(pages[0], "right")[:6]
