"""Use of records in real headless Chromium (issue 16 item 4): two people read a document, its page shows
who and when; the clerk picks result columns, saves a search, exports the results and prints a document,
each printout marked with her name.
"""
import io
import re
import time

import docx
import pytest

import archivekit as k
from readback import pdf_text
from test_web_browser import browser, log_in, log_out, serve  # noqa: F401 (the shared browser set-up)
from vanthu.archive import people
from vanthu.archive.importing import import_document
from webkit import PASSWORD

pytestmark = pytest.mark.browser
MARK = re.compile(r"In từ hệ thống vanthu bởi (.+?) lúc (\d\d/\d\d/\d{4} \d\d:\d\d)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("records-browser") / "kho"
    people.add("lan", PASSWORD, ["van-thu"], home, full_name="Nguyễn Thị Lan", title="Văn thư")
    people.add("vu", PASSWORD, ["lanh-dao"], home, full_name="Phan Huy Anh Vũ", title="Giám đốc")
    for n in range(2):
        k.issue_past([k.record(date="2021-03-01", subject=f"văn bản {n} phòng chống dịch")], home,
                     renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    scan = home.parent / "den.pdf"
    scan.write_bytes(k.text_pdf("Cong van den ve phong chong dich benh mua he"))
    import_document(scan, "15/BYT-KH", "2021-03-01", "Bộ Y tế", home, received="2021-03-02")
    yield from serve(home)


@pytest.fixture
def context(browser, server):
    context = browser.new_context(base_url=server["url"], locale="vi-VN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


def test_two_people_read_a_document_and_its_page_names_them(context):
    page = context.new_page()
    log_in(page, "vu")
    page.goto("/van-ban/1")
    with page.expect_download() as got:
        page.click("text=tải về")
    assert got.value.suggested_filename.endswith(".docx")
    log_out(page)
    log_in(page, "lan")
    page.goto("/van-ban/1")
    rows = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("tr.event").all()]
    people_and_acts = [(who, act) for _, who, act in rows]
    assert people_and_acts[0][1] == "ban hành"
    assert people_and_acts[1:] == [("vu", "xem"), ("vu", "tải về (01-SYT-VP.docx)"), ("lan", "xem")]
    page.click("text=Thống kê")
    page.select_option("select[name=theo]", "person")
    page.click("text=Xem")
    cells = page.locator("table.stats tbody tr").all_inner_texts()
    assert any(re.match(r"vu\s+1\s+1\s+0\s+2", c) for c in cells), cells


def test_the_clerk_saves_a_search_exports_it_and_prints_a_document_each_marked(context, tmp_path):
    page = context.new_page()
    log_in(page, "lan")
    page.goto("/tim-kiem")
    page.fill("#q", "phong chong dich")
    page.click("button.primary")
    page.wait_for_selector("ol.results li")
    for key in ("type", "issuer", "status"):
        page.uncheck(f"input[name=cot][value={key}]")
    page.click("text=Hiện các cột này")
    page.wait_for_selector("table.chosen-columns")
    assert page.locator("table.chosen-columns th").all_inner_texts() == ["Số, ký hiệu", "Ngày", "Trích yếu nội dung"]
    with page.expect_download() as got:
        page.click("text=Kết xuất DOCX")
    exported = docx.Document(got.value.path())
    assert [c.text for c in exported.tables[0].rows[0].cells] == ["STT", "Số, ký hiệu", "Ngày", "Trích yếu nội dung"]
    assert len(exported.tables[0].rows) == 4
    assert MARK.fullmatch(exported.sections[0].footer.paragraphs[-1].text).group(1) == "Nguyễn Thị Lan"
    page.fill("input[name=ten]", "dịch bệnh")
    page.click("#luu-tim-kiem button")
    page.wait_for_selector("ul.saved-searches")
    assert "Đã lưu tìm kiếm «dịch bệnh»" in page.content()
    page.goto("/")
    page.goto("/tim-kiem")
    page.click("ul.saved-searches >> text=dịch bệnh")
    page.wait_for_selector("table.chosen-columns")
    assert page.locator("ol.results li").count() == 3

    page.goto("/van-ban/3")
    link = page.locator("text=in (bản có dòng người in)")
    printed = context.request.get(link.get_attribute("href"))
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    path = tmp_path / "in.pdf"
    path.write_bytes(printed.body())
    found = MARK.search(pdf_text(path))
    assert found and found.group(1) == "Nguyễn Thị Lan"
    assert abs(time.mktime(time.strptime(found.group(2), "%d/%m/%Y %H:%M")) - time.time()) < 180
    page.reload()
    rows = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in page.locator("tr.event").all()]
    assert ["lan", "in (den.pdf)"] in [row[1:] for row in rows], rows  # the printing is in the document's history
