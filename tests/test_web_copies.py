"""Copies on the web (sao văn bản, Điều 25; issue 11's CLI `vanthu copy`): the văn thư's form on /van-ban/<id>.

Over HTTP: the form only for the văn thư, the POST refused to every other role
and without its CSRF token (nothing written), the core's refusals said in web
words (nothing written), and a sao y then a sao lục of it made, read back from
the register, the stored PDF and the log.
"""
import io
import re
import shutil
import sqlite3

import pytest
from pypdf import PdfReader

import archivekit as k
from vanthu.archive import lookup
from vanthu.web import create_app
from webkit import ROLES, csrf, login, make_people

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A home holding 4482/SYT-VP and a secret 02/SYT-VP, their PDFs made by LibreOffice; one person per role."""
    from vanthu.archive.pdfexport import convert
    home = tmp_path_factory.mktemp("web-sao") / "kho"
    make_people(home)
    k.issue_past([k.record(number=4482, date="2020-08-06", subject="triển khai cài đặt BlueZone")], home,
                 to_pdf=convert)
    k.issue_past([k.record(confidentiality="mật", subject="phương án bảo vệ", date="2020-09-01")], home,
                 to_pdf=convert)
    (home / "settings.yaml").write_text(
        "separate_series: []\norgan_id: ''\nsecret_roles: [van-thu, lanh-dao]\ndefaults:\n  place: Đồng Nai\n"
        "  signer: {title: CHÁNH VĂN PHÒNG, name: Trần Văn B, authority: TL. GIÁM ĐỐC}\n", encoding="utf-8")
    return home


@pytest.fixture
def site(made, tmp_path):
    home = tmp_path / "kho"
    shutil.copytree(made, home)
    return home, create_app(home)


def as_person(app, name):
    client = app.test_client()
    if name != "anon":
        assert login(client, name).status_code == 302
    return client


def documents(home):
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    try:
        return conn.execute("SELECT id, number, symbol FROM documents ORDER BY id").fetchall()
    finally:
        conn.close()


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def copy(client, document_id, token_from=None, **form):
    token = csrf(client, token_from or f"/van-ban/{document_id}")
    return client.post(f"/van-ban/{document_id}/sao", data={"kind": "sao-y", **form, "csrf_token": token})


def test_only_the_clerk_has_the_form_and_the_post(site):
    home, app = site
    for role in ("anon", *ROLES):
        client, before = as_person(app, role), documents(home)
        page = client.get("/van-ban/1")
        answer = copy(client, 1, token_from="/dang-nhap" if role == "anon" else None)
        if role == "anon":
            assert page.status_code == answer.status_code == 302
            assert answer.headers["Location"].startswith("/dang-nhap?next=")
        elif role == "clerk":
            assert 'id="sao-nut"' in text(page) and 'value="Trần Văn B"' in text(page)
            assert answer.status_code == 302 and len(documents(home)) == len(before) + 1
        else:
            assert page.status_code == 200 and 'id="sao-nut"' not in text(page), role
            assert answer.status_code == 403, role
        if role != "clerk":
            assert documents(home) == before, role
    clerk, before = as_person(app, "clerk"), documents(home)
    assert clerk.post("/van-ban/1/sao", data={"kind": "sao-y"}).status_code == 400  # no CSRF token
    assert clerk.post("/van-ban/1/sao", data={"kind": "sao-y"}, headers={"X-CSRFToken": "gia-mao"}).status_code == 400
    assert documents(home) == before


def test_refusals_are_the_cores_in_web_words_and_write_nothing(site):
    home, app = site
    clerk, before = as_person(app, "clerk"), documents(home)
    for form, said in [({"kind": "sao-luc"}, "Không sao được: sao lục được thực hiện từ bản sao y (Điều 25.2.b); "
                                             "4482/SYT-VP không phải bản sao y. Sao y trước (chọn Sao y), rồi sao lục"),
                       ({"kind": "sao-y", "pages": "1"}, "Không sao được: Trang chỉ dùng cho trích sao"),
                       ({"kind": "trich-sao", "pages": "9"}, "Không sao được: Trang '9': văn bản có 1 trang"),
                       ({"kind": "trich-sao", "pages": "{{ 7*7 }}"}, "Trang '{{ 7*7 }}': ghi trang hoặc khoảng trang"),
                       ({"kind": "ban-nhap"}, "hình thức sao 'ban-nhap' không có"),
                       ({"kind": "sao-y", "signer": "Trần\x07Văn B"}, "Không sao được: ô Người ký")]:
        answer = copy(clerk, 1, **form)
        assert answer.status_code == 302 and answer.headers["Location"] == "/van-ban/1", form
        shown = text(clerk.get("/van-ban/1"))
        assert said in shown.replace("&#39;", "'"), (form, shown[:3000])
        assert "--" not in re.search(r'class="flash error[^>]*>(.*?)</', shown).group(1), form
    secret = copy(clerk, 2)
    assert "đánh dấu ô &#34;Người có thẩm quyền cho sao văn bản mật&#34;" in text(clerk.get(secret.headers["Location"]))
    assert documents(home) == before


def test_the_clerk_makes_a_sao_y_then_a_sao_luc_of_it(site):
    home, app = site
    clerk = as_person(app, "clerk")
    made = copy(clerk, 1)
    assert made.status_code == 302
    page = text(clerk.get(made.headers["Location"]))
    number = re.search(r"Đã sao số (\S+) ngày", page).group(1)
    assert number.endswith("/SY-SYT") and "(bản sao của văn bản 4482/SYT-VP)" in page
    (new_id, _, symbol), = [row for row in documents(home) if row[0] not in (1, 2)]
    assert made.headers["Location"] == f"/van-ban/{new_id}" and symbol == "SY-SYT"
    entry = lookup.entry_by_id(new_id, home)
    paper = next(f for f in entry.files if f.role == "pdf")
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO((home / paper.path).read_bytes())).pages)
    assert "SAO Y" in words and "Trần Văn B" in words and "triển khai cài đặt BlueZone" in words
    assert [h["user"] for h in lookup.history(new_id, home) if h["action"] == "copy"] == ["clerk"]
    assert "4482/SYT-VP" in page  # the link to its original

    again = copy(clerk, new_id, kind="sao-luc")  # a sao lục is made from a bản sao y
    assert again.status_code == 302 and "/SL-SYT" in text(clerk.get(again.headers["Location"]))
    assert len(documents(home)) == 4
