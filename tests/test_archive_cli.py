"""The archive commands as a clerk types them: issue, import, show, register, verify."""
import os

import pytest

import archivekit as k

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def test_issue_show_register_verify_the_seed(cli, seed_copy, tmp_path):
    result = cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    assert result.code == 0, result.err
    home = tmp_path / "home"
    assert result.out.splitlines() == ["Đã ban hành số 4482/SYT-VP ngày 06/8/2020",
                                       f"  {home}/files/2020/di/4482-SYT-VP/4482-SYT-VP.docx"]

    again = cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    assert again.code == 1
    assert again.err_lines == [f"4482-SYT-VP.yaml:2: number: số 4482 đã cấp trong sổ văn bản đi SYT năm 2020 cho văn bản "
                               "4482/SYT-VP ngày 06/8/2020; bỏ khóa number để lấy số tiếp theo"]

    table = cli("register", "--year", "2020")
    assert table.code == 0
    assert any(line.startswith("4482/SYT-VP    | 06/8/2020  | Công văn V/v triển khai") for line in table.out.splitlines())

    shown = cli("show", "4482 /syt-vp")
    assert "Người ký: GIÁM ĐỐC Phan Huy Anh Vũ" in shown.out.splitlines()
    assert {"  CodeNumber: 4482", "  CodeNotation: SYT-VP", "  To[2].OrganName: Các cơ sở y tế ngoài công lập"} <= set(
        shown.out.splitlines())

    # the issue, and the view of `show` (issue 16: every use of a document is logged)
    assert cli("verify").out.strip() == "Kho toàn vẹn: 1 tệp khớp mã băm, nhật ký 2 mục liền mạch."


def test_show_copies_a_file_out_writable(cli, seed_copy, tmp_path):
    cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    copied = cli("show", "4482/SYT-VP", "-o", "ban-sao.docx")
    assert copied.code == 0 and copied.out.strip() == "Đã chép ban-sao.docx"
    stored = tmp_path / "home/files/2020/di/4482-SYT-VP/4482-SYT-VP.docx"
    assert (tmp_path / "ban-sao.docx").read_bytes() == stored.read_bytes()
    assert os.access(tmp_path / "ban-sao.docx", os.W_OK)
    missing = cli("show", "4482/SYT-VP", "-o", "ban-sao.pdf")
    assert missing.code == 1 and missing.err_lines == ["Lỗi: văn bản 4482/SYT-VP không có tệp .pdf (có: docx)"]
    unknown = cli("show", "99/SYT-VP")
    assert unknown.code == 1 and unknown.err_lines == ["Lỗi: không có văn bản số 99/SYT-VP trong sổ"]


def test_verify_exits_1_and_lists_each_problem(cli, seed_copy, tmp_path):
    cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    (tmp_path / "home/files/2020/di/4482-SYT-VP/4482-SYT-VP.docx").unlink()
    result = cli("verify")
    assert result.code == 1
    assert result.err_lines == ["Lỗi: thiếu tệp files/2020/di/4482-SYT-VP/4482-SYT-VP.docx (văn bản 4482/SYT-VP)",
                                "Lỗi: Phát hiện 1 vấn đề (1 tệp, 1 mục nhật ký đã kiểm tra)."]


def test_import_then_the_incoming_register(cli, tmp_path):
    (tmp_path / "4199.docx").write_bytes(k.make_docx(["BỘ Y TẾ", "V/v triển khai BlueZone"]))
    args = ("import", "4199.docx", "--number", "4199/BYT-VPB1", "--date", "05/8/2020", "--issuer", "Bộ Y tế",
            "--type", "Công văn", "--subject", "V/v triển khai BlueZone", "--received", "2020-08-06")
    result = cli(*args)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Đã vào sổ đến số 01: văn bản 4199/BYT-VPB1 ngày 05/8/2020"
    assert cli(*args).err_lines == ["Lỗi: văn bản 4199/BYT-VPB1 của Bộ Y tế đã vào sổ đến: số đến 01 ngày 06/8/2020"]
    table = cli("register", "--direction", "in", "--year", "2020")
    assert any(line.startswith("06/8/2020  | 01     | Bộ Y tế") for line in table.out.splitlines())


def test_register_writes_the_printable_docx(cli, seed_copy, tmp_path):
    cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    result = cli("register", "--year", "2020", "-o", "so-di-2020.docx")
    assert result.code == 0 and result.out.strip() == f"Đã ghi so-di-2020.docx"
    from readback import docx_paragraphs
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in docx_paragraphs(tmp_path / "so-di-2020.docx")


@pytest.mark.pdf
@pytest.mark.slow
def test_issue_stores_docx_and_pdf_then_a_correction_links_to_it(cli, seed_copy, tmp_path):
    from readback import pdf_text
    result = cli("issue", "4482-SYT-VP.yaml")
    assert result.code == 0, result.err
    pdf = tmp_path / "home/files/2020/di/4482-SYT-VP/4482-SYT-VP.pdf"
    assert "Số: 4482/SYT-VP" in pdf_text(pdf)
    correction = (seed_copy / "4482-SYT-VP.yaml").read_text(encoding="utf-8").replace("number: 4482\n", "")
    (seed_copy / "dinh-chinh.yaml").write_text(correction.replace("date: 2020-08-06", "date: 2020-08-07"), encoding="utf-8")
    result = cli("issue", "dinh-chinh.yaml", "--corrects", "4482/SYT-VP", "--no-pdf", "--again", "--other-year")
    assert result.out.splitlines()[0] == "Đã ban hành số 4483/SYT-VP ngày 07/8/2020"
    assert "Được đính chính bởi 4483/SYT-VP ngày 07/8/2020" in cli("show", "4482/SYT-VP").out.splitlines()
    assert "Đính chính văn bản 4482/SYT-VP ngày 06/8/2020" in cli("show", "4483/SYT-VP").out.splitlines()


def test_show_copies_every_file_into_a_folder(cli, tmp_path):
    from archivekit import issue_past as issue
    issue([k.seed()], tmp_path / "home", renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    (tmp_path / "ra").mkdir()
    result = cli("show", "4482/SYT-VP", "--year", "2020", "-o", "ra")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "ra").iterdir()) == ["4482-SYT-VP.docx", "4482-SYT-VP.pdf"]


@pytest.mark.slow
def test_four_vanthu_issue_commands_at_once_share_one_series(tmp_path):
    import subprocess
    import sys
    seed = (k.SEED).read_text(encoding="utf-8").replace("number: 4482\n", "").replace("date: 2020-08-06\n", "date: 2021-03-02\n")
    body = "\n".join(line for line in seed.splitlines() if not line.startswith("#"))
    items = "\n".join("- " + "\n  ".join(body.split("attachments:")[0].strip().splitlines()) for _ in range(10))
    (tmp_path / "lo.yaml").write_text(items + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "vanthu.cli", "--home", str(tmp_path / "home"), "issue", "--no-pdf", "--again",
               "--other-year", "lo.yaml"]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err for _, err in outputs]
    printed = sorted(int(line.split()[4].split("/")[0]) for out, _ in outputs for line in out.splitlines()
                     if line.startswith("Đã ban hành số"))
    assert printed == list(range(1, 41))
    assert k.serials(tmp_path / "home", year=2021) == list(range(1, 41))
