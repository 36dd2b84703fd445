"""One rule for issuing a draft (signoff.refuse_unissuable), the same from the CLI and the web app.

Electronically: only once the leader signed it with their key (Điều 32.2.d).
On paper (``vanthu issue ID --paper``, the web's "Ban hành bản giấy"): only once
the leader approved it on its route. Never a draft that was not submitted, one
still on its route, one already issued (withdrawn or not); only a văn thư.
Every refusal leaves the register, the files, the log and the draft unchanged.
"""
import html
import re
import sqlite3

import pytest

from vanthu.archive import people
from vanthu.workflow import drafts, signoff

from conftest import DATA, run_cli

SEED = DATA / "4482-SYT-VP.yaml"
PASSWORD = "mat-khau-dai-1"


def make_home(home):
    for name, role in (("hoa", "chuyen-vien"), ("vu", "lanh-dao"), ("lan", "van-thu")):
        people.add(name, PASSWORD, [role], home, full_name=name)
    return home


def written(home):
    """What a refusal must leave as it was: documents, files, the log, every draft's state."""
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    tables = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "files", "events")}
    return tables, conn.execute("SELECT id, state FROM drafts ORDER BY id").fetchall(), sorted(
        p.relative_to(home) for p in (home / "files").rglob("*")) if (home / "files").exists() else []


def cli(home, *args):
    return run_cli("--home", home, *args)


def draft_of(home):
    return int(cli(home, "draft", SEED, "--as", "hoa").out.splitlines()[-1])


def refused(home, draft, *args, message):
    before = written(home)
    result = cli(home, "issue", str(draft), *args)
    assert (result.code, result.out, result.err) == (1, "", f"Lỗi: {message}\n")
    assert written(home) == before


NOT_SUBMITTED = ("dự thảo {id} (Đang soạn) chưa trình ký, chưa được lãnh đạo duyệt: không ban hành được; người soạn "
                 "trình ký lãnh đạo trước (lãnh đạo đồng ý rồi ký số, hoặc đồng ý để ký tay trên bản giấy)")
NOT_SIGNED = ("dự thảo {id} (Lãnh đạo đã duyệt) chưa có chữ ký số của lãnh đạo: văn thư không ký số của cơ quan, không "
              "ban hành văn bản điện tử chưa ký (Điều 32.2.d); nếu lãnh đạo đã ký tay trên bản giấy, ban hành bản giấy "
              "(thêm --paper)")


def test_a_draft_never_submitted_is_issued_neither_on_paper_nor_signed(tmp_path):
    home = make_home(tmp_path / "kho")
    draft = draft_of(home)
    refused(home, draft, "--paper", "--as", "lan", "--no-pdf", message=NOT_SUBMITTED.format(id=draft))
    refused(home, draft, "--as", "lan", "--pin-stdin", message=NOT_SUBMITTED.format(id=draft))


def test_a_returned_draft_and_one_on_its_route_wait_for_the_leader(tmp_path):
    home = make_home(tmp_path / "kho")
    draft = draft_of(home)
    cli(home, "submit", draft, "--to", "vu", "--as", "hoa")
    refused(home, draft, "--paper", "--as", "lan", message=f"dự thảo {draft} (Đang trình ký) chưa được lãnh đạo duyệt, "
                                                          "đang chờ 'vu' ký: chưa ban hành được")
    assert cli(home, "return", draft, "--as", "vu", "--comment", "Sửa trích yếu").code == 0
    refused(home, draft, "--paper", "--as", "lan", message=f"dự thảo {draft} (Bị trả lại) chưa trình ký, chưa được lãnh "
            "đạo duyệt: không ban hành được; người soạn trình ký lãnh đạo trước (lãnh đạo đồng ý rồi ký số, hoặc đồng ý "
            "để ký tay trên bản giấy)")


