"""Numbering (cấp số): series per issuer and year, secret series, chosen numbers, no gaps."""
import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import archivekit as k
from archivekit import issue_past as issue
from vanthu.errors import VanthuError

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def issue_fast(home, records, **kw):
    return issue(records, home, renderer=k.BytesRenderer(), **kw)


def test_series_starts_at_01_and_prints_leading_zero(tmp_path):
    done = issue_fast(tmp_path, [k.record(date="2021-03-01") for _ in range(11)])
    assert [str(d.number) for d in done][:2] == ["01/SYT-VP", "02/SYT-VP"]
    assert str(done[9].number) == "10/SYT-VP"
    assert k.serials(tmp_path) == list(range(1, 12))
    assert (tmp_path / "files/2021/di/01-SYT-VP/01-SYT-VP.docx").read_bytes().startswith("Số: 01/SYT-VP".encode())


def test_31_december_then_1_january_restarts_at_01(tmp_path):
    issue_fast(tmp_path, [k.record(date="2020-12-31"), k.record(date="2020-12-31")])
    (first_of_year,) = issue_fast(tmp_path, [k.record(date="2021-01-01")])
    assert str(first_of_year.number) == "01/SYT-VP"
    assert k.serials(tmp_path, year=2020) == [1, 2]
    assert k.serials(tmp_path, year=2021) == [1]


def test_today_is_the_date_when_the_record_has_none(tmp_path):
    (done,) = issue_fast(tmp_path, [k.record()], today=dt.date(2022, 2, 5))
    assert done.date == dt.date(2022, 2, 5)
    assert (tmp_path / done.paths[0]).read_text(encoding="utf-8").splitlines()[1] == "2022-02-05"


def test_secret_documents_have_their_own_series(tmp_path):
    done = issue_fast(tmp_path, [k.record(date="2021-05-01"), k.record(date="2021-05-02", confidentiality="mật"),
                                 k.record(date="2021-05-03", confidentiality="tối mật"), k.record(date="2021-05-04")])
    assert [(d.number.number, d.series) for d in done] == [(1, "SYT"), (1, "SYT/mật"), (2, "SYT/mật"), (2, "SYT")]
    assert done[1].paths == ["files/2021/di-mat/01-SYT-VP/01-SYT-VP.docx"]


def test_each_issuer_has_its_own_series(tmp_path):
    done = issue_fast(tmp_path, [k.record(date="2021-05-01"), k.record(date="2021-05-01", code="UBND")])
    assert [str(d.number) for d in done] == ["01/SYT-VP", "01/UBND-VP"]


def test_a_type_gets_its_own_series_when_the_settings_say_so(tmp_path):
    issue_fast(tmp_path, [k.record(date="2021-05-01")])
    settings = tmp_path / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("separate_series: []", "separate_series: [cong-van]"),
                        encoding="utf-8")
    (done,) = issue_fast(tmp_path, [k.record(date="2021-05-02")])
    assert (done.number.number, done.series) == (1, "SYT/cong-van")


def test_a_chosen_number_is_given_when_free_and_the_series_goes_on_after_it(tmp_path):
    done = issue_fast(tmp_path, [k.record(number=4482, date="2020-08-06"), k.record(date="2020-08-07")])
    assert [d.number.number for d in done] == [4482, 4483]


def test_a_taken_number_is_refused_and_nothing_changes(tmp_path):
    issue_fast(tmp_path, [k.record(number=7, date="2020-08-06")])
    before = (k.serials(tmp_path), k.stored_files(tmp_path))
    with pytest.raises(VanthuError) as error:
        issue_fast(tmp_path, [k.record(date="2020-09-01"), k.record(number=7, date="2020-09-02")])
    message = str(error.value)
    assert "số 07 đã cấp trong sổ văn bản đi SYT năm 2020" in message and "06/8/2020" in message
    assert (k.serials(tmp_path), k.stored_files(tmp_path)) == before


def test_the_same_number_in_another_year_is_free(tmp_path):
    done = issue_fast(tmp_path, [k.record(number=7, date="2020-08-06"), k.record(number=7, date="2021-08-06")])
    assert [d.number.number for d in done] == [7, 7]


def test_a_failed_render_takes_no_number(tmp_path):
    class Broken:
        def render(self, record):
            raise RuntimeError("mẫu hỏng")

    issue_fast(tmp_path, [k.record(date="2021-01-05")])
    with pytest.raises(RuntimeError):
        issue([k.record(date="2021-01-06")], tmp_path, renderer=Broken())
    (done,) = issue_fast(tmp_path, [k.record(date="2021-01-07")])
    assert done.number.number == 2
    assert k.stored_files(tmp_path) == ["files/2021/di/01-SYT-VP/01-SYT-VP.docx", "files/2021/di/02-SYT-VP/02-SYT-VP.docx"]
    assert not any((tmp_path / "staging").iterdir())


WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import archivekit as k
    from archivekit import issue_past as issue
    home, go, count, per_call = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    while not go.exists():
        time.sleep(0.01)
    for _ in range(count // per_call):
        issue([k.record(date="2020-06-01") for _ in range(per_call)], home, renderer=k.BytesRenderer(), index=False)
""")


def run_workers(home, processes, count, per_call):
    go = Path(home).parent / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(home), str(go), str(count), str(per_call)], env=env)
               for _ in range(processes)]
    go.touch()
    assert [w.wait(timeout=600) for w in workers] == [0] * processes


@pytest.mark.slow
def test_four_processes_issuing_250_each_take_1_to_1000_exactly_once(tmp_path):
    home = tmp_path / "home"
    run_workers(home, 4, 250, 5)
    assert k.serials(home) == list(range(1, 1001))
    assert len(k.stored_files(home)) == 1000
    from vanthu.archive.verify import verify
    assert verify(home).problems == []


def test_a_failed_pdf_conversion_takes_no_number(tmp_path):
    def no_libreoffice(records, docx):
        raise VanthuError("Không tìm thấy LibreOffice")

    with pytest.raises(VanthuError, match="LibreOffice"):
        issue([k.record(date="2021-01-06")], tmp_path, renderer=k.FakeRenderer(), to_pdf=no_libreoffice)
    assert k.serials(tmp_path) == [] and k.stored_files(tmp_path) == []


def test_a_stray_file_where_the_next_document_goes_is_kept_and_nothing_is_issued(tmp_path):
    issue_fast(tmp_path, [k.record(date="2021-01-05")])
    stray = tmp_path / "files/2021/di/02-SYT-VP/02-SYT-VP.docx"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"ai do de vao")
    with pytest.raises(VanthuError, match="kho không nhất quán, không cấp số.*files/2021/di/02-SYT-VP.*vanthu verify"):
        issue_fast(tmp_path, [k.record(date="2021-01-06")])
    assert stray.read_bytes() == b"ai do de vao"
    assert k.serials(tmp_path) == [1]
