"""The web app in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

What a clerk and a drafter do in a day, through `vanthu serve` as it runs in
an office: log in, draft the seed dispatch 4482/SYT-VP through the form
alone, check its preview and downloaded PDF against the seed's expected text,
issue it, search `truy vet`, fill the BlueZone form, print the register; and
what must not happen: a drafter issuing, a drafter reading a secret subject,
a POST without its CSRF token changing anything.

Screenshots of the main pages go to $VANTHU_SCREENSHOTS (docs/img for the
user guide) or a temporary folder. Under CI=true a missing Chromium or
Playwright FAILS the run: these tests are never skipped there.
"""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from readback import missing_in_order, pdf_text
from vanthu.archive import people
from vanthu.archive.issuing import issue_files
from vanthu.workflow import drafts
from webkit import DATA, PASSWORD, SECRET_SUBJECT, secret_record, seed_form

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _missing(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is missing (pip install playwright)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`vanthu serve` on a free port, over a home with a clerk, a drafter and a secret document."""
    home = tmp_path_factory.mktemp("browser") / "kho"
    people.add("lan", PASSWORD, ["van-thu"], home, full_name="Nguyễn Thị Lan", title="Văn thư")
    people.add("hoa", PASSWORD, ["chuyen-vien"], home, full_name="Trần Thị Hoa", title="Chuyên viên")
    people.add("vu", PASSWORD, ["lanh-dao"], home, full_name="Phan Huy Anh Vũ", title="Giám đốc")
    issue_files([secret_record(home.parent)], home, pdf=False)
    yield from serve(home)


def serve(home):
    """Run `vanthu serve` over HOME on a free port; yield its url and home, then stop it."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(DATA.parent.parent)]))}
    process = subprocess.Popen([sys.executable, "-m", "vanthu.cli", "--home", str(home), "serve", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_for(url, process)
    yield {"url": url, "home": home}
    process.terminate()
    process.wait(timeout=20)


def _wait_for(url, process):
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(f"vanthu serve stopped: {process.stdout.read().decode()}")
        try:
            urllib.request.urlopen(url + "/dang-nhap", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("vanthu serve did not answer in 20 s")


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = os.environ.get("VANTHU_SCREENSHOTS") or str(tmp_path_factory.mktemp("shots"))
    os.makedirs(folder, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server["url"], locale="vi-VN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def log_in(page, name):
    page.goto("/")
    assert "/dang-nhap" in page.url
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.click("text=Đăng xuất")
    page.wait_for_url(re.compile(r"/dang-nhap"))


def fill_form(page, values):
    for name, value in values.items():
        if name == "attachments":
            page.check(f"input[name=attachments][value={value}]")
        else:
            page.fill(f"[name='{name}']", value)


def download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    return info.value.path()


def shot(page, shots, name, **options):
    page.screenshot(path=os.path.join(shots, f"{name}.png"), **options)


def test_a_day_in_the_web_app(page, server, shots):
    # Log in as the drafter; a wrong password first.
    page.goto("/dang-nhap")
    shot(page, shots, "dang-nhap")
    page.fill("#username", "hoa")
    page.fill("#password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.inner_text(".flash.error")
    log_in(page, "hoa")
    shot(page, shots, "viec-cua-toi")

    # Draft the seed dispatch through the form alone, and check its preview.
    page.click("nav a[href='/soan']")
    shot(page, shots, "soan")
    page.click("a[href='/soan/cong-van']")
    page.wait_for_url(re.compile(r"/soan/cong-van$"))
    fill_form(page, seed_form())
    page.click("button[value=preview]")
    page.wait_for_selector("#xem-truoc img", timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('#xem-truoc img')].every(i => i.complete)", timeout=60_000)
    images = page.eval_on_selector_all("#xem-truoc img", "els => els.map(e => e.complete && e.naturalWidth)")
    assert len(images) == 2 and all(w and w > 300 for w in images)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, shots, "soan-cong-van")
    page.locator("fieldset:has(button[value=them-phu-luc])").scroll_into_view_if_needed()
    assert page.locator("button[value=them-phu-luc]").is_visible()  # the guide shows the appendix buttons
    shot(page, shots, "soan-phu-luc")
    page.evaluate("window.scrollTo(0, 0)")
    preview = page.get_attribute("#xem-truoc-pdf", "href")
    preview_pdf = page.request.get(preview).body()
    assert missing_in_order(DATA / "4482-SYT-VP.expected.txt", _pdf_text_of(preview_pdf)) == []

    # Save it, download its PDF, check it the same way.
    page.click("button[value=save]")
    page.wait_for_url(re.compile(r"/du-thao/\d+$"))
    draft_id = int(page.url.rsplit("/", 1)[1])
    assert "Đã lưu dự thảo" in page.inner_text(".flash.ok")
    assert missing_in_order(DATA / "4482-SYT-VP.expected.txt", pdf_text(download(page, "text=Tải PDF"))) == []
    page.wait_for_selector("#xem-truoc img", timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('#xem-truoc img')].every(i => i.complete)", timeout=60_000)
    shot(page, shots, "du-thao")

    # The drafter cannot issue: no button, and the POST itself is refused.
    assert page.locator("#ban-hanh").count() == 0
    token = page.get_attribute("input[name=csrf_token]", "value")
    status = page.evaluate("""([id, token]) => fetch(`/du-thao/${id}/ban-hanh`, {method: 'POST',
        headers: {'X-CSRFToken': token}}).then(r => r.status)""", [draft_id, token])
    assert status == 403

    # Trình ký: the drafter submits it to the leader (only an approved draft is issued on paper).
    page.select_option("select[name=to]", "vu")
    page.click("#trinh-ky-nut")
    assert "Đã trình ký." in page.inner_text(".flash.ok")

    # Fill the BlueZone form.
    page.goto("/soan/dang-ky-tai-khoan-bluezone")
    fill_form(page, {"organization": "Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai", "manager_name": "Nguyễn Thị Minh Hạnh",
                     "position": "Trưởng khoa Kiểm soát bệnh truyền nhiễm", "phone": "0912 345 678",
                     "email": "cdc@dongnai.gov.vn", "place": "Đồng Nai", "date": "06/8/2020", "head_name": "Trần Văn Đức"})
    page.click("button[value=save]")
    page.wait_for_url(re.compile(r"/du-thao/\d+$"))
    assert missing_in_order(DATA / "dang-ky-tai-khoan-bluezone.expected.txt",
                            pdf_text(download(page, "text=Tải PDF"))) == []

    # A drafter does not see the secret document's subject.
    page.goto("/tim-kiem?q=17%2FSYT-VP")
    assert "17/SYT-VP" in page.inner_text("#ket-qua")
    assert SECRET_SUBJECT not in page.content() and "văn bản mật" in page.inner_text("#ket-qua")
    page.click("#ket-qua a.title")
    assert SECRET_SUBJECT not in page.content()
    log_out(page)

    # The leader approves it, to sign the paper copy by hand.
    log_in(page, "vu")
    page.goto(f"/du-thao/{draft_id}")
    page.click("#dong-y")
    assert "Đã đồng ý." in page.inner_text(".flash.ok")
    log_out(page)

    # The clerk issues the draft on paper and sees its number.
    log_in(page, "lan")
    page.goto(f"/du-thao/{draft_id}")
    page.click("#ban-hanh")
    page.wait_for_url(re.compile(r"/van-ban/\d+\?moi=1$"))
    assert page.inner_text("#so-van-ban") == "4482/SYT-VP"
    shot(page, shots, "da-ban-hanh")
    assert drafts.get(draft_id, server["home"]).state == drafts.ISSUED

    # Search `truy vet` and open it.
    page.click("nav a[href='/tim-kiem']")
    page.fill("#q", "truy vet")
    page.press("#q", "Enter")
    page.wait_for_selector("#ket-qua li.result")
    marks = page.eval_on_selector_all("#ket-qua mark", "els => els.map(e => e.textContent)")
    assert "truy" in marks and "vết" in marks
    shot(page, shots, "tim-kiem")
    page.click("#ket-qua a.title:has-text('4482/SYT-VP')")
    page.wait_for_url(re.compile(r"/van-ban/\d+$"))
    assert "triển khai cài đặt và sử dụng ứng dụng BlueZone" in page.inner_text("dl.card")
    shot(page, shots, "van-ban")

    # Print the register: on screen, and the PDF to bind.
    page.click("nav a[href='/so/di']")
    page.fill("input[name=nam]", "2020")
    page.click("form.noprint button[type=submit]")
    page.wait_for_url(re.compile(r"nam=2020"))
    assert "4482/SYT-VP" in page.inner_text("table.register")
    shot(page, shots, "so-di")
    printed = str(server["home"].parent / "so-di-in.pdf")
    page.emulate_media(media="print")
    page.pdf(path=printed, format="A4", landscape=True)  # the browser's own print of the page
    page.emulate_media(media="screen")
    on_paper = pdf_text(printed)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in on_paper and "4482/SYT-VP" in on_paper and "Đăng xuất" not in on_paper
    answer = page.request.get(page.get_attribute("text=In sổ (PDF)", "href"), timeout=120_000)
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    register = _pdf_text_of(answer.body())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in register and "4482/SYT-VP" in register

    # A POST without its CSRF token changes nothing.
    other = drafts.create((DATA / "4482-SYT-VP.yaml").read_text(encoding="utf-8").replace("number: 4482\n", "number: 4490\n"),
                          "hoa", server["home"])
    status = page.evaluate("id => fetch(`/du-thao/${id}/ban-hanh`, {method: 'POST'}).then(r => r.status)", other.id)
    assert status == 400
    assert drafts.get(other.id, server["home"]).state == drafts.DRAFT

    # Help page, then log out.
    page.click("nav a[href='/huong-dan']")
    assert "Hướng dẫn" in page.inner_text("h1")
    log_out(page)
    page.goto("/tim-kiem")
    assert "/dang-nhap" in page.url


def test_pages_fit_a_phone_screen(browser, server, shots):
    context = browser.new_context(base_url=server["url"], viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, "lan")
    page.goto("/tim-kiem?q=bluezone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the search page is {width}px wide on a 390px phone"
    shot(page, shots, "dien-thoai")
    context.close()


def _pdf_text_of(data):
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return pdf_text(f.name)
