"""Forms: one template gives the blank form and the filled one; phone and e-mail are checked."""
import pytest

from conftest import DATA
from readback import docx_paragraphs
from vanthu.errors import VanthuError
from vanthu.generator import validate


def render(cli, tmp_path, text):
    (tmp_path / "form.yaml").write_text(text, encoding="utf-8")
    result = cli("render", tmp_path / "form.yaml", "-o", tmp_path / "form.docx")
    return result, (docx_paragraphs(tmp_path / "form.docx") if result.code == 0 else [])


def test_blank_form_prints_fill_lines(cli, tmp_path):
    result, paragraphs = render(cli, tmp_path, "type: dang-ky-tai-khoan-bluezone\nfields: {}\n")
    assert result.code == 0
    assert any(p.startswith("3. Chức vụ: .....") for p in paragraphs)
    assert any(p.startswith("4. Số điện thoại: .....") for p in paragraphs)
    assert any(p.startswith("....") and ", ngày ..... tháng ..... năm ...." in p for p in paragraphs)
    assert paragraphs[-1] != "Trần Văn Đức"


def test_filled_form_prints_values(cli, tmp_path):
    result, paragraphs = render(cli, tmp_path, (DATA / "dang-ky-tai-khoan-bluezone.yaml").read_text(encoding="utf-8"))
    assert result.code == 0
    assert "2. Họ tên người quản lý tài khoản: Nguyễn Thị Minh Hạnh" in paragraphs
    assert "4. Số điện thoại: 0912 345 678" in paragraphs
    assert "Đồng Nai, ngày 06 tháng 8 năm 2020" in paragraphs


def test_partly_filled_form(cli, tmp_path):
    result, paragraphs = render(cli, tmp_path, "type: dang-ky-tai-khoan-bluezone\nfields:\n  position: Kế toán\n")
    assert "3. Chức vụ: Kế toán" in paragraphs
    assert any(p.startswith("2. Họ tên người quản lý tài khoản: .....") for p in paragraphs)


@pytest.mark.parametrize("typed", ["0912 345 678", "0912345678", "091.234.5678", "+84 912 345 678", "0356-123-456"])
def test_mobile_numbers_as_typed(typed):
    assert validate.phone(typed) == typed


@pytest.mark.parametrize("typed", ["0123 456 789", "091234567", "09123456789", "phone", "0212 345 678"])
def test_not_mobile_numbers(typed):
    with pytest.raises(validate.Invalid, match="không phải số di động"):
        validate.phone(typed)


def test_phone_written_as_a_number_loses_its_zero():
    with pytest.raises(validate.Invalid, match="ngoặc kép"):
        validate.phone(912345678)


@pytest.mark.parametrize("typed,good", [("cdc@dongnai.gov.vn", True), ("a.b+c@x.vn", True),
                                        ("cdc@dongnai", False), ("cdc dongnai.gov.vn", False), ("@x.vn", False)])
def test_email(typed, good):
    if good:
        assert validate.email(typed) == typed
    else:
        with pytest.raises(validate.Invalid):
            validate.email(typed)
