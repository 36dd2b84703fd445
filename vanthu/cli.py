"""The ``vanthu`` command: a thin skin over the core functions.

Each command parses its options, calls one core function and prints the
result. Only this module imports click; only :func:`main` prints errors.
"""
import os
import sys

import click

from . import __version__
from .errors import VanthuError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.option("--home", envvar="VANTHU_HOME", default="vanthu-data", show_default=True,
              type=click.Path(file_okay=False), help="Thư mục dữ liệu (sổ, tệp lưu, chỉ mục); biến môi trường VANTHU_HOME.")
@click.option("--traceback", is_flag=True, help="Khi có lỗi nội bộ, in toàn bộ vết lỗi (cho lập trình viên).")
@click.version_option(__version__, "-V", "--version", message="vanthu %(version)s")
@click.pass_context
def cli(ctx, home, traceback):
    """vanthu (văn thư): soạn, cấp số, ban hành, lưu và tìm văn bản hành chính
    theo Nghị định 30/2020/NĐ-CP.

    \b
    Ví dụ:
      vanthu new cong-van -o cv.yaml       # khung bản ghi công văn
      vanthu check cv.yaml                 # kiểm tra bản ghi
      vanthu render cv.yaml -o cv.docx     # bản nháp DOCX (hoặc .pdf)
    """
    ctx.obj = {"home": home}


def _say(message):
    click.echo(message, err=True)


def main(argv=None):
    """Entry point: runs the command, prints user errors once, sets the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=argv, prog_name="vanthu", standalone_mode=False)
    except VanthuError as error:
        for problem in error.problems:
            text = str(problem)
            _say(text if problem.file else f"Lỗi: {text}")
        sys.exit(1)
    except click.exceptions.Abort:
        _say("Đã dừng.")
        sys.exit(130)
    except click.exceptions.ClickException as error:  # usage errors: exit 2
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        _say("Đã dừng (Ctrl-C).")
        sys.exit(130)
    except Exception as error:  # a bug, not the clerk's fault
        if "--traceback" in argv or os.environ.get("VANTHU_TRACEBACK"):
            raise
        _say(f"Lỗi nội bộ: {error.__class__.__name__}: {error}. Chạy lại với --traceback để xem chi tiết.")
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
