"""An incoming document through the whole flow in the web app (HTTP): /nhan, assign on its page, /, /theo-doi, done."""
import datetime as dt
import io
import re

import docx
import pytest

from vanthu.archive import register
from vanthu.web import create_app

from webkit import csrf, login, make_people

def letter():
    document = docx.Document()
    document.add_paragraph("Đề nghị triển khai quy trình truy vết người nghi nhiễm.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def site(tmp_path):
    home = tmp_path / "kho"
    make_people(home)
    return home, create_app(home)


def as_person(app, name):
    client = app.test_client()
    assert login(client, name).status_code == 302
    return client


def post(client, path, page, **data):
    return client.post(path, data={**data, "csrf_token": csrf(client, page)})


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_whole_incoming_flow_in_the_web_app(site, today, day):
    home, app = site
    clerk, leader, drafter = (as_person(app, name) for name in ("clerk", "leader", "drafter"))
    upload = clerk.post("/nhan", content_type="multipart/form-data", data={
        "csrf_token": csrf(clerk, "/nhan"), "number": "4199/BYT-VPB1", "date": day(-12), "issuer": "Bộ Y tế",
        "type": "Công văn", "subject": "triển khai BlueZone", "received": f"{day(-10)} 08:30", "via": "buu-dien",
        "file": (io.BytesIO(letter()), "4199.docx")})
    assert upload.status_code == 302, text(upload)
    page = upload.headers["Location"]
    document_id = int(page.rsplit("/", 1)[1])
    assert "Chưa giao cho ai." in text(clerk.get(page))

    refused = post(drafter, f"/van-ban/{document_id}/giao", page, handler="drafter")
    assert refused.status_code == 403
    assigned = post(leader, f"/van-ban/{document_id}/giao", page, handler="drafter", co_handlers="Phòng Tài chính",
                    deadline=day(-2), instructions="Chủ trì tham mưu trả lời")
    assert assigned.status_code == 302
    shown = text(leader.get(page))
    assert "Đã giao văn bản đến số 01 cho Người drafter." in shown and "QUÁ HẠN 2 ngày" in shown

    assert "QUÁ HẠN 2 ngày" in text(leader.get("/theo-doi?loc=qua-han"))
    dashboard = text(leader.get("/"))
    assert re.search(r'id="den-qua-han"> <h2>Văn bản đến quá hạn <span class="count">1</span>', dashboard)
    mine = text(drafter.get("/"))
    assert re.search(r'Văn bản đến tôi giải quyết <span class="count">1</span>', mine) and "4199/BYT-VPB1" in mine

    assert post(drafter, f"/van-ban/{document_id}/da-nhan", page).status_code == 302
    done = post(drafter, f"/van-ban/{document_id}/xong", page, result="Đã trả lời bằng Công văn 4500/SYT-NV",
                reply="4500/SYT-NV")
    assert done.status_code == 302
    final = text(drafter.get(page))
    assert "Đã giải quyết" in final
    assert all(step in final for step in ("vào sổ đến", "giao giải quyết", "nhận để giải quyết", "báo đã giải quyết"))
    assert "Không có văn bản đến nào" in text(leader.get("/theo-doi?loc=qua-han"))

    row = register.build(home, (today - dt.timedelta(10)).year, "in").rows[0]
    assert row[6] == "Người drafter (chủ trì); phối hợp: Phòng Tài chính" and row[8].startswith("Người drafter đã nhận")
    assert row[9].startswith("Nhận qua bưu điện lúc 08:30; Hạn giải quyết: ")


def test_a_bad_deadline_is_shown_on_the_page_and_nothing_changes(site, day):
    home, app = site
    clerk, leader = as_person(app, "clerk"), as_person(app, "leader")
    upload = clerk.post("/nhan", content_type="multipart/form-data", data={
        "csrf_token": csrf(clerk, "/nhan"), "number": "12/UBND", "date": day(-3), "issuer": "UBND tỉnh",
        "file": (io.BytesIO(letter()), "12.docx")})
    page = upload.headers["Location"]
    document_id = int(page.rsplit("/", 1)[1])
    answer = post(leader, f"/van-ban/{document_id}/giao", page, handler="Phòng A", deadline="31/02/2020")
    assert answer.status_code == 302
    shown = text(leader.get(page))
    assert "ngày 31/02/2020 không tồn tại" in shown and "Chưa giao cho ai." in shown
