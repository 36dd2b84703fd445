"""The web app over HTTP (Flask's test client): every route for every role, sessions, CSRF, bad input.

Each answer is read back: status codes, the page's text, and the archive
(documents, drafts, files) to show what was written or not.
"""
import io
import re
import sqlite3

import pytest

from vanthu.archive import people
from vanthu.archive.issuing import issue_files
from vanthu.web import create_app
from vanthu.workflow import drafts

from webkit import PASSWORD, ROLES, SECRET_SUBJECT, SEED, csrf, login, make_people, secret_record, seed_form


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A home with one person per role, the seed issued, a secret document, and a draft of the drafter."""
    home = tmp_path_factory.mktemp("web") / "kho"
    make_people(home)
    seed = issue_files([SEED], home, pdf=False)[0]
    secret = issue_files([secret_record(home.parent)], home, pdf=False)[0]
    draft = drafts.create(SEED.read_text(encoding="utf-8").replace("number: 4482\n", ""), "drafter", home)
    app = create_app(home)
    return {"home": home, "app": app, "seed": seed.id, "secret": secret.id, "draft": draft.id}


def client_for(site, role):
    client = site["app"].test_client()
    if role != "anon":
        assert login(client, role).status_code == 302
    return client


def counts(home):
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "drafts", "files", "people")}


ALL = {"admin": 200, "clerk": 200, "drafter": 200, "leader": 200}
DRAFTING = {"admin": 403, "clerk": 200, "drafter": 200, "leader": 200}
REGISTERS = {"admin": 403, "clerk": 200, "drafter": 403, "leader": 200}
GET_ROUTES = [
    ("/", ALL), ("/tim-kiem?q=truy+vet", ALL), ("/api/tim-kiem?q=truy+vet", ALL), ("/van-ban/{seed}", ALL),
    ("/van-ban/{seed}/tep/docx", ALL), ("/van-ban/{secret}", ALL),
    ("/van-ban/{secret}/tep/docx", {"admin": 403, "clerk": 200, "drafter": 403, "leader": 200}),
    ("/so/di", REGISTERS), ("/so/den", REGISTERS), ("/so/di?nam=2020", REGISTERS), ("/so/di.xlsx?nam=2020", REGISTERS),
    ("/theo-doi", REGISTERS), ("/theo-doi?loc=qua-han", REGISTERS),
    ("/soan", DRAFTING), ("/soan/cong-van", DRAFTING), ("/soan/quyet-dinh", DRAFTING),
    ("/soan/dang-ky-tai-khoan-bluezone", DRAFTING), ("/du-thao", DRAFTING), ("/du-thao/{draft}", DRAFTING),
    ("/du-thao/{draft}.yaml", DRAFTING), ("/du-thao/{draft}/sua", {"admin": 403, "clerk": 200, "drafter": 200, "leader": 403}),
    ("/nhan", {"admin": 403, "clerk": 200, "drafter": 403, "leader": 403}),
    ("/nguoi-dung", {"admin": 200, "clerk": 403, "drafter": 403, "leader": 403}),
    ("/huong-dan", ALL), ("/van-ban/99999", {r: 404 for r in ROLES}), ("/soan/khong-co", {"admin": 403, "clerk": 404,
                                                                                          "drafter": 404, "leader": 404}),
]


@pytest.mark.parametrize("role", ["anon", *ROLES])
def test_every_page_for_every_role(site, role):
    client = client_for(site, role)
    for pattern, expected in GET_ROUTES:
        path = pattern.format(**site)
        answer = client.get(path)
        if role == "anon":
            want = 401 if path.startswith("/api/") else 302
            assert answer.status_code == want, path
            if want == 302:
                assert answer.headers["Location"].startswith("/dang-nhap?next=")
        else:
            assert answer.status_code == expected[role], (path, role, answer.get_data(as_text=True)[:300])


POST_ROUTES = [  # path, form, roles that may; the others get 403 and nothing changes
    ("/du-thao/{draft}/sao-chep", {}, {"clerk", "drafter", "leader"}),
    ("/nguoi-dung", {"username": "moi", "password": PASSWORD, "roles": "chuyen-vien"}, {"admin"}),
    ("/du-thao/nhap", {}, {"clerk", "drafter", "leader"}),
]


@pytest.mark.parametrize("role", list(ROLES))
def test_posts_refused_to_the_wrong_roles_change_nothing(site, role):
    client = client_for(site, role)
    for pattern, form, allowed in POST_ROUTES:
        before = counts(site["home"])
        answer = client.post(pattern.format(**site), data={**form, "csrf_token": csrf(client)})
        if role in allowed:
            assert answer.status_code in (302, 303), pattern
        else:
            assert answer.status_code == 403, pattern
            assert counts(site["home"]) == before, pattern
    before = counts(site["home"])
    refused = client.post(f"/du-thao/{site['draft']}/ban-hanh", data={"csrf_token": csrf(client)})
    if role != "clerk":
        assert refused.status_code == 403 and counts(site["home"]) == before


def test_anonymous_post_and_post_without_csrf_change_nothing(site):
    client = client_for(site, "clerk")
    draft = drafts.create(SEED.read_text(encoding="utf-8").replace("number: 4482\n", ""), "drafter", site["home"])
    before = counts(site["home"])
    for path in (f"/du-thao/{draft.id}/ban-hanh", f"/du-thao/{draft.id}/sao-chep", "/dang-xuat"):
        answer = client.post(path)
        assert answer.status_code in (400, 403), path
        assert "CSRF" in answer.get_data(as_text=True)
    assert client.post("/dang-xuat", headers={"X-CSRFToken": "gia-mao"}).status_code == 400
    assert counts(site["home"]) == before
    assert drafts.get(draft.id, site["home"]).state == drafts.DRAFT
    assert client.get("/").status_code == 200  # still logged in: the logout without a token did nothing


def test_session_cookie_is_httponly_and_samesite_lax(site):
    client = site["app"].test_client()
    answer = login(client, "clerk")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_then_repeated_failures_are_slowed(tmp_path):
    people.add("lan", PASSWORD, ["van-thu"], tmp_path)
    client = create_app(tmp_path).test_client()
    for _ in range(people.FREE_FAILURES):
        answer = login(client, "lan", "sai-mat-khau")
        assert answer.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in answer.get_data(as_text=True)
    locked = login(client, "lan", PASSWORD)
    assert locked.status_code == 401 and "thử lại sau" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert login(client, "khong-co", PASSWORD).status_code == 401


def test_login_goes_back_to_the_page_asked_for_but_never_to_another_site(site):
    client = site["app"].test_client()
    token = csrf(client, "/dang-nhap")
    answer = client.post("/dang-nhap", data={"username": "clerk", "password": PASSWORD, "csrf_token": token,
                                             "next": "/tim-kiem?q=bluezone"})
    assert answer.headers["Location"] == "/tim-kiem?q=bluezone"
    for evil in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)"):
        client = site["app"].test_client()
        answer = client.post("/dang-nhap", data={"username": "clerk", "password": PASSWORD,
                                                 "csrf_token": csrf(client, "/dang-nhap"), "next": evil})
        assert answer.headers["Location"] == "/", evil


def test_logout_ends_the_session_and_is_logged_with_the_name(site):
    client = client_for(site, "leader")
    assert client.post("/dang-xuat", data={"csrf_token": csrf(client)}).status_code == 302
    assert client.get("/").status_code == 302
    conn = sqlite3.connect(site["home"] / "vanthu.sqlite3")
    assert conn.execute("SELECT user FROM events WHERE action = 'logout' ORDER BY id DESC").fetchone()[0] == "leader"


def test_a_disabled_person_is_out_at_the_next_request(tmp_path):
    people.add("lan", PASSWORD, ["van-thu"], tmp_path)
    client = create_app(tmp_path).test_client()
    login(client, "lan")
    assert client.get("/").status_code == 200
    people.disable("lan", tmp_path)
    assert client.get("/").status_code == 302


def test_search_page_and_api_agree_with_the_cli(site):
    from conftest import run_cli
    client = client_for(site, "clerk")
    page = client.get("/tim-kiem?q=truy+vet").get_data(as_text=True)
    assert "4482/SYT-VP" in page and "<mark>truy</mark>" in page and "<mark>vết</mark>" in page
    api = client.get("/api/tim-kiem?q=truy+vet").get_json()
    cli = run_cli("--home", site["home"], "search", "truy", "vet", "--json")
    import json
    assert [r["number"] for r in api] == [json.loads(l)["number"] for l in cli.out.splitlines()]
    assert client.get("/tim-kiem?q=truy+vet&tu=31/02/2020").status_code == 200
    filtered = client.get("/api/tim-kiem?q=bluezone&huong=den").get_json()
    assert filtered == []
    suggested = client.get("/tim-kiem?q=bluezon&huong=di").get_data(as_text=True)
    assert "Có phải bạn muốn tìm:" in suggested and "q=bluezone" in suggested and ">bluezone</a>" in suggested


def test_a_drafter_never_sees_a_secret_documents_subject(site):
    for role, sees in (("drafter", False), ("admin", False), ("clerk", True), ("leader", True)):
        client = client_for(site, role)
        pages = [client.get(f"/van-ban/{site['secret']}").get_data(as_text=True),
                 client.get("/tim-kiem?q=17").get_data(as_text=True),
                 client.get("/api/tim-kiem?q=17").get_data(as_text=True),
                 client.get("/tim-kiem?q=vac+xin").get_data(as_text=True)]
        assert all((SECRET_SUBJECT in p) == sees for p in pages[:3]), role
        assert "17/SYT-VP" in pages[0]  # that it exists is visible to all


def test_document_page_shows_metadata_files_citations_and_history(site):
    page = client_for(site, "clerk").get(f"/van-ban/{site['seed']}").get_data(as_text=True)
    for text in ("4482/SYT-VP", "06/8/2020", "SỞ Y TẾ", "Phan Huy Anh Vũ", "4199/BYT-VPB1", "Lịch sử", "ban hành",
                 "DOCX", "Thông tin đầu vào"):
        assert text in page, text


def test_register_on_screen_has_the_decrees_columns_and_rows(site):
    from vanthu.archive.register import OUT_COLUMNS
    page = client_for(site, "clerk").get("/so/di?nam=2020").get_data(as_text=True)
    assert all(column in page for column in OUT_COLUMNS)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page and "4482/SYT-VP" in page
    sheet = client_for(site, "leader").get("/so/di.xlsx?nam=2020")
    import openpyxl
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows() for c in row]
    assert "4482/SYT-VP" in cells and all(column in cells for column in OUT_COLUMNS)


def test_drafting_the_seed_through_the_form_and_errors_beside_fields(site):
    client = client_for(site, "drafter")
    bad = dict(seed_form(), date="31/02/2020", subject="", **{"signer.name": "", "issuer.code": "S/Y"})
    before = counts(site["home"])
    answer = client.post("/soan/cong-van", data={**bad, "action": "save", "csrf_token": csrf(client, "/soan/cong-van")})
    assert answer.status_code == 422 and counts(site["home"]) == before
    page = answer.get_data(as_text=True)
    errors = dict(re.findall(r'<p class="error" id="e-([^"]+)" role="alert">([^<]*)</p>', page))
    from conftest import run_cli
    assert errors["subject"] == "thiếu trích yếu nội dung (bắt buộc)"
    assert errors["signer.name"] == "thiếu họ tên người ký (bắt buộc)"
    assert errors["date"] == "ngày 2020-02-31 không tồn tại"
    assert "issuer.code" in errors
    good = client.post("/soan/cong-van", data={**seed_form(), "action": "save", "csrf_token": csrf(client, "/soan/cong-van")})
    assert good.status_code == 302
    saved = drafts.get(int(good.headers["Location"].rsplit("/", 1)[1]), site["home"])
    record = drafts.check(saved.text)
    assert record.number.number == 4482 and record.get("to") == ["Các đơn vị trực thuộc Sở Y tế", "Các cơ sở y tế ngoài công lập"]
    assert [a.template.name for a in record.attachments] == ["dang-ky-tai-khoan-bluezone"]
    exported = client.get(f"/du-thao/{saved.id}.yaml").get_data(as_text=True)
    assert exported == saved.text and "type: cong-van" in exported


def test_every_template_gets_a_form_with_required_marks_and_vietnamese_labels(site):
    from vanthu.templates import TemplateLibrary
    client = client_for(site, "clerk")
    for template in TemplateLibrary().templates():
        page = client.get(f"/soan/{template.name}").get_data(as_text=True)
        for f in template.fields.values():
            assert f.label in page, (template.name, f.name)
        if any(f.required for f in template.fields.values()):
            assert 'title="bắt buộc"' in page, template.name


def test_office_defaults_fill_a_new_form(tmp_path):
    from vanthu.archive.home import Home
    make_people(tmp_path)
    Home(tmp_path).prepare()
    settings = (tmp_path / "settings.yaml").read_text(encoding="utf-8").replace(
        "defaults: {}", "defaults:\n  issuer: {name: SỞ Y TẾ, code: SYT}\n  place: Đồng Nai\n  cc: [Như trên, 'Lưu: VT, VP']")
    (tmp_path / "settings.yaml").write_text(settings, encoding="utf-8")
    client = create_app(tmp_path).test_client()
    login(client, "drafter")
    page = client.get("/soan/cong-van").get_data(as_text=True)
    assert 'name="issuer.code" value="SYT"' in page and 'value="Đồng Nai"' in page and "Lưu: VT, VP</textarea>" in page


@pytest.mark.pdf
def test_template_tags_in_fields_print_literally(site):
    client = client_for(site, "drafter")
    form = dict(seed_form(), subject="{{ 7*7 }} và {% if 1 %}x{% endif %}", body="<w:p>{{ config }}</w:p> & {%raw%}")
    answer = client.post("/soan/cong-van", data={**form, "action": "save", "csrf_token": csrf(client, "/soan/cong-van")})
    assert answer.status_code == 302
    draft_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    docx = client.get(f"/du-thao/{draft_id}.docx").data
    from readback import docx_paragraphs
    text = "\n".join(docx_paragraphs(docx))
    assert "{{ 7*7 }} và {% if 1 %}x{% endif %}" in text and "<w:p>{{ config }}</w:p> & {%raw%}" in text
    assert "49" not in text
    page = client.get(f"/du-thao/{draft_id}").get_data(as_text=True)
    assert "{{ 7*7 }}" in page and "<w:p>" not in page  # escaped in the page too


def test_a_ten_megabyte_field_is_refused_with_nothing_written(site):
    client = client_for(site, "drafter")
    before = counts(site["home"])
    form = dict(seed_form(), body="x" * (10 * 1024 * 1024), action="save", csrf_token=csrf(client, "/soan/cong-van"))
    answer = client.post("/soan/cong-van", data=form)
    assert answer.status_code == 413 and "quá lớn" in answer.get_data(as_text=True)
    assert counts(site["home"]) == before


def test_incoming_upload_bad_type_oversized_and_good(tmp_path):
    make_people(tmp_path)
    app = create_app(tmp_path, max_upload=256 * 1024)
    client = app.test_client()
    login(client, "clerk")
    fields = {"number": "4199/BYT-VPB1", "date": "05/8/2020", "issuer": "Bộ Y tế", "type": "Công văn",
              "subject": "triển khai BlueZone"}

    def send(name, data):
        return client.post("/nhan", data={**fields, "csrf_token": csrf(client, "/nhan"), "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    before = counts(tmp_path)
    wrong = send("virus.exe", b"MZ" + b"\0" * 100)
    assert wrong.status_code == 400 and "chỉ nhận tệp .pdf, .docx hoặc ảnh quét" in wrong.get_data(as_text=True)
    disguised = send("gia.pdf", b"MZ not a pdf" * 10)
    assert disguised.status_code == 400 and "không đọc được" in disguised.get_data(as_text=True)
    big = send("to.pdf", b"%PDF-1.4" + b"0" * (300 * 1024))
    assert big.status_code == 413
    assert counts(tmp_path) == before and not any((tmp_path / "files").rglob("*.pdf"))
    from archivekit import minimal_pdf
    good = send("4199.pdf", minimal_pdf("Bộ Y tế"))
    assert good.status_code == 302
    page = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "4199/BYT-VPB1" in page and "số đến 01" in page
    again = send("4199.pdf", minimal_pdf("Bộ Y tế"))
    assert again.status_code == 400 and "đã vào sổ đến" in again.get_data(as_text=True)
    assert counts(tmp_path)["documents"] == 1


def test_yaml_import_and_copy_of_a_draft(site):
    client = client_for(site, "drafter")
    answer = client.post("/du-thao/nhap", data={"csrf_token": csrf(client), "file": (io.BytesIO(SEED.read_bytes()), "cv.yaml")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    imported = int(answer.headers["Location"].rsplit("/", 1)[1])
    assert drafts.get(imported, site["home"]).text == SEED.read_text(encoding="utf-8")
    bad = client.post("/du-thao/nhap", data={"csrf_token": csrf(client),
                                             "file": (io.BytesIO(b"type: cong-van\nsubjekt: x\n"), "x.yaml")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "khóa không có trong mẫu" in bad.get_data(as_text=True)
    copied = client.post(f"/du-thao/{imported}/sao-chep", data={"csrf_token": csrf(client)})
    twin = drafts.get(int(copied.headers["Location"].rsplit("/", 1)[1]), site["home"])
    assert twin.id != imported and "number" not in twin.data


@pytest.mark.pdf
def test_the_clerk_issues_a_draft_once_and_sees_its_number(tmp_path):
    from vanthu.workflow import signoff
    make_people(tmp_path)
    draft = drafts.create(SEED.read_text(encoding="utf-8").replace("number: 4482\n", ""), "drafter", tmp_path)
    signoff.submit(draft.id, "leader", by="drafter", home=tmp_path)
    signoff.approve(draft.id, "leader", home=tmp_path)
    client = create_app(tmp_path).test_client()
    login(client, "clerk")
    refused = client.post(f"/du-thao/{draft.id}/ban-hanh", data={"csrf_token": csrf(client)}, follow_redirects=True)
    assert "Không ban hành được: ngày 06/8/2020 thuộc năm 2020" in refused.get_data(as_text=True)
    import html
    assert 'đánh dấu ô "Ngày thuộc năm khác là đúng"' in html.unescape(refused.get_data(as_text=True))
    assert drafts.get(draft.id, tmp_path).state == signoff.APPROVED  # refused: unchanged
    answer = client.post(f"/du-thao/{draft.id}/ban-hanh", data={"csrf_token": csrf(client), "other_year": "1"})
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="so-van-ban">01/SYT-VP<', page) and "PDF" in page
    again = client.post(f"/du-thao/{draft.id}/ban-hanh", data={"csrf_token": csrf(client), "other_year": "1", "again": "1"},
                        follow_redirects=True)
    assert "đã được ban hành (số 01/SYT-VP)" in again.get_data(as_text=True)
    conn = sqlite3.connect(tmp_path / "vanthu.sqlite3")
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT user FROM events WHERE action = 'issue'").fetchone()[0] == "clerk"


def test_serve_refuses_to_start_with_no_one_to_log_in(tmp_path):
    from conftest import run_cli
    result = run_cli("--home", tmp_path, "serve", "--port", "0")
    assert result.code == 1 and "vanthu user add" in result.err


def test_editing_a_draft_on_the_web_and_a_stale_edit_refused(site):
    client = client_for(site, "drafter")
    made = client.post("/soan/cong-van", data={**seed_form(), "action": "save", "csrf_token": csrf(client, "/soan/cong-van")})
    draft_id = int(made.headers["Location"].rsplit("/", 1)[1])
    conn = sqlite3.connect(site["home"] / "vanthu.sqlite3")
    assert conn.execute("SELECT user FROM events WHERE action = 'draft-create' ORDER BY id DESC").fetchone()[0] == "drafter"
    form = client.get(f"/du-thao/{draft_id}/sua").get_data(as_text=True)
    assert 'name="subject" value="triển khai cài đặt và sử dụng ứng dụng BlueZone"' in form
    assert 'name="date" value="06/8/2020"' in form and "Các cơ sở y tế ngoài công lập</textarea>" in form
    token = csrf(client, f"/du-thao/{draft_id}/sua")
    edited = client.post(f"/du-thao/{draft_id}/sua", data={**seed_form(), "subject": "trích yếu mới", "revision": "1",
                                                         "action": "save", "csrf_token": token})
    assert edited.status_code == 302
    saved = drafts.get(draft_id, site["home"])
    assert saved.revision == 2 and saved.subject == "trích yếu mới"
    stale = client.post(f"/du-thao/{draft_id}/sua", data={**seed_form(), "revision": "1", "action": "save", "csrf_token": token})
    assert stale.status_code == 422 and "vừa được người khác sửa" in stale.get_data(as_text=True)
    assert drafts.get(draft_id, site["home"]).subject == "trích yếu mới"
    other = client_for(site, "leader")
    assert other.post(f"/du-thao/{draft_id}/sua", data={**seed_form(), "action": "save",
                                                       "csrf_token": csrf(other)}).status_code == 403


def test_the_administrator_adds_and_disables_people(site):
    client = client_for(site, "admin")
    added = client.post("/nguoi-dung", data={"username": "minh", "password": PASSWORD, "roles": ["chuyen-vien", "lanh-dao"],
                                             "full_name": "Lê Minh", "csrf_token": csrf(client)}, follow_redirects=True)
    assert "Đã thêm minh" in added.get_data(as_text=True)
    assert people.get("minh", site["home"]).roles == ("chuyen-vien", "lanh-dao")
    short = client.post("/nguoi-dung", data={"username": "ngan", "password": "123", "roles": "van-thu",
                                             "csrf_token": csrf(client)}, follow_redirects=True)
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    client.post("/nguoi-dung/minh/khoa", data={"csrf_token": csrf(client)})
    assert not people.get("minh", site["home"]).active
    client.post("/nguoi-dung/admin/khoa", data={"csrf_token": csrf(client)})
    assert people.get("admin", site["home"]).active


GROUPED_CC = "Như trên\nLưu: VT, VP\nBản điện tử:\n- Giám đốc Sở\n- Các Phó Giám đốc Sở"
TWO_APPENDICES = {"appendices.1.title": "DANH SÁCH ĐƠN VỊ", "appendices.1.body": "1. Bệnh viện Đa khoa tỉnh",
                  "appendices.2.title": "KẾ HOẠCH TRIỂN KHAI", "appendices.2.body": "Tuần 1: cài đặt"}


@pytest.mark.pdf
def test_recipient_groups_and_several_appendices_on_the_form(site):
    client = client_for(site, "drafter")
    token, before = csrf(client, "/soan/cong-van"), counts(site["home"])
    grown = client.post("/soan/cong-van", data={**seed_form(), "appendices.1.title": "DANH SÁCH ĐƠN VỊ",
                                                "action": "them-phu-luc", "csrf_token": token})
    page = grown.get_data(as_text=True)
    assert grown.status_code == 200 and 'name="appendices.2.title"' in page and 'name="appendices.3.title"' not in page
    assert 'value="DANH SÁCH ĐƠN VỊ"' in page and 'value="bo-phu-luc-2"' in page and counts(site["home"]) == before
    hostile = client.post("/soan/cong-van", data={**seed_form(), "appendices.99999.title": "x", "action": "bo-phu-luc-x",
                                                  "csrf_token": token})
    assert hostile.status_code == 200 and 'name="appendices.2.title"' not in hostile.get_data(as_text=True)
    missing = client.post("/soan/cong-van", data={**seed_form(), **TWO_APPENDICES, "appendices.2.body": "",
                                                  "action": "save", "csrf_token": token})
    assert missing.status_code == 422 and re.search(r'id="e-appendices\.2\.body"', missing.get_data(as_text=True))

    saved = client.post("/soan/cong-van", data={**seed_form(), **TWO_APPENDICES, "cc": GROUPED_CC, "action": "save",
                                                "csrf_token": token})
    draft_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    data = drafts.get(draft_id, site["home"]).data
    assert data["cc"] == ["Như trên", "Lưu: VT, VP", {"Bản điện tử": ["Giám đốc Sở", "Các Phó Giám đốc Sở"]}]
    assert [a["title"] for a in data["appendices"]] == ["DANH SÁCH ĐƠN VỊ", "KẾ HOẠCH TRIỂN KHAI"]
    from readback import docx_paragraphs
    text = docx_paragraphs(client.get(f"/du-thao/{draft_id}.docx").data)
    assert "Bản điện tử:" in text and "- Giám đốc Sở;" in text and "- Các Phó Giám đốc Sở." in text
    assert "DANH SÁCH ĐƠN VỊ" in text and "KẾ HOẠCH TRIỂN KHAI" in text

    form = client.get(f"/du-thao/{draft_id}/sua").get_data(as_text=True)
    assert "Bản điện tử:\n- Giám đốc Sở\n- Các Phó Giám đốc Sở</textarea>" in form
    assert 'name="appendices.2.title" value="KẾ HOẠCH TRIỂN KHAI"' in form
    edit = {**seed_form(), **TWO_APPENDICES, "cc": GROUPED_CC, "revision": "1", "csrf_token": csrf(client, f"/du-thao/{draft_id}/sua")}
    shrunk = client.post(f"/du-thao/{draft_id}/sua", data={**edit, "action": "bo-phu-luc-1"}).get_data(as_text=True)
    assert 'name="appendices.1.title" value="KẾ HOẠCH TRIỂN KHAI"' in shrunk and 'name="appendices.2.title"' not in shrunk
    assert drafts.get(draft_id, site["home"]).revision == 1  # only the form changed
    one = {k: v for k, v in edit.items() if not k.startswith("appendices.")}
    client.post(f"/du-thao/{draft_id}/sua", data={**one, "appendices.1.title": "KẾ HOẠCH TRIỂN KHAI",
                                                   "appendices.1.body": "Tuần 1: cài đặt", "action": "save"})
    again = drafts.get(draft_id, site["home"])
    assert again.revision == 2 and [a["title"] for a in again.data["appendices"]] == ["KẾ HOẠCH TRIỂN KHAI"]
    assert again.data["cc"][2] == {"Bản điện tử": ["Giám đốc Sở", "Các Phó Giám đốc Sở"]}


@pytest.mark.pdf
def test_open_pdf_of_a_document_kept_only_as_docx(site):
    clerk = client_for(site, "clerk")
    found = clerk.get("/tim-kiem?q=truy+vet").get_data(as_text=True)  # the seed was archived without its PDF
    assert f'href="/van-ban/{site["seed"]}/xem.pdf"' in found and "Mở PDF (chuyển từ DOCX)" in found
    assert f'href="/van-ban/{site["seed"]}/tep/pdf"' not in found and "Tải DOCX gốc" in found
    old_link = clerk.get(f"/van-ban/{site['seed']}/tep/pdf")
    assert old_link.status_code == 302 and old_link.headers["Location"].endswith(f"/van-ban/{site['seed']}/xem.pdf")
    shown = clerk.get(f"/van-ban/{site['seed']}/xem.pdf")
    assert shown.status_code == 200 and shown.mimetype == "application/pdf"
    from pypdf import PdfReader
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(shown.data)).pages)
    assert "4482/SYT-VP" in text and "BlueZone" in text
    assert client_for(site, "drafter").get(f"/van-ban/{site['secret']}/xem.pdf").status_code == 403
    conn = sqlite3.connect(site["home"] / "vanthu.sqlite3")
    stored = site["home"] / conn.execute("SELECT path FROM files WHERE document_id = ? AND role = 'docx'",
                                         (site["seed"],)).fetchone()[0]
    original, mode = stored.read_bytes(), stored.stat().st_mode
    stored.chmod(0o600)
    try:
        stored.write_bytes(original[:-10] + b"0123456789")  # changed behind the archive's back
        for path in (f"/van-ban/{site['seed']}/xem.pdf", f"/van-ban/{site['seed']}/tep/docx"):
            refused = clerk.get(path)
            assert refused.status_code == 500 and "vanthu verify" in refused.get_data(as_text=True)
    finally:
        stored.write_bytes(original)
        stored.chmod(mode)


def test_open_pdf_again_runs_no_libreoffice(site, monkeypatch):
    """The reading copy is cached by the DOCX's checksum (HOME/cache/ban-xem): the next "Mở PDF", by anyone, is
    the same PDF without a conversion. (A DOCX changed after that is still refused: the test above.)"""
    import shutil
    from vanthu.archive import readingcopy
    from vanthu.archive.home import Home
    from vanthu.generator import preview
    shutil.rmtree(readingcopy.folder(Home(site["home"])), ignore_errors=True)  # a cache: clearing it loses nothing
    made, convert = [], preview.reading_pdf
    monkeypatch.setattr(preview, "reading_pdf", lambda data: made.append(len(data)) or convert(data))
    first = client_for(site, "clerk").get(f"/van-ban/{site['seed']}/xem.pdf")
    again = client_for(site, "leader").get(f"/van-ban/{site['seed']}/xem.pdf")
    assert first.status_code == again.status_code == 200 and first.data == again.data and len(made) == 1
    assert client_for(site, "drafter").get(f"/van-ban/{site['secret']}/xem.pdf").status_code == 403
    assert len(made) == 1 and len(list(readingcopy.folder(Home(site["home"])).iterdir())) == 1
    from vanthu.archive import lookup
    views = [h for h in lookup.history(site["seed"], site["home"]) if "bản xem PDF" in (h["note"] or "")]
    assert len(views) >= 2, views  # each reading is still logged as a use of the record
