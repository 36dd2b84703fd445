"""Dates the way clerks type them: day first, with or without zeros, anywhere ISO is accepted."""
import datetime as dt

import pytest

from conftest import run_cli
from vanthu.errors import VanthuError
from vanthu.generator.records import RecordReader
from vanthu.generator.validate import Invalid, date
from vanthu.vndate import parse_day

AUG6 = dt.date(2020, 8, 6)


@pytest.mark.parametrize("typed", ["06/8/2020", "6/8/2020", "06/08/2020", "2020-08-06", " 6/8/2020 ",
                                   "06.8.2020", "06-08-2020", dt.datetime(2020, 8, 6, 0, 0)])
def test_each_clerk_form_is_the_same_day(typed):
    assert parse_day(typed) == AUG6 and date(typed) == AUG6


def test_day_comes_before_month():
    assert parse_day("03/04/2020") == dt.date(2020, 4, 3)


@pytest.mark.parametrize("typed, message", [
    ("30/02/2020", "không tồn tại"), ("6/13/2020", "không tồn tại"), ("06/8/20", "4 chữ số"),
    ("8/2020", "không hiểu ngày"), ("06/8-2020", "không hiểu ngày"), ("hôm qua", "không hiểu ngày")])
def test_wrong_days_are_refused_with_a_reason(typed, message):
    with pytest.raises(VanthuError, match=message):
        parse_day(typed)
    with pytest.raises(Invalid, match=message):
        date(typed)


def test_a_record_takes_a_day_first_date(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("type: dang-ky-tai-khoan-bluezone\nfields:\n  organization: CDC Đồng Nai\n  manager_name: A\n"
                    "  phone: \"0912345678\"\n  email: a@b.vn\n  place: Đồng Nai\n  date: 6/8/2020\n  head_name: B\n",
                    encoding="utf-8")
    record, = RecordReader().load(path)
    assert record.get("date") == AUG6


def test_a_bad_record_date_names_the_line(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("type: dang-ky-tai-khoan-bluezone\nfields:\n  organization: CDC\n  date: 31/6/2020\n", encoding="utf-8")
    result = run_cli("check", path)
    assert result.code == 1 and f"{path}:4: fields.date: ngày 31/6/2020 không tồn tại" in result.err
