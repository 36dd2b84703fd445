"""The command line: verbs, exit codes, messages in Vietnamese."""
import pytest

from conftest import DATA
from readback import docx_paragraphs
from vanthu import yamlfile


def test_templates_lists_names_titles_kinds(cli):
    result = cli("templates")
    assert result.code == 0
    assert "cong-van" in result.out and "Công văn" in result.out and "văn bản" in result.out
    assert "dang-ky-tai-khoan-bluezone" in result.out and "biểu mẫu" in result.out


def test_templates_name_lists_fields(cli):
    result = cli("templates", "cong-van")
    assert result.code == 0 and "signer" in result.out and "Người ký" in result.out and "bắt buộc" in result.out


def test_unknown_template(cli):
    result = cli("templates", "khong-co")
    assert result.code == 1 and "không có mẫu 'khong-co'" in result.err


def test_new_writes_a_skeleton_commented_in_vietnamese(cli, tmp_path):
    result = cli("new", "cong-van", "-o", tmp_path / "cv.yaml")
    assert result.code == 0
    text = (tmp_path / "cv.yaml").read_text(encoding="utf-8")
    assert "# Người ký (bắt buộc)" in text and "# Trích yếu nội dung (bắt buộc)" in text
    data = yamlfile.load(tmp_path / "cv.yaml")
    assert data["type"] == "cong-van" and "signer" in data
    assert cli("new", "cong-van", "-o", tmp_path / "cv.yaml").code == 1  # never overwrites


def test_filled_skeleton_renders(cli, tmp_path):
    cli("new", "cong-van", "-o", tmp_path / "cv.yaml")
    data = yamlfile.load(tmp_path / "cv.yaml")
    data["issuer"].update(name="Sở Y tế", code="SYT")
    data.update(place="Đồng Nai", subject="thử", to=["Bộ Y tế"], body="Nội dung.", cc=["Lưu: VT"])
    data["signer"].update(title="Giám đốc", name="Nguyễn Văn A")
    from ruamel.yaml import YAML
    with open(tmp_path / "cv.yaml", "w", encoding="utf-8") as f:
        YAML().dump(data, f)
    result = cli("render", tmp_path / "cv.yaml", "-o", tmp_path / "cv.docx")
    assert result.code == 0, result.err
    text = docx_paragraphs(tmp_path / "cv.docx")
    assert "Kính gửi: Bộ Y tế." in text and "Số:       /SYT" in text and "SỞ Y TẾ" in text


def test_check_good_records(cli):
    result = cli("check", DATA / "4482-SYT-VP.yaml", DATA / "dang-ky-tai-khoan-bluezone.yaml")
    assert result.code == 0 and "2 bản ghi hợp lệ" in result.err


def test_render_several_into_a_folder(cli, tmp_path):
    result = cli("render", DATA / "4482-SYT-VP.yaml", DATA / "dang-ky-tai-khoan-bluezone.yaml", "-o", tmp_path / "out")
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["4482-SYT-VP.docx", "dang-ky-tai-khoan-bluezone.docx"]


def test_render_default_output_is_next_to_the_working_folder(cli, tmp_path):
    assert cli("render", DATA / "4482-SYT-VP.yaml").code == 0
    assert (tmp_path / "4482-SYT-VP.docx").exists()


@pytest.mark.parametrize("args", [["render"], ["bogus"], ["check", "--nope", "x.yaml"]])
def test_usage_errors_exit_2(cli, args):
    assert cli(*args).code == 2


def test_help_is_vietnamese(cli):
    result = cli("--help")
    assert result.code == 0 and "văn bản" in result.out
    assert "Kết xuất bản nháp" in cli("render", "--help").out


def test_help_speaks_vietnamese_through_the_gettext_catalogue_whatever_the_locale(cli, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = cli("--help")
    assert result.out.startswith("Cách dùng: vanthu [OPTIONS] COMMAND")
    assert "Tùy chọn:" in result.out and "Lệnh:" in result.out and "Hiện số phiên bản rồi thoát." in result.out
    wrong = cli("search", "--limit", "x")
    assert wrong.code == 2 and "'x' không phải số nguyên hợp lệ" in wrong.err and "Gõ 'vanthu search --help'" in wrong.err
    import os
    assert os.environ["LANGUAGE"] == "en"  # the run's language does not leak into the caller


def test_the_compiled_catalogue_says_what_the_po_file_says():
    import gettext
    import json
    import re
    from vanthu.cli import LOCALE
    po = (LOCALE / "vi/LC_MESSAGES/vanthu.po").read_text(encoding="utf-8")
    with open(LOCALE / "vi/LC_MESSAGES/vanthu.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    unquote = lambda text: json.loads(f'"{text}"')  # the .po escapes (\\n \\t \\" \\\\) are JSON's
    singles = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, re.M)
    plurals = re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"\nmsgstr\[0\] "(.*)"$', po, re.M)
    assert len(singles) > 30 and len(plurals) >= 4
    assert [mo.gettext(unquote(k)) for k, _ in singles] == [unquote(v) for _, v in singles]
    assert [mo.ngettext(unquote(a), unquote(b), 2) for a, b, _ in plurals] == [unquote(v) for *_, v in plurals]


def test_main_returns_the_exit_status(monkeypatch, tmp_path):
    from vanthu.cli import ExitStatus, main
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(DATA / "4482-SYT-VP.yaml")]) is ExitStatus.OK
    assert main(["check", "khong-co.yaml"]) is ExitStatus.FAILED
    assert main(["khong-co-lenh"]) is ExitStatus.USAGE


def test_one_environment_object_reads_every_setting():
    from pathlib import Path
    from vanthu.environment import DEFAULT_HOME, Environment
    from vanthu.errors import VanthuError
    env = Environment.read({"VANTHU_HOME": "/kho", "VANTHU_TEMPLATES": "/mau", "VANTHU_SOFFICE": "/lo/soffice",
                            "VANTHU_CACHE": "/bo-dem", "VANTHU_PDF_WORKERS": "3", "VANTHU_TRACEBACK": "1"})
    assert env == Environment("/kho", "/mau", "/lo/soffice", Path("/bo-dem"), 3, True)
    plain = Environment.read({"XDG_CACHE_HOME": "/c"})
    assert (plain.home, plain.templates, plain.cache, plain.workers, plain.traceback) == (
        DEFAULT_HOME, None, Path("/c/vanthu"), 0, False)
    assert plain.given(home="/khac", templates=None).home == "/khac"
    with pytest.raises(VanthuError, match="VANTHU_PDF_WORKERS=hai"):
        Environment.read({"VANTHU_PDF_WORKERS": "hai"})


def test_templates_check_is_a_subcommand_and_a_template_named_otherwise_is_described(cli):
    assert "Lệnh:\n  check" in cli("templates", "--help").out
    assert cli("templates", "check", "cong-van").code == 0
    assert cli("templates", "cong-van", "thua").code == 2
