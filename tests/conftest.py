import contextlib
import io
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def pytest_addoption(parser):
    parser.addoption("--regen-goldens", action="store_true",
                     help="rewrite tests/golden/*.docx from the current output (review them before committing)")


@pytest.fixture
def regen_goldens(request):
    return request.config.getoption("--regen-goldens")


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
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as e:
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
