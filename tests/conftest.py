import contextlib
import datetime as dt
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from pdfkit import assert_no_soffice

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
NO_SOFFICE = "needs LibreOffice (soffice): apt-get install libreoffice-writer-nogui fonts-liberation2"
NO_OCR = "needs OCR: apt-get install tesseract-ocr tesseract-ocr-vie ocrmypdf"
MIDNIGHT_MARGIN = 180  # seconds: longer than any test that uses ``today`` takes under load
MEASURED = []  # figures the tests measure (an OCR error rate), printed at the end of the run


def pytest_addoption(parser):
    parser.addoption("--regen-goldens", action="store_true",
                     help="rewrite tests/golden/*.docx from the current output (review them before committing)")


def have_soffice():
    from vanthu.errors import VanthuError
    from vanthu.generator.soffice import find_soffice
    try:
        return bool(find_soffice())
    except VanthuError:
        return False


def have_ocr():
    from vanthu.archive import ocr
    from vanthu.errors import VanthuError
    try:
        ocr.check_installed()
        return True
    except VanthuError:
        return False


def pytest_collection_modifyitems(config, items):
    """Tests marked ``pdf`` (``ocr``) are skipped, with one reason, where LibreOffice (Tesseract) is missing;
    never in CI, where a missing tool fails them. A ``sqlite_only`` test runs on the SQLite backend alone."""
    items[:] = [item for item in items if not _other_backend(item)]
    if os.environ.get("CI"):
        return
    missing = {"pdf": NO_SOFFICE} if not have_soffice() else {}
    missing.update({"ocr": NO_OCR} if any("ocr" in item.keywords for item in items) and not have_ocr() else {})
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def _other_backend(item):
    spec = getattr(item, "callspec", None)
    return (spec is not None and spec.params.get("backend") == "postgresql"
            and item.get_closest_marker("sqlite_only") is not None)


@pytest.fixture(scope="session")
def pg_server():
    """The tests' PostgreSQL cluster (URL); under CI=true its absence fails, elsewhere it skips."""
    import pgkit
    url = pgkit.server_url()
    try:
        if not url:
            raise RuntimeError("VANTHU_TEST_PG is not set")
        pgkit.prepare_template(url)
    except Exception as error:
        if os.environ.get("CI"):
            pytest.fail(f"{pgkit.NOT_AVAILABLE} ({error})")
        pytest.skip(f"{pgkit.NOT_AVAILABLE} ({error})")
    return url


@pytest.fixture
def pg_database(pg_server):
    """A fresh PostgreSQL database for this test (its URL), dropped afterwards."""
    import pgkit
    url = pgkit.create_database(pg_server)
    yield url
    pgkit.drop_database(pg_server, url)


@pytest.fixture
def on_postgresql(pg_database, monkeypatch):
    """This test's archive on a fresh PostgreSQL database (VANTHU_DB, inherited by its subprocesses)."""
    monkeypatch.setenv("VANTHU_DB", pg_database)
    return pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, monkeypatch):
    """The archive's backend for this test: its home's SQLite file, or a fresh PostgreSQL database (VANTHU_DB)."""
    if request.param == "postgresql":
        monkeypatch.setenv("VANTHU_DB", request.getfixturevalue("pg_database"))
    else:
        monkeypatch.delenv("VANTHU_DB", raising=False)
    return request.param


def pytest_terminal_summary(terminalreporter):
    for line in MEASURED:
        terminalreporter.write_line(f"measured: {line}")


@pytest.fixture(scope="module")
def private_tmp(tmp_path_factory):
    """The temp folder of every soffice profile this module starts; checked empty of processes."""
    folder = tmp_path_factory.mktemp("soffice")
    saved, tempfile.tempdir = tempfile.tempdir, str(folder)
    saved_env = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)  # else the profiles would go to /dev/shm
    try:
        yield folder
    finally:
        tempfile.tempdir = saved
        if saved_env is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = saved_env
    assert_no_soffice(str(folder))


@pytest.fixture(autouse=True)
def no_soffice_left(request):
    """After every ``pdf`` test: no LibreOffice process of its module is still alive."""
    if request.node.get_closest_marker("pdf") is None:
        yield
        return
    folder = request.getfixturevalue("private_tmp")
    yield
    assert_no_soffice(str(folder))


@pytest.fixture
def regen_goldens(request):
    return request.config.getoption("--regen-goldens")


@pytest.fixture
def today():
    """Today's date, taken as the test starts, never at import: a suite run may cross midnight.

    A test starting in the last MIDNIGHT_MARGIN seconds of a day first waits
    for the next one, so vanthu's clock and the test's agree to its end.
    """
    now = dt.datetime.now()
    left = (dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time()) - now).total_seconds()
    if left < MIDNIGHT_MARGIN:
        time.sleep(left + 1)
    return dt.date.today()


@pytest.fixture
def day(today):
    """``day(-2)``: the date two days before ``today``, written as a clerk types it (6/8/2020)."""
    from vanthu.vndate import short_date
    return lambda offset: short_date(today + dt.timedelta(days=offset))


@pytest.fixture
def data():
    return DATA


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def err_lines(self):
        return [l for l in self.err.splitlines() if l.strip()]


def run_cli(*args):
    """Run ``vanthu ARGS`` in this process; the exit code and what it printed."""
    from vanthu.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # --help and --version end through click's own exit
            code = e.code
    return Result(code, out.getvalue(), err.getvalue())


def render_all(source, names, out):
    """``vanthu render`` each ``source/NAME.yaml`` to ``out/NAME.docx``; the paths by name."""
    for name in names:
        result = run_cli("render", Path(source) / f"{name}.yaml", "-o", Path(out) / f"{name}.docx")
        assert result.code == 0, result.err
    return {name: Path(out) / f"{name}.docx" for name in names}


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """``vanthu`` run in a fresh working folder (its own archive home)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VANTHU_HOME", str(tmp_path / "home"))
    return run_cli


@pytest.fixture
def seed_copy(tmp_path):
    """The seed records copied into the test's folder."""
    for name in ("4482-SYT-VP.yaml", "dang-ky-tai-khoan-bluezone.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path
