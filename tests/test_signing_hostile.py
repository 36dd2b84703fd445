"""The whole of trình ký to phát hành tried as a hostile or careless user would, read back from the archive:
keys that expired (or are not yet valid) since they were added, a wrong token PIN, a PDF edited after
signing by an incremental update (not a flipped byte), two clerks issuing the same signed draft at once."""
import io
import sqlite3
import threading

import pytest

from vanthu.errors import VanthuError
from vanthu.signing import signers
from vanthu.workflow import signoff

import signkit
from test_signing_flow import PIN, Office, validate

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return Office(tmp_path_factory.mktemp("tan-cong"))


def state(office, draft):
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    return conn.execute("SELECT state FROM drafts WHERE id = ?", (draft,)).fetchone()[0]


def counts(office):
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "files", "signed_drafts")]


def replace_key(office, role, owner, days, name, picture):
    """A key whose certificate was valid when it was added (``now`` then) and is not at use."""
    person = signkit.make_user(office.root, name, days_from=days[0], days_to=days[1])
    p12 = person.p12(office.folder / f"{owner}{days[0]}.p12", ca=office.root)
    then = signkit.NOW + signkit.dt.timedelta(days=(days[0] + days[1]) / 2)
    signers.register(office.home, role, owner, PIN, p12=p12, picture=picture, now=then)