def test_an_approved_draft_is_issued_on_paper_once_and_never_after_its_withdrawal(tmp_path):
    home = make_home(tmp_path / "kho")
    draft = draft_of(home)
    cli(home, "submit", draft, "--to", "vu", "--as", "hoa")
    cli(home, "approve", draft, "--as", "vu")
    refused(home, draft, "--as", "lan", message=NOT_SIGNED.format(id=draft))  # no PIN asked: refused first
    refused(home, draft, "--paper", "--as", "hoa", message="'hoa' không có vai trò văn thư (van-thu): chỉ văn thư cấp "
                                                          "số, ban hành văn bản")
    done = cli(home, "issue", str(draft), "--paper", "--as", "lan", "--no-pdf")
    docx = home / "files" / "2020" / "di" / "4482-SYT-VP" / "4482-SYT-VP.docx"
    assert (done.code, done.out) == (0, f"Đã ban hành số 4482/SYT-VP ngày 06/8/2020 (bản giấy, lãnh đạo ký tay)\n"
                                        f"  {docx}\n"), done.err
    assert drafts.get(draft, home).state == drafts.ISSUED
    conn = sqlite3.connect(home / "vanthu.sqlite3")
    assert conn.execute("SELECT user FROM events WHERE action = 'issue'").fetchall() == [("lan",)]
    again = "dự thảo {id} đã được ban hành (số 4482/SYT-VP{note}); không ban hành lại (mỗi văn bản chỉ một số)"
    refused(home, draft, "--paper", "--as", "lan", "--no-pdf", message=again.format(id=draft, note=""))
    assert cli(home, "withdraw", "4482/SYT-VP", "--reason", "Gửi nhầm nơi nhận", "--as", "lan").code == 0
    day = conn.execute("SELECT at FROM withdrawals").fetchone()[0][:10].split("-")
    note = f", đã thu hồi ngày {day[2]}/{int(day[1])}/{day[0]}"
    refused(home, draft, "--paper", "--as", "lan", "--no-pdf", message=again.format(id=draft, note=note))
    refused(home, draft, "--as", "lan", "--pin-stdin", message=again.format(id=draft, note=note))


def test_paper_is_an_option_of_a_draft_only(tmp_path):
    home = make_home(tmp_path / "kho")
    result = cli(home, "issue", SEED, "--paper", "--no-pdf")
    assert (result.code, result.err) == (1, "Lỗi: --paper chỉ dùng với số của một dự thảo; tệp bản ghi luôn được ban "
                                            "hành như văn bản giấy\n")
    assert written(home)[0]["documents"] == 0


# --- the same rule from the web app -------------------------------------------------------------------

@pytest.fixture
def web(tmp_path):
    from vanthu.web import create_app
    home = make_home(tmp_path / "kho")
    app = create_app(home)
    app.config["TESTING"] = True
    return home, app


def clerk(app):
    from webkit import login
    client = app.test_client()
    assert login(client, "lan", PASSWORD).status_code == 302
    return client


def post(client, path):
    from webkit import csrf
    answer = client.post(path, data={"csrf_token": csrf(client, path.rsplit("/", 1)[0]), "pin": "x"},
                         follow_redirects=True)
    return answer.status_code, html.unescape(answer.get_data(as_text=True))


def test_the_web_paper_button_refuses_a_draft_never_submitted_and_writes_nothing(web):
    home, app = web
    draft = drafts.create(SEED.read_text(encoding="utf-8"), "hoa", home)
    client = clerk(app)
    assert 'id="ban-hanh"' not in client.get(f"/du-thao/{draft.id}").get_data(as_text=True)  # no button offered
    before = written(home)
    status, page = post(client, f"/du-thao/{draft.id}/ban-hanh")
    assert status == 200 and f"Không ban hành được: {NOT_SUBMITTED.format(id=draft.id)}" in page
    status, page = post(client, f"/du-thao/{draft.id}/ban-hanh-ky-so")
    assert status == 200 and f"Không ban hành được: {NOT_SUBMITTED.format(id=draft.id)}" in page
    assert written(home) == before


def test_the_web_offers_paper_for_an_approved_draft_and_refuses_to_sign_it_for_the_organisation(web):
    home, app = web
    draft = drafts.create(SEED.read_text(encoding="utf-8"), "hoa", home)
    signoff.submit(draft.id, "vu", by="hoa", home=home)
    client = clerk(app)
    before = written(home)
    status, page = post(client, f"/du-thao/{draft.id}/ban-hanh")
    assert "chưa được lãnh đạo duyệt, đang chờ 'vu' ký: chưa ban hành được" in page and written(home) == before
    signoff.approve(draft.id, "vu", home=home)
    page = client.get(f"/du-thao/{draft.id}").get_data(as_text=True)
    assert re.search(r'id="ban-hanh">Ban hành bản giấy', page) and 'id="ban-hanh-ky-so"' not in page
    before = written(home)
    status, page = post(client, f"/du-thao/{draft.id}/ban-hanh-ky-so")
    expected = NOT_SIGNED.format(id=draft.id).replace("(thêm --paper)", '(bấm "Ban hành bản giấy")')
    assert f"Không ban hành được: {expected}" in page and written(home) == before
