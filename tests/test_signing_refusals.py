"""What the sign-off refuses, as a hostile or careless user would try it, read back from the archive."""
import json
import os
import re
import sqlite3
import stat

import pytest

import signkit
from test_signing_flow import Office, pdf_text, validate

pytestmark = pytest.mark.pdf
PIN = signkit.PASSWORD


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    office = Office(tmp_path_factory.mktemp("tu-choi"))
    tuan = signkit.make_user(office.root, "Đỗ Minh Tuấn")
    p12 = tuan.p12(office.folder / "tuan.p12", ca=office.root)
    office.ok("key", "add", "--user", "tuan", "--p12", p12, "--image", office.image, "--pin-stdin", stdin=PIN)
    return office


@pytest.fixture(scope="module")
def issued(office):
    return office.issued_pdf()


def state(office, draft):
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    return conn.execute("SELECT state FROM drafts WHERE id = ?", (draft,)).fetchone()[0]


def actions(office, draft):
    return [a for _, a, d, _ in office.events() if json.loads(d).get("draft") == draft]


def documents(office):
    conn = sqlite3.connect(office.home / "vanthu.sqlite3")
    return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


# --- keys --------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, words", [((-400, -30), "đã hết hạn"), ((10, 400), "chưa có hiệu lực")])
def test_a_certificate_out_of_its_dates_is_refused_with_them(office, days, words):
    person = signkit.make_user(office.root, "Phan Huy Anh Vũ", days_from=days[0], days_to=days[1])
    p12 = person.p12(office.folder / f"ngoai-han{days[0]}.p12", ca=office.root)
    r = office.cli("key", "add", "--user", "hoa", "--p12", p12, "--image", office.image, "--pin-stdin", stdin=PIN)
    assert r.code == 1 and words in r.err
    assert re.search(r"hiệu lực từ \d\d/\d\d/\d{4} \d\d:\d\d:\d\d đến \d\d/\d\d/\d{4}", r.err)
    vietnam = signkit.dt.timezone(signkit.dt.timedelta(hours=7))
    for d in days:
        assert f"{(signkit.NOW + signkit.dt.timedelta(days=d)).astimezone(vietnam):%d/%m/%Y}" in r.err
    assert not (office.home / "keys" / "users" / "hoa").exists()


def test_key_list_names_each_key_and_its_end_of_validity(office):
    out = office.ok("key", "list").out
    assert "người dùng vu\tPKCS#12\tPhan Huy Anh Vũ, do CA thử nghiệm vanthu cấp" in out
    assert "cơ quan SYT\tPKCS#12\tSở Y tế tỉnh Đồng Nai" in out and "ĐÃ HẾT HẠN" not in out


def test_the_key_file_is_private_and_no_password_is_stored(office):
    p12 = office.home / "keys" / "users" / "vu" / "key.p12"
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600
    for path in [*office.home.rglob("*.json"), office.home / "vanthu.sqlite3"]:
        assert PIN.encode() not in path.read_bytes(), path