def test_a_leader_key_expired_since_it_was_added_signs_nothing(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    replace_key(office, "user", "vu", (-400, -30), "Phan Huy Anh Vũ", office.image)
    try:
        before = counts(office)
        r = office.cli("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)
        assert r.code == 1 and "chứng thư số của 'Phan Huy Anh Vũ' đã hết hạn: hiệu lực từ" in r.err, r.err
        assert counts(office) == before and state(office, draft) == "trinh-ky"
    finally:
        office.add_leader_key(False)
    office.ok("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)  # the renewed key signs


def test_an_organisation_key_not_yet_valid_takes_no_number(office):
    draft = office.signed_draft()
    replace_key(office, "org", "SYT", (10, 400), "Sở Y tế tỉnh Đồng Nai", office.seal)
    try:
        before = counts(office)
        r = office.cli("issue", str(draft), "--as", "lan", "--pin-stdin", stdin=PIN)
        assert r.code == 1 and "chứng thư số của 'Sở Y tế tỉnh Đồng Nai' chưa có hiệu lực: hiệu lực từ" in r.err, r.err
        assert counts(office) == before and state(office, draft) == "da-ky"
    finally:
        p12 = office.org.p12(office.folder / "syt.p12", ca=office.root)
        office.ok("key", "add", "--org", "SYT", "--p12", p12, "--seal", office.seal, "--pin-stdin", stdin=PIN)


def _edited(pdf):
    """What an editor does to a signed PDF: an incremental update drawing new text over page 1."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    added = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (SUA) Tj ET"))
    contents = page.raw_get("/Contents") if "/Contents" in page else generic.ArrayObject()
    old = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject(old + [added])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_edit_after_issue_is_reported_by_signatures_and_verify(office, tmp_path):
    import os
    import stat
    _, path, pdf = office.issued_pdf()
    edited = _edited(pdf)
    assert edited.startswith(pdf)  # the signed revisions are all still there, byte for byte
    statuses = [s for _, s in validate(edited, office.trust())]
    assert [s.modification_level.name for s in statuses] == ["OTHER", "OTHER"]  # pyHanko's own diff analysis
    assert all(s.intact and s.docmdp_ok is False for s in statuses)
    (tmp_path / "sua.pdf").write_bytes(edited)
    r = office.cli("signatures", tmp_path / "sua.pdf")
    assert r.code == 1 and r.out.count("Thay đổi sau khi ký: nội dung đã bị thay đổi sau khi ký") == 2
    assert f"{tmp_path / 'sua.pdf'}: chữ ký 'chu-ky-lanh-dao' không hợp lệ: nội dung đã bị thay đổi sau khi ký" in r.err
    mode = os.stat(path).st_mode
    os.chmod(path, mode | stat.S_IWUSR)
    try:
        open(path, "wb").write(edited)
        said = office.cli("verify")
        assert said.code == 1
        text = said.out + said.err
        assert "bị sửa sau chữ ký số 'chu-ky-lanh-dao' (Phan Huy Anh Vũ) quá mức chữ ký cho phép" in text, text
        assert "đã bị thay đổi" in text  # and its checksum no longer matches the register's
    finally:
        open(path, "wb").write(pdf)
        os.chmod(path, mode)
    office.ok("verify")


def test_an_edited_attachment_is_reported_too(office, tmp_path):
    from vanthu.docnumber import DocumentNumber
    from vanthu.signing import inspect, sign
    from test_signing_attachment import _blank_pdf
    p12 = office.org.p12(office.folder / "syt-kem.p12", ca=office.root)
    signed = sign.sign_attachment(_blank_pdf(), signers._p12_signer(p12, PIN, "SYT"), DocumentNumber(4482, "SYT-VP"))
    (report,) = inspect.signatures(_edited(signed), [office.trust()])
    assert not report.ok and report.why == "nội dung đã bị thay đổi sau khi ký"
    (report,) = inspect.signatures(signed, [office.trust()])
    assert report.ok and report.why == ""


def test_two_clerks_issuing_one_signed_draft_at_once_take_one_number(office, tmp_path):
    from test_signing_flow import SEED
    record = tmp_path / "khong-so.yaml"  # no number, dated today: vanthu takes the next number
    record.write_text(SEED.read_text(encoding="utf-8").replace("number: 4482\n", "").replace("date: 2020-08-06\n", "")
                      .replace("BlueZone", "BlueZone (đợt 2)"), encoding="utf-8")
    draft = office.signed_draft(record)
    before = counts(office)
    done, refused = [], []

    def clerk():
        try:
            done.append(signoff.issue(draft, "lan", PIN, office.home, index=False))
        except VanthuError as error:
            refused.append(str(error))
    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(refused) == 1, (done, refused)
    assert "đã ban hành" in refused[0]  # the second saw the first's number (its content, or the draft) under the lock
    assert counts(office)[0] == before[0] + 1 and state(office, draft) == "da-ban-hanh"


@pytest.fixture(scope="module")
def token_office(tmp_path_factory):
    return Office(tmp_path_factory.mktemp("token-sai"), token=True)


def test_a_wrong_token_pin_signs_nothing_and_the_right_one_then_signs(token_office):
    draft = token_office.draft()
    token_office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    r = token_office.cli("sign", draft, "--as", "vu", "--pin-stdin", stdin="000000")
    assert (r.code, r.err) == (1, "Lỗi: mã PIN của thiết bị ký 'vu-token' không đúng\n")
    assert state(token_office, draft) == "trinh-ky" and counts(token_office)[2] == 0
    token_office.ok("sign", draft, "--as", "vu", "--pin-stdin", stdin=token_office.leader_pin)
    assert state(token_office, draft) == "da-ky"


def test_a_signed_draft_takes_the_issue_options_and_refuses_no_pdf(office, tmp_path):
    from test_signing_flow import SEED
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    if not conn.execute("SELECT count(*) FROM documents WHERE number = 4482").fetchone()[0]:
        office.issued_pdf()
    record = tmp_path / "dinh-chinh.yaml"
    record.write_text(SEED.read_text(encoding="utf-8").replace("number: 4482\n", "").replace("date: 2020-08-06\n", "")
                      .replace("BlueZone", "BlueZone (đính chính)"), encoding="utf-8")
    draft = office.signed_draft(record)
    before = counts(office)
    r = office.cli("issue", str(draft), "--no-pdf", "--as", "lan", "--pin-stdin", stdin=PIN)
    assert (r.code, r.err) == (1, "Lỗi: --no-pdf không dùng được khi ban hành dự thảo đã ký số: văn bản điện tử là "
                                  "tệp PDF đã ký\n")
    assert counts(office) == before
    office.ok("issue", str(draft), "--corrects", "4482/SYT-VP", "--as", "lan", "--pin-stdin", stdin=PIN)
    link = conn.execute("SELECT l.kind, t.number FROM links l JOIN documents t ON t.id = l.target_id").fetchall()
    assert link == [("corrects", 4482)]  # --corrects is not dropped for a draft (it was, silently)
