"""Issue 9, item 5: a clerk's template is data to fill, never code that runs (mẫu chạy trong hộp cát)."""
import shutil
import zipfile

from vanthu.templates import BUILTIN_DIR

ATTACK = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"


def _hostile_cong_van(folder, tag=ATTACK):
    """The built-in công văn copied into the home's templates, with a tag that tries to run a shell command."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".docx", ".yaml"):
        shutil.copy(BUILTIN_DIR / f"cong-van{suffix}", folder / f"cong-van{suffix}")
    path = folder / "cong-van.docx"
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = xml.replace("Nơi nhận:", f"Nơi nhận: {tag}", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_template_that_runs_a_shell_command_is_refused_and_nothing_runs(cli, seed_copy, tmp_path):
    template = _hostile_cong_van(tmp_path / "home" / "templates")

    rendered = cli("render", "4482-SYT-VP.yaml", "-o", "cv.docx")
    assert rendered.code == 1
    [line] = rendered.err_lines
    assert line.startswith(f"Lỗi: mẫu {template}: thẻ bị chặn vì truy cập phần bên trong của chương trình")
    assert "Lỗi nội bộ" not in rendered.err
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "cv.docx").exists()

    issued = cli("issue", "4482-SYT-VP.yaml", "--no-pdf")
    assert issued.code == 1 and "thẻ bị chặn" in issued.err
    assert not (tmp_path / "PWNED").exists()
    assert "Kho toàn vẹn: 0 tệp" in cli("verify").out  # no number taken, no file stored

    checked = cli("templates", "check", template)
    assert checked.code == 1
    [finding] = [line for line in checked.err_lines if "__init__" in line]
    assert finding.startswith(f"{template}: thân văn bản (word/document.xml), đoạn ")
    assert f"thẻ «{ATTACK}» truy cập '__init__', '__globals__', phần bên trong" in finding


def test_templates_check_names_each_private_attribute_form(cli, tmp_path):
    for tag, name in (("{{ v.__class__ }}", "__class__"), ("{{ f['_secret'] }}", "_secret"),
                      ("{{ issuer|attr('__doc__') }}", "__doc__")):
        template = _hostile_cong_van(tmp_path / name, tag)
        checked = cli("templates", "check", template)
        assert checked.code == 1
        assert any(f"truy cập '{name}'" in line and str(template) in line for line in checked.err_lines), checked.err


def test_the_builtin_templates_still_pass_check_and_render_in_the_sandbox(cli, seed_copy):
    assert cli("templates", "check", "cong-van").code == 0
    assert cli("render", "4482-SYT-VP.yaml", "-o", "cv.docx").code == 0