def test_a_wrong_password_signs_nothing(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    r = office.cli("sign", draft, "--as", "vu", "--pin-stdin", stdin="sai-mat-khau")
    assert r.code == 1 and "mật khẩu tệp khóa PKCS#12 của 'vu' không đúng" in r.err
    assert state(office, draft) == "trinh-ky" and "sign" not in actions(office, draft)


def test_a_wrong_organisation_password_takes_no_number(office):
    draft = office.signed_draft()
    before = documents(office)
    r = office.cli("issue", str(draft), "--as", "lan", "--pin-stdin", stdin="sai")
    assert r.code == 1 and "không đúng" in r.err
    assert documents(office) == before and state(office, draft) == "da-ky"


# --- whose turn --------------------------------------------------------------------------------

def test_a_leader_cannot_sign_a_draft_not_submitted_to_them(office):
    draft = office.draft()
    r = office.cli("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)
    assert r.code == 1 and "không đang chờ 'vu'" in r.err  # never submitted at all
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    r = office.cli("sign", draft, "--as", "tuan", "--pin-stdin", stdin=PIN)
    assert r.code == 1 and "không đang chờ 'tuan'" in r.err and "đang chờ 'vu'" in r.err
    assert "sign" not in actions(office, draft)


def test_reviewers_go_in_order_and_a_reviewer_cannot_sign(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--via", "minh", "--as", "hoa")
    assert office.cli("approve", draft, "--as", "vu").code == 1  # not the leader's turn yet
    r = office.cli("sign", draft, "--as", "minh", "--pin-stdin", stdin=PIN)
    assert r.code == 1 and "chưa tới bước ký" in r.err
    assert "Đang trình ký" in office.ok("waiting", "--as", "minh").out
    assert str(draft) not in office.ok("waiting", "--as", "vu").out.split()


def test_signing_in_another_persons_name_is_refused(office):
    """Tuấn has a good key of his own, but the document names Phan Huy Anh Vũ as its signer."""
    draft = office.draft()
    office.ok("submit", draft, "--to", "tuan", "--as", "hoa")
    r = office.cli("sign", draft, "--as", "tuan", "--pin-stdin", stdin=PIN)
    assert r.code == 1 and "chứng thư số là của 'Đỗ Minh Tuấn'" in r.err and "không ký thay được" in r.err
    assert state(office, draft) == "trinh-ky"


def test_only_the_drafter_submits(office):
    draft = office.draft()
    r = office.cli("submit", draft, "--to", "vu", "--as", "minh")
    assert r.code == 1 and "chỉ người soạn" in r.err


def test_a_returned_draft_is_edited_and_submitted_again(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--via", "minh", "--as", "hoa")
    assert office.cli("return", draft, "--as", "minh", "--comment", "  ").code == 1  # a comment is required
    office.ok("return", draft, "--as", "minh", "--comment", "Sửa trích yếu")
    assert state(office, draft) == "tra-lai"
    assert "Sửa trích yếu" in office.ok("history", draft).out
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    assert "Đang trình ký" in office.ok("waiting", "--as", "vu").out


def test_a_clerk_cannot_issue_an_unsigned_electronic_draft(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    office.ok("approve", draft, "--as", "vu")
    before = documents(office)
    r = office.cli("issue", str(draft), "--as", "lan", "--pin-stdin", stdin=PIN)
    assert r.code == 1 and "chưa có chữ ký số của lãnh đạo" in r.err
    assert documents(office) == before


def test_a_draft_the_leader_signed_is_not_issued_on_paper_nor_signed_twice(office):
    draft = office.draft()
    office.ok("submit", draft, "--to", "vu", "--as", "hoa")
    office.ok("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)
    before = (documents(office), actions(office, draft))
    r = office.cli("issue", str(draft), "--paper", "--as", "lan", "--no-pdf")
    assert (r.code, r.err) == (1, f"Lỗi: dự thảo {draft} (Lãnh đạo đã ký số) đã có chữ ký số của lãnh đạo: ban hành "
                                  "văn bản điện tử (ký số của cơ quan), không ban hành bản giấy\n")
    r = office.cli("sign", draft, "--as", "vu", "--pin-stdin", stdin=PIN)
    assert (r.code, r.err) == (1, f"Lỗi: dự thảo {draft} (Lãnh đạo đã ký số) không đang chờ 'vu' xử lý\n")
    assert (documents(office), actions(office, draft)) == before and state(office, draft) == "da-ky"


# --- after signing -------------------------------------------------------------------------------

def _damaged(pdf):
    """One byte changed inside what the leader signed (in a compressed stream: the file still parses)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    import io
    leader = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    where = leader.byte_range[1] // 2
    return pdf[:where] + bytes([pdf[where] ^ 0x01]) + pdf[where + 1:]


def test_a_byte_changed_after_signing_is_reported_by_signatures_and_verify(office, issued, tmp_path):
    _, path, pdf = issued
    assert office.ok("verify").code == 0
    bad = tmp_path / "sua.pdf"
    bad.write_bytes(_damaged(pdf))
    r = office.cli("signatures", bad)
    assert r.code == 1 and "KHÔNG: dữ liệu đã ký bị thay đổi" in r.out and "không hợp lệ" in r.err
    mode = stat.S_IMODE(os.stat(path).st_mode)
    os.chmod(path, 0o600)
    with open(path, "wb") as f:
        f.write(bad.read_bytes())
    try:
        r = office.cli("verify")
        assert r.code == 1
        assert "không còn toàn vẹn" in r.out + r.err and "mã băm không khớp" in r.out + r.err
    finally:
        with open(path, "wb") as f:
            f.write(pdf)
        os.chmod(path, mode)
    assert office.ok("verify").code == 0


def test_an_office_without_the_root_is_told_the_signatures_are_not_trusted(issued, tmp_path):
    from conftest import run_cli
    r = run_cli("--home", tmp_path / "kho-khac", "signatures", issued[1])
    assert r.code == 1 and r.out.count("Tin cậy: KHÔNG") == 2 and r.out.count("Toàn vẹn: có") == 2


def test_withdrawal_keeps_the_number_and_shows_everywhere(office, issued):
    r = office.cli("withdraw", "4482/SYT-VP", "--as", "lan", "--reason", "Ban hành nhầm đối tượng")
    assert r.code == 0, r.err
    assert office.cli("withdraw", "4482/SYT-VP", "--as", "lan", "--reason", "lần nữa").code == 1
    assert "Đã thu hồi" in office.ok("show", "4482/SYT-VP").out
    assert "Đã thu hồi" in office.ok("register", "--year", "2020").out
    assert "đã thu hồi" in office.ok("search", "BlueZone").out.lower()
    assert pdf_text(issued[2])  # the stored file is untouched
    assert len(validate(issued[2], office.trust())) == 2


def test_search_results_say_a_document_was_corrected_by_a_later_one(tmp_path):
    """Điều 18: the corrected document's search result names the correction (and the number stays)."""
    from conftest import DATA, run_cli
    home = tmp_path / "kho"
    assert run_cli("--home", home, "issue", DATA / "4482-SYT-VP.yaml", "--no-pdf").code == 0
    fix = (DATA / "4482-SYT-VP.yaml").read_text(encoding="utf-8").replace("number: 4482\n", "number: 4490\n")
    fix = fix.replace("subject: triển khai", "subject: đính chính công văn triển khai")
    (tmp_path / "dinh-chinh.yaml").write_text(fix, encoding="utf-8")
    r = run_cli("--home", home, "issue", tmp_path / "dinh-chinh.yaml", "--no-pdf", "--corrects", "4482/SYT-VP")
    assert r.code == 0, r.err
    found = run_cli("--home", home, "search", "4482", "/syt-vp").out
    first = found.splitlines()[0]
    assert first.startswith("1. 4482/SYT-VP") and "[Được đính chính bởi văn bản số 4490/SYT-VP]" in first
