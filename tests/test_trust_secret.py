"""Issue 9, item 7: secret documents are kept apart (văn bản mật: sổ riêng, đánh dấu, không lộ nội dung)."""
import sqlite3

import archivekit as k
from readback import docx_paragraphs
from test_trust_mistakes import _record
import pytest

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def _secret(folder, name, subject, level="mật"):
    path = folder / _record(folder, name, subject=subject)
    path.write_text(path.read_text(encoding="utf-8") + f"confidentiality: {level}\n", encoding="utf-8")
    return name


def _xml(path):
    """Every paragraph's text (a subject broken over lines is whole again)."""
    return " ".join(" ".join(docx_paragraphs(path)).split())


def _two_01s(cli, tmp_path):
    _record(tmp_path, "thuong.yaml", subject="kế hoạch tiêm chủng")
    _secret(tmp_path, "mat.yaml", "phương án bảo vệ mục tiêu trọng yếu")
    assert cli("issue", "thuong.yaml", "--no-pdf").out.startswith("Đã ban hành số 01/SYT-VP")
    assert cli("issue", "mat.yaml", "--no-pdf").out.startswith("Đã ban hành số 01/SYT-VP")


def test_secret_outgoing_documents_have_their_own_register_and_are_marked(cli, tmp_path):
    _two_01s(cli, tmp_path)

    ordinary = cli("register")
    assert "1 văn bản" in ordinary.out and "tiêm chủng" in ordinary.out
    assert "trọng yếu" not in ordinary.out and "mật" not in ordinary.out.lower().replace("mật độ", "")
    secret = cli("register", "--secret")
    assert secret.out.startswith("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐI")
    assert "trọng yếu" in secret.out and "tiêm chủng" not in secret.out and "1 văn bản" in secret.out
    assert cli("register", "-o", "so.docx").code == 0
    printed = _xml(tmp_path / "so.docx")
    assert "tiêm chủng" in printed and "trọng yếu" not in printed

    both = cli("show", "01/SYT-VP").out
    assert both.count("Số, ký hiệu: 01/SYT-VP") == 2
    assert both.count("*** VĂN BẢN MẬT (MẬT) ***") == 1
    only = cli("show", "01/SYT-VP", "--secret").out
    assert only.startswith("*** VĂN BẢN MẬT (MẬT) ***") and "trọng yếu" in only and "tiêm chủng" not in only
    plain = cli("show", "01/SYT-VP", "--not-secret").out
    assert "tiêm chủng" in plain and "VĂN BẢN MẬT" not in plain

    ambiguous = cli("show", "01/SYT-VP", "-o", "ra.docx")
    assert ambiguous.code == 1
    assert ambiguous.err_lines[0].startswith("Lỗi: có 2 văn bản số 01/SYT-VP: 01/SYT-VP ngày")
    assert "01/SYT-VP (mật) ngày" in ambiguous.err and "thêm --secret (văn bản mật) hoặc --not-secret" in ambiguous.err
    assert cli("show", "01/SYT-VP", "--secret", "-o", "ra.docx").code == 0
    assert "trọng yếu" in _xml(tmp_path / "ra.docx")

    found = cli("search", "trọng yếu")
    assert found.code == 0
    assert found.out.splitlines()[0].startswith("1. 01/SYT-VP [MẬT: mật]  ")
    assert '"confidentiality": "mật"' in cli("search", "trọng yếu", "--json").out
    assert cli("verify").code == 0


def test_a_secret_incoming_document_is_registered_apart_and_its_text_never_indexed(cli, tmp_path):
    (tmp_path / "mat.docx").write_bytes(k.make_docx(["CÔNG AN TỈNH", "Kế hoạch chuyên án Hoa Sen Vàng"]))
    (tmp_path / "thuong.docx").write_bytes(k.make_docx(["BỘ Y TẾ", "Hướng dẫn tiêm chủng mùa thu"]))
    common = ("--date", "05/8/2020", "--received", "06/8/2020")
    done = cli("import", "mat.docx", "--number", "12/CAT-PV01", "--issuer", "Công an tỉnh", "--subject", "chuyên án",
               "--confidentiality", "Tối mật", *common)
    assert done.code == 0, done.err
    assert done.out.splitlines()[0] == "Đã vào sổ mật đến số 01: văn bản 12/CAT-PV01 ngày 05/8/2020"
    assert "/files/2020/den-mat/" in done.out
    plain = cli("import", "thuong.docx", "--number", "7/BYT-DP", "--issuer", "Bộ Y tế", *common)
    assert plain.out.splitlines()[0] == "Đã vào sổ đến số 01: văn bản 07/BYT-DP ngày 05/8/2020"

    assert cli("search", "Hoa Sen Vàng").out.splitlines()[0] == "Không tìm thấy văn bản nào."
    assert cli("search", "chuyên án").out.splitlines()[0].startswith("1. 12/CAT-PV01 [MẬT: tối mật]")
    bodies = k.database(tmp_path / "home").execute(
        "SELECT body FROM documents WHERE confidentiality = 'tối mật'").fetchall()
    assert bodies == [("",)]  # the text was never extracted: not in the database either
    assert cli("reindex").code == 0 and "Không tìm thấy" in cli("search", "Hoa Sen").out

    incoming = cli("register", "--direction", "in")
    assert "Bộ Y tế" in incoming.out and "Công an tỉnh" not in incoming.out and "1 văn bản" in incoming.out
    secret = cli("register", "--direction", "in", "--secret")
    assert secret.out.startswith("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN") and "Công an tỉnh" in secret.out
    assert cli("show", "12/CAT-PV01").out.startswith("*** VĂN BẢN MẬT (TỐI MẬT) ***\nVăn bản đến số 01 (sổ mật đến)")

    wrong = cli("import", "mat.docx", "--number", "13/CAT-PV01", "--issuer", "Công an tỉnh", "--confidentiality",
                "bí mật", *common)
    assert wrong.err_lines == ["Lỗi: --confidentiality: 'bí mật' không hợp lệ; dùng một trong: mật, tối mật, tuyệt mật"]
    assert cli("verify").code == 0
