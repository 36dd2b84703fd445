"""Hồ sơ on the web (issue 16): the Danh mục loaded by the clerk and approved by a leader, a hồ sơ opened,
documents filed, closed, its Mục lục printed with its mark; the due box on the dashboard; roles enforced."""
import io
import sqlite3

import docx
import pytest

import archivekit as k
from test_dossiers import PLAN
from vanthu.archive import dossiers
from vanthu.web import create_app
from webkit import csrf, login, make_people


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = tmp_path_factory.mktemp("web-ho-so") / "kho"
    make_people(home)
    k.issue_past([k.seed()], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    k.issue_past([k.record(date="2020-09-01", subject="truy vết")], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    return home, create_app(home)


def client(site, name):
    c = site[1].test_client()
    assert login(c, name).status_code == 302
    return c


def post(c, path, **form):
    return c.post(path, data={**form, "csrf_token": csrf(c, "/ho-so")})


def test_a_clerks_year_through_the_web(site):
    home, _ = site
    clerk, leader, drafter, admin = (client(site, n) for n in ("clerk", "leader", "drafter", "admin"))
    assert post(drafter, "/ho-so/danh-muc", yaml=PLAN).status_code == 403  # only the clerk loads the plan
    assert post(clerk, "/ho-so/danh-muc", yaml=PLAN).status_code == 302
    bad = post(clerk, "/ho-so/danh-muc", yaml="year: 2020\nheadings: []\n")
    assert bad.status_code == 302 and "cần ít nhất một đề mục" in clerk.get("/ho-so").get_data(as_text=True)
    assert post(clerk, "/ho-so/danh-muc/2020/duyet").status_code == 403  # a leader approves
    assert post(leader, "/ho-so/danh-muc/2020/duyet", decision="Quyết định số 05/QĐ-SYT").status_code == 302
    page = drafter.get("/ho-so").get_data(as_text=True)
    assert "01.VP" in page and "đã duyệt (Người leader" in page
    opened = post(drafter, "/ho-so/mo", code="01.VP", year="2020")
    dossier_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    assert post(drafter, f"/ho-so/{dossier_id}/them", numbers="4482/SYT-VP, 4483/SYT-VP").status_code == 302
    shown = drafter.get(f"/ho-so/{dossier_id}").get_data(as_text=True)
    assert "4482/SYT-VP" in shown and "4483/SYT-VP" in shown and "FileNotation: 01.VP" in shown
    assert post(admin, f"/ho-so/{dossier_id}/them", numbers="4482/SYT-VP").status_code == 403
    printed = drafter.get(f"/ho-so/{dossier_id}/muc-luc.docx")
    assert printed.status_code == 200
    document = docx.Document(io.BytesIO(printed.data))
    assert document.sections[0].footer.paragraphs[0].text.startswith("In từ hệ thống vanthu bởi Người drafter")
    assert [c.text for c in document.tables[0].rows[2].cells][:2] == ["01", "4482/SYT-VP"]
    assert post(drafter, f"/ho-so/{dossier_id}/ket-thuc").status_code == 302
    assert dossiers.load("01.VP", home, 2020).state == dossiers.CLOSED
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    conn.execute("UPDATE dossiers SET closed_at = date('now', '-1 year', '+10 days') WHERE id = ?", (dossier_id,))
    conn.commit()  # as if closed eleven months ago (verify would report this edit; the box only reads)
    dashboard = clerk.get("/").get_data(as_text=True)
    assert "Hồ sơ đến hạn nộp lưu" in dashboard and "01.VP/2020" in dashboard
    assert drafter.get("/ho-so/9999").status_code == 404 and admin.get("/ho-so").status_code == 200
