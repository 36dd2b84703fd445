"""Malformed records: exit 1, one Vietnamese line per problem with file:line, nothing written."""
import re

import pytest

from conftest import DATA

SEED = (DATA / "4482-SYT-VP.yaml").read_text(encoding="utf-8")
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def seed_with(old, new):
    assert old in SEED
    return SEED.replace(old, new, 1)


CASES = {
    "bad-yaml": (seed_with("to:\n", "to: [\n"), [(None, 13)]),
    "unknown-type": (seed_with("type: cong-van", "type: cong-vann"), [("type", 2)]),
    "wrong-type": (seed_with("place: Đồng Nai", "place: {tinh: Đồng Nai}"), [("place", 9)]),
    "no-such-day": (seed_with("date: 2020-08-06", "date: 2020-02-30"), [("date", 10)]),
    "missing-signer": (seed_with("signer:\n  title: GIÁM ĐỐC\n  name: Phan Huy Anh Vũ\n", ""), [("signer", None)]),
    "number-zero": (seed_with("number: 4482", "number: 0"), [("number", 8)]),
    "number-negative": (seed_with("number: 4482", "number: -1"), [("number", 8)]),
    "number-text": (seed_with("number: 4482", "number: abc"), [("number", 8)]),
    "unknown-urgency": (seed_with("unit: VP", "unit: VP\nurgency: gấp lắm"), [("urgency", 8)]),
    "tags-and-xml": (seed_with("number: 4482", 'number: "{{ 7*7 }}"\nurgency: "<w:p>&"'),
                     [("number", 8), ("urgency", 9)]),
    "control-char": (seed_with("place: Đồng Nai", 'place: "Đồng\\x07Nai"'), [("place", 9)]),
    "list-for-string": (seed_with("subject: triển khai", "subject:\n  - triển khai"), [("subject", 11)]),
    "party-authority": (seed_with("  title: GIÁM ĐỐC", "  authority: K/T. GIÁM ĐỐC\n  title: PHÓ GIÁM ĐỐC"),
                        [("signer.authority", 24)]),
    "unknown-key": (seed_with("place: Đồng Nai", "place: Đồng Nai\nplce: Biên Hòa"), [("plce", 10)]),
    "duplicate-key": (seed_with("place: Đồng Nai", "place: Đồng Nai\nplace: Biên Hòa"), [(None, 10)]),
    "bad-phone": ("type: dang-ky-tai-khoan-bluezone\nfields:\n  phone: '0123 45'\n  email: a@b\n",
                  [("fields.phone", 3), ("fields.email", 4)]),
    "huge-body": (seed_with("body: |\n", "body: |\n" + ("  " + "x" * 999 + "\n") * 10_500), [(None, 1)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_record_is_refused(cli, tmp_path, name):
    text, expected = CASES[name]
    record = tmp_path / f"{name}.yaml"
    record.write_text(text, encoding="utf-8")
    result = cli("render", record, "-o", tmp_path / "out.docx")
    assert result.code == 1
    assert not (tmp_path / "out.docx").exists()
    assert len(result.err_lines) == len(expected), result.err
    for line, (key, number) in zip(result.err_lines, expected):
        assert line.startswith(f"{record}:"), line
        assert re.match(rf"^{re.escape(str(record))}:(\d+): ", line), line
        if number:
            assert line.startswith(f"{record}:{number}: "), line
        if key:
            assert f": {key}: " in line, line
        assert VIETNAMESE.search(line.lower()), line
        assert "Traceback" not in result.err


def test_values_are_echoed_literally_in_messages(cli, tmp_path):
    record = tmp_path / "r.yaml"
    record.write_text(CASES["tags-and-xml"][0], encoding="utf-8")
    err = cli("check", record).err.replace(str(record), "r.yaml")  # the temp path may itself hold "49"
    assert "{{ 7*7 }}" in err and "49" not in err and "<w:p>&" in err


def test_check_reports_every_file(cli, tmp_path):
    for i in (1, 2):
        (tmp_path / f"r{i}.yaml").write_text(CASES["number-zero"][0], encoding="utf-8")
    result = cli("check", tmp_path / "r1.yaml", tmp_path / "r2.yaml")
    assert result.code == 1 and len(result.err_lines) == 2


def test_a_bad_record_in_a_batch_writes_nothing(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text(CASES["number-zero"][0], encoding="utf-8")
    result = cli("render", DATA / "4482-SYT-VP.yaml", tmp_path / "bad.yaml", "-o", tmp_path / "out")
    assert result.code == 1
    assert not (tmp_path / "out").exists()


def test_missing_file(cli, tmp_path):
    result = cli("check", tmp_path / "khong-co.yaml")
    assert result.code == 1 and "không tìm thấy tệp" in result.err
