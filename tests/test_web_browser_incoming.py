"""An incoming document through the whole flow in real headless Chromium: received, assigned, overdue, done.

The clerk registers it on /nhan (day and hour of arrival, by post), the
leader assigns it on its page with a deadline already past, sees it on / and
in /theo-doi as overdue; the handler finds it on /, acknowledges it and
reports the result, and it leaves the overdue list.
"""
import re

import docx
import pytest

from test_web_browser import browser, log_in, log_out, serve  # noqa: F401  (browser: a fixture)
from vanthu.archive import people
from webkit import PASSWORD

pytestmark = pytest.mark.browser
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("browser-den") / "kho"
    people.add("lan", PASSWORD, ["van-thu"], home, full_name="Nguyễn Thị Lan")
    people.add("vu", PASSWORD, ["lanh-dao"], home, full_name="Phan Huy Anh Vũ", title="Giám đốc")
    people.add("hung", PASSWORD, ["chuyen-vien"], home, full_name="Nguyễn Văn Hùng")
    yield from serve(home)


@pytest.fixture
def page(browser, server):  # noqa: F811
    context = browser.new_context(base_url=server["url"], locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_an_incoming_document_from_receipt_to_done(page, server, tmp_path, day):
    letter = docx.Document()
    letter.add_paragraph("Đề nghị triển khai quy trình truy vết người nghi nhiễm.")
    letter.save(tmp_path / "4199.docx")

    log_in(page, "lan")
    page.click("nav a[href='/nhan']")
    page.set_input_files("input[name=file]", str(tmp_path / "4199.docx"))
    for name, value in {"number": "4199/BYT-VPB1", "date": day(-12), "issuer": "Bộ Y tế", "type": "Công văn",
                        "subject": "triển khai BlueZone", "received": f"{day(-10)} 08:30"}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=via]", "buu-dien")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/van-ban/\d+$"))
    document = page.url
    assert "Đã vào sổ đến số 01" in page.inner_text(".flash.ok")
    assert "Chưa giao cho ai." in page.inner_text("#giai-quyet")
    log_out(page)

    log_in(page, "vu")
    page.goto(document)
    page.fill("#giai-quyet [name=handler]", "hung")
    page.fill("#giai-quyet [name=co_handlers]", "Phòng Tài chính")
    page.fill("#giai-quyet [name=deadline]", day(-2))
    page.fill("#giai-quyet [name=instructions]", "Phòng Nghiệp vụ chủ trì, báo cáo kết quả")
    page.click("#giai-quyet form[action$='/giao'] button[type=submit]")
    page.wait_for_url(re.compile(r"/van-ban/\d+#giai-quyet$"))
    assert page.inner_text("#chu-tri") == "Nguyễn Văn Hùng"
    assert "QUÁ HẠN 2 ngày" in page.inner_text("#tien-do")
    page.goto("/")
    assert "4199/BYT-VPB1" in page.inner_text("#den-qua-han")
    page.click("nav a[href='/theo-doi']")
    page.click("text=Quá hạn")
    assert "QUÁ HẠN 2 ngày" in page.inner_text("#theo-doi")
    log_out(page)

    log_in(page, "hung")
    assert "4199/BYT-VPB1" in page.inner_text("#den-cua-toi")
    assert page.locator("#den-qua-han").count() == 0  # the overdue box is for leaders and clerks
    page.click("#den-cua-toi a")
    page.click("text=Đã nhận, bắt đầu giải quyết")
    page.wait_for_url(re.compile(r"#giai-quyet$"))
    assert "Đang giải quyết" in page.inner_text("#tien-do")
    page.fill("#giai-quyet [name=result]", "Đã trả lời bằng Công văn 4500/SYT-NV")
    page.fill("#giai-quyet [name=reply]", "4500/SYT-NV")
    page.click("text=Báo đã giải quyết")
    page.wait_for_url(re.compile(r"#giai-quyet$"))
    assert page.inner_text("#tien-do").startswith("Đã giải quyết")
    log_out(page)

    log_in(page, "vu")
    page.goto("/theo-doi?loc=qua-han")
    assert "Không có văn bản đến nào" in page.content()
    page.goto("/so/den")
    assert "Nguyễn Văn Hùng (chủ trì); phối hợp: Phòng Tài chính" in page.content()
