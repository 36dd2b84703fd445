"""The ``vanthu`` command: a thin skin over the core functions.

Each command parses its options, calls one core function and prints the
result. Only this module imports click; only :func:`main` prints errors.
"""
import contextlib
import enum
import gettext
import os
import sys
from pathlib import Path

import click

from . import __version__, environment
from .environment import DEFAULT_HOME
from .errors import VanthuError, from_system

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LOCALE = Path(__file__).parent / "locale"  # click's own messages in Vietnamese: a gettext catalogue
DOMAIN = "vanthu"


class ExitStatus(enum.IntEnum):
    """What ``vanthu`` returns to the shell (mã thoát)."""

    OK = 0
    FAILED = 1       # the clerk's input or the archive has a problem (VanthuError), or an internal error
    USAGE = 2        # the command line itself is wrong (click)
    STOPPED = 130    # Ctrl-C, or a prompt abandoned


class WholeNumber(click.types.IntParamType):
    """An integer option, named in Vietnamese in messages ("'x' không phải số nguyên hợp lệ")."""

    name = "số nguyên"


WHOLE_NUMBER = WholeNumber()


def records_argument(command):
    """RECORDS...: one or more YAML record files."""
    return click.argument("records", nargs=-1, required=True, type=click.Path(dir_okay=False))(command)


def output_option(help_text, dir_okay=True):
    return click.option("-o", "--output", type=click.Path(dir_okay=dir_okay), help=help_text)


def year_option(help_text):
    return click.option("--year", type=WHOLE_NUMBER, help=help_text)


@click.group(context_settings=CONTEXT)
@click.option("--home", type=click.Path(file_okay=False),
              help=f"Thư mục dữ liệu (sổ, tệp lưu, chỉ mục); mặc định VANTHU_HOME, nếu không có: {DEFAULT_HOME}.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False),
              help="Thư mục mẫu riêng (NAME.docx + NAME.yaml), dùng trước mẫu có sẵn; mặc định VANTHU_TEMPLATES, "
                   "nếu không có: HOME/templates.")
@click.option("--db", "database", metavar="postgresql://...",
              help="Sổ, nhật ký, người dùng trên máy chủ PostgreSQL này (tệp lưu vẫn ở --home); mặc định VANTHU_DB, "
                   "nếu không có: database: trong settings.yaml, nếu không có: tệp HOME/vanthu.sqlite3.")
@click.option("--traceback", is_flag=True, default=None,
              help="Khi có lỗi nội bộ, in toàn bộ vết lỗi (cho lập trình viên); hoặc VANTHU_TRACEBACK=1.")
@click.version_option(__version__, "-V", "--version", message="vanthu %(version)s", help="Hiện số phiên bản rồi thoát.")
@click.pass_context
def cli(ctx, home, templates_dir, database, traceback):
    """vanthu (văn thư): soạn, cấp số, ban hành, lưu và tìm văn bản hành chính
    theo Nghị định 30/2020/NĐ-CP.

    \b
    Ví dụ:
      vanthu new cong-van -o cv.yaml       # khung bản ghi công văn
      vanthu check cv.yaml                 # kiểm tra bản ghi
      vanthu render cv.yaml -o cv.docx     # bản nháp DOCX (hoặc .pdf)
    """
    if database:  # the archive reads VANTHU_DB; set for this run (and the workers it starts)
        os.environ[environment.VARIABLES["database"]] = database
    ctx.obj = environment.current().given(home=home, templates=templates_dir, traceback=traceback or None)


def _say(message):
    click.echo(message, err=True)


def _warn(message):
    _say(f"Cảnh báo: {message}")


def _outside_home(ctx, path):
    """Every ``-o``: refused if it resolves into the archive home (only the archive writes there)."""
    from .archive.home import refuse_output
    refuse_output(ctx.obj.home, path)
    return path


class _page_progress:
    """A page counter on stderr for long work (OCR of a scan), shown once the work reports a page."""

    def __init__(self, label):
        self.label, self.bar = label, None

    def __enter__(self):
        return self.update

    def update(self, done, total):
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True).__enter__()
        self.bar.length = total
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _library(ctx):
    """The template library: the clerk's folders first, then the built-ins."""
    from .templates import TemplateLibrary
    own = ctx.obj.templates
    if own and not os.path.isdir(own):
        raise VanthuError(f"--templates: không có thư mục {own}")
    return TemplateLibrary([own, os.path.join(ctx.obj.home, "templates")])


# --- drafting: new, templates, check, render --------------------------------

@cli.command()
@click.argument("type_name", metavar="TYPE")
@output_option("Ghi khung vào tệp này (mặc định: in ra màn hình).", dir_okay=False)
@click.pass_context
def new(ctx, type_name, output):
    """Tạo khung bản ghi YAML cho mẫu TYPE, mỗi trường có chú thích tiếng Việt.

    \b
    Ví dụ:
      vanthu new cong-van -o cong-van.yaml
    """
    from .templates.skeleton import write_skeleton
    if output:
        _outside_home(ctx, output)
    text = write_skeleton(_library(ctx).get(type_name), output)
    if output:
        _say(f"Đã ghi khung bản ghi vào {output}.")
    else:
        click.echo(text, nl=False)


class NameOrCommandGroup(click.Group):
    """A group whose first word is a subcommand if it names one, else its NAME argument.

    ``vanthu templates cong-van`` describes a template; ``vanthu templates
    check ...`` runs the subcommand. click's documented way to shape parsing
    is to override :meth:`click.Group.parse_args`.
    """

    def parse_args(self, ctx, args):
        name = args.pop(0) if args and args[0] not in self.commands and not args[0].startswith("-") else None
        rest = super().parse_args(ctx, args)
        ctx.params["name"] = name
        return rest


@cli.group(cls=NameOrCommandGroup, invoke_without_command=True, subcommand_metavar="[NAME | check FILE.docx|NAME...]")
@click.pass_context
def templates(ctx, name):
    """Liệt kê các mẫu (tên, tên tiếng Việt, loại), hoặc các trường của mẫu NAME;
    'check FILE.docx' (hoặc tên mẫu) kiểm tra mẫu: thẻ bị tách, trường thiếu/thừa, lỗi cú pháp, lược đồ.

    \b
    Ví dụ:
      vanthu templates                       # danh sách mẫu
      vanthu templates cong-van              # các trường của mẫu cong-van
      vanthu templates check mau/giay-moi.docx
      vanthu templates check cong-van        # mẫu đang dùng (của văn phòng nếu có)
    """
    if ctx.invoked_subcommand:
        return
    from .templates.listing import describe, table
    library = _library(ctx)
    click.echo(describe(library.get(name)) if name else table(library))


@templates.command("check")
@click.argument("files", nargs=-1, required=True, metavar="FILE.docx|NAME...")
@click.pass_context
def templates_check(ctx, files):
    """Kiểm tra mẫu FILE.docx (hoặc mẫu NAME đang dùng): mọi lỗi, chỗ lỗi, cách sửa; mã thoát 1 nếu có lỗi.

    \b
    Ví dụ:
      vanthu templates check mau/giay-moi.docx
      vanthu templates check cong-van
    """
    from .generator.lint import check_files
    click.echo(check_files(files, _library(ctx)))


@cli.command()
@records_argument
@click.pass_context
def check(ctx, records):
    """Kiểm tra bản ghi: báo mọi lỗi theo dạng tệp:dòng: khóa: lỗi.

    \b
    Ví dụ:
      vanthu check cong-van.yaml bieu-mau.yaml
    """
    from .generator.drafts import check_files
    found = check_files(records, _library(ctx))
    _say(f"{len(found)} bản ghi hợp lệ.")


@cli.command()
@records_argument
@output_option("Tệp .docx (một bản ghi) hoặc thư mục; mặc định: thư mục hiện tại. "
               "Tệp .pdf: mọi bản ghi gộp vào một PDF, mỗi văn bản một dấu trang và một ô ký số.")
@click.option("--pdfa", is_flag=True, help="PDF/A-2b (để lưu trữ lâu dài); cần -o TỆP.pdf.")
@click.option("--data", type=click.Path(dir_okay=False), metavar="BẢNG",
              help="Trộn thư: điền bản ghi mẫu một lần cho mỗi hàng của BẢNG (bảng tính .xlsx/.ods/.xls hoặc .csv UTF-8, "
                   "dòng đầu là tên trường hoặc nhãn tiếng Việt của trường; hoặc .yaml). -o TỆP.pdf: một PDF; "
                   "-o THƯ-MỤC: mỗi hàng một DOCX. Có hàng lỗi thì không ghi gì (trừ khi --partial).")
@click.option("--partial", is_flag=True, help="Trộn thư: vẫn ghi các hàng đúng khi có hàng lỗi (các hàng lỗi được liệt kê).")
@click.option("--each", is_flag=True, help="Mỗi văn bản (mỗi hàng) một tệp PDF riêng trong thư mục -o.")
@click.pass_context
def render(ctx, records, output, pdfa, data, partial, each):
    """Kết xuất bản nháp (chưa cấp số, chưa lưu) từ bản ghi YAML.

    \b
    Ví dụ:
      vanthu render cong-van.yaml -o cong-van.docx
      vanthu render a.yaml b.yaml -o ban-nhap/
      vanthu render a.yaml b.yaml -o tap.pdf            # một PDF để ký
      vanthu render mau.yaml --data cdc.csv -o tap.pdf  # trộn thư
      vanthu render mau.yaml --data ds.xlsx -o tap.pdf  # trộn thư từ Excel
      vanthu render mau.yaml --data ds.xlsx --each -o thu-muc/   # mỗi hàng một PDF
    """
    _outside_home(ctx, output or ".")
    if each or (output and output.lower().endswith(".pdf")):
        return _render_pdf(ctx, records, output, pdfa, data, partial, each)
    if pdfa or partial:
        raise click.UsageError("--pdfa và --partial cần -o TỆP.pdf (hoặc --each)")
    from .generator.drafts import render_docx, render_merged_docx
    notes = []
    written = (render_merged_docx(records, data, output, _library(ctx), notes) if data
               else render_docx(records, output, _library(ctx)))
    for note in notes:
        _say(f"Ghi chú: {note}")
    for path in written:
        _say(f"Đã ghi {path}")


def _render_pdf(ctx, records, output, pdfa, data, partial, each):
    """``render -o OUT.pdf``: one merged PDF; bad records listed, exit 1 if any."""
    from .generator.pdfrender import render_pdf
    if each and (not output or output.lower().endswith(".pdf")):
        raise click.UsageError("--each cần -o THƯ-MỤC (mỗi văn bản một tệp PDF trong đó)")
    with click.progressbar(length=len(records), label="Xuất PDF", file=sys.stderr) as bar:
        def progress(done, total):
            bar.length = total
            bar.update(done - bar.pos)
        report = render_pdf(records, output, library=_library(ctx), data=data, pdfa=pdfa, progress=progress,
                            partial=partial, each=each)
    _pdf_report(report, output, each)


def _pdf_report(report, output, each):
    for note in report.notes:
        _say(f"Ghi chú: {note}")
    if report.written:
        where = f"{len(report.written)} tệp trong {output}" if each else output
        _say(f"Đã ghi {where}: {len(report.titles)} văn bản.")
        from .generator.fonts import summary
        _say(summary())
    if report.withheld:
        _say(f"{len(report.problems)} lỗi; không ghi tệp nào (thêm --partial để vẫn ghi các hàng đúng):")
    elif report.problems:
        _say(f"{len(report.problems)} lỗi, các bản ghi lỗi không có trong PDF:")
    VanthuError.collect(report.problems)


# --- archive: issue, import, show, register, verify -------------------------

@cli.command()
@records_argument
@click.option("--replaces", metavar="SỐ", help="Văn bản này thay thế văn bản số SỐ (Điều 18), ví dụ 12/QĐ-SYT.")
@click.option("--corrects", metavar="SỐ", help="Văn bản này đính chính văn bản số SỐ (Điều 18).")
@click.option("--no-pdf", is_flag=True, help="Chỉ lưu DOCX, không tạo PDF (văn bản giấy; không dùng với dự thảo đã ký số).")
@click.option("--again", is_flag=True, help="Ban hành lại: vẫn cấp số mới dù nội dung trùng văn bản đã ban hành.")
@click.option("--other-year", is_flag=True, help="Cho phép ngày văn bản thuộc năm khác năm nay khi vanthu cấp số "
              "(số lấy trong sổ của năm đó).")
@click.option("--as", "as_name", metavar="TÊN", help="Văn thư thực hiện (khi ban hành dự thảo đã ký số).")
@click.option("--pin-stdin", is_flag=True, help="Đọc mật khẩu / mã PIN khóa của cơ quan từ đầu vào chuẩn.")
@click.option("--paper", is_flag=True, help="Ban hành bản giấy một dự thảo lãnh đạo đã đồng ý (duyệt) và ký tay: "
              "cấp số, lưu DOCX và PDF, không ký số.")
@click.pass_context
def issue(ctx, records, replaces, corrects, no_pdf, again, other_year, as_name, pin_stdin, paper):
    """Ban hành: cấp số, đóng ngày, lưu DOCX và PDF vào kho (không sửa được về sau).

    Từ chối trước khi cấp số: nội dung đã ban hành (trừ khi --again), ngày
    tương lai, ngày thuộc năm khác khi vanthu cấp số (trừ khi --other-year).

    RECORDS là tệp bản ghi (văn bản giấy, ký tay), hoặc số ID của một dự thảo
    lãnh đạo đã ký số: khi đó số và ngày được điền vào bản đã ký, rồi ký số của
    cơ quan (dấu) bằng khóa của cơ quan; phụ lục tệp riêng (separate: true) được
    ký số của cơ quan từng tệp. Với --paper: dự thảo lãnh đạo đã đồng ý trên
    đường trình ký và ký tay trên bản giấy. Chỉ văn thư ban hành dự thảo; dự
    thảo chưa trình ký, chưa được duyệt thì bị từ chối.

    \b
    Ví dụ:
      vanthu issue cong-van.yaml
      vanthu issue dinh-chinh.yaml --corrects 4482/SYT-VP
      vanthu issue 12 --as lan            # dự thảo số 12 đã ký số
      vanthu issue 13 --paper --as lan    # dự thảo số 13 lãnh đạo đã duyệt, ký tay
    """
    from .archive.issuing import issue_files
    from .vndate import short_date
    home = ctx.obj.home
    draft_id = records[0] if len(records) == 1 and records[0].isdigit() and not os.path.exists(records[0]) else None
    if paper and draft_id is None:
        raise VanthuError("--paper chỉ dùng với số của một dự thảo; tệp bản ghi luôn được ban hành như văn bản giấy")
    if draft_id is not None:
        options = {"again": again, "other_year": other_year, "replaces": replaces, "corrects": corrects}
        return _issue_draft(ctx, draft_id, paper, as_name, no_pdf, pin_stdin, options)
    for done in issue_files(records, home, library=_library(ctx), pdf=not no_pdf, replaces=replaces, corrects=corrects,
                            warn=_warn, again=again, other_year=other_year):
        click.echo(f"Đã ban hành số {done.number} ngày {short_date(done.date)}")
        for path in done.paths:
            click.echo(f"  {os.path.join(home, path)}")


def _issue_draft(ctx, draft_id, paper, as_name, no_pdf, pin_stdin, options):
    """``vanthu issue ID``: a signed draft (the organisation signs), or with --paper one approved and signed by hand."""
    if paper:
        return _issue_paper(ctx, draft_id, as_name, no_pdf, options)
    if no_pdf:
        raise VanthuError("--no-pdf không dùng được khi ban hành dự thảo đã ký số: văn bản điện tử là tệp PDF đã ký")
    return _issue_signed(ctx, draft_id, as_name, pin_stdin, options)


def _issue_paper(ctx, draft_id, as_name, no_pdf, options):
    from .vndate import short_date
    from .workflow import signoff
    with _acting(as_name):
        done = signoff.issue_on_paper(draft_id, _actor(as_name), ctx.obj.home, _library(ctx), pdf=not no_pdf,
                                      warn=_warn, **options)
    click.echo(f"Đã ban hành số {done.number} ngày {short_date(done.date)} (bản giấy, lãnh đạo ký tay)")
    for path in done.paths:
        click.echo(f"  {os.path.join(ctx.obj.home, path)}")


def _issue_signed(ctx, draft_id, as_name, pin_stdin, options):
    from .vndate import short_date
    from .workflow import signoff
    from .workflow import drafts
    signoff.refuse_unissuable(drafts.get(draft_id, ctx.obj.home), _actor(as_name), ctx.obj.home)  # before the PIN
    with _acting(as_name):
        done = signoff.issue(draft_id, _actor(as_name), _pin(pin_stdin), ctx.obj.home, _library(ctx), warn=_warn,
                             **options)
    click.echo(f"Đã ban hành số {done.number} ngày {short_date(done.date)} (đã ký số của cơ quan)")
    for path in done.paths:
        click.echo(f"  {os.path.join(ctx.obj.home, path)}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--number", required=True, help="Số, ký hiệu của văn bản đến, ví dụ 4199/BYT-VPB1.")
@click.option("--date", "doc_date", required=True, help="Ngày văn bản: 2020-08-05 hoặc 05/8/2020.")
@click.option("--issuer", required=True, help="Cơ quan ban hành (tác giả), ví dụ \"Bộ Y tế\".")
@click.option("--type", "type_name", default="", help="Tên loại, ví dụ \"Công văn\".")
@click.option("--subject", default="", help="Trích yếu nội dung.")
@click.option("--received", metavar="NGÀY [GIỜ]", help="Ngày (và giờ) đến: 07/8/2020 hoặc \"07/8/2020 08:30\" (mặc định: bây giờ).")
@click.option("--via", default="", metavar="CÁCH", help="Cách nhận: buu-dien, lien-thong, email, truc-tiep, fax, he-thong.")
@click.option("--no-ocr", is_flag=True, help="Không nhận dạng chữ bản quét (lưu ảnh, nhưng không tìm được theo nội dung).")
@click.option("--confidentiality", metavar="ĐỘ MẬT", help="Văn bản mật: mật, tối mật hoặc tuyệt mật. Vào sổ văn bản "
              "mật đến; nội dung không được đọc, không tìm được theo nội dung.")
@click.pass_context
def import_(ctx, file, number, doc_date, issuer, type_name, subject, received, via, no_ocr, confidentiality):
    """Vào sổ văn bản đến: cấp số đến, lưu tệp DOCX/PDF hoặc ảnh quét (PNG, JPEG, TIFF), trích nội dung để tìm kiếm.

    Trang quét không có lớp chữ được nhận dạng chữ tiếng Việt (OCR, Tesseract);
    tệp gốc được lưu nguyên vẹn (PDF đã ký số không bao giờ bị ghi lại), chữ nhận
    dạng và bản PDF tìm được chữ được lưu bên cạnh.

    \b
    Ví dụ:
      vanthu import 4199-BYT.pdf --number 4199/BYT-VPB1 --date 05/8/2020 --issuer "Bộ Y tế" --type "Công văn"
      vanthu import anh-chup.jpg --number 12/UBND-VP --date 3/12/2020 --issuer "UBND huyện Long Thành"
      vanthu import mat.pdf --number 12/CA-PV01 --date 05/8/2020 --issuer "Công an tỉnh" --confidentiality "tối mật"
    """
    from .archive.importing import import_document
    from .vndate import short_date
    home = ctx.obj.home
    with _page_progress("Nhận dạng chữ (OCR)") as progress:
        done = import_document(file, number, doc_date, issuer, home, type_name=type_name, subject=subject,
                               received=received, warn=_warn, progress=progress, use_ocr=not no_ocr, via=via,
                               confidentiality=confidentiality)
    book = "sổ mật đến" if confidentiality else "sổ đến"
    click.echo(f"Đã vào {book} số {done.arrival_number}: văn bản {done.number} ngày {short_date(done.date)}")
    for path in done.paths:
        click.echo(f"  {os.path.join(home, path)}")
    _signature_lines(home, done.paths)


def _signature_lines(home, paths):
    """Each signature of a stored PDF (signer, issuer, time, intact, trusted), as ``vanthu signatures`` says it."""
    from .archive.home import Home
    from .signing.inspect import file_lines
    root = Home.locate(home).root
    for path in paths:
        for line in file_lines(root, root / path):
            click.echo(line)


WHO_OPTION = click.option("--as", "as_name", metavar="TÊN", help="Người xem, tải, in (ghi vào nhật ký sử dụng); "
                          "mặc định VANTHU_USER, nếu không có: người dùng hệ điều hành.")


@cli.command()
@click.argument("number")
@year_option("Năm của văn bản (khi số trùng giữa các năm).")
@output_option("Chép tệp ra: tệp .docx/.pdf, hoặc thư mục để chép tất cả.")
@click.option("--secret/--not-secret", default=None, help="Chỉ văn bản mật / chỉ văn bản thường (khi một số có cả hai: "
              "văn bản mật có sổ số riêng).")
@click.option("--history", "with_history", is_flag=True, help="Cả lịch sử: ban hành, ai xem, tải, in, thu hồi, lúc nào.")
@WHO_OPTION
@click.pass_context
def show(ctx, number, year, output, secret, with_history, as_name):
    """Xem một văn bản trong kho (thông tin, liên kết, tệp), hoặc chép tệp của nó ra.

    Mỗi lần xem (và mỗi lần chép tệp ra: tải về) được ghi vào nhật ký với tên người.

    \b
    Ví dụ:
      vanthu show 4482/SYT-VP --year 2020
      vanthu show 4482/SYT-VP --history     # ai đã xem, tải, in văn bản, lúc nào
      vanthu show 4482/SYT-VP -o ban-sao.pdf
      vanthu show 01/SYT-VP --secret        # văn bản mật số 01, không phải văn bản thường số 01
    """
    from .archive import lookup
    with _acting(as_name):
        if output:
            for path in lookup.copy_files(number, ctx.obj.home, year, output, secret):
                click.echo(f"Đã chép {path}")
        else:
            click.echo(lookup.show(number, ctx.obj.home, year, secret, with_history))


@cli.command()
@click.option("--by", type=click.Choice(["document", "person", "month"]), default="document", show_default=True,
              help="Theo văn bản, theo người, hay theo tháng.")
@year_option("Chỉ lượt sử dụng trong năm này.")
@click.pass_context
def stats(ctx, by, year):
    """Thống kê: số văn bản trong kho, số lượt xem, tải về, in theo văn bản, người hoặc tháng.

    \b
    Ví dụ:
      vanthu stats
      vanthu stats --by person --year 2026
      vanthu stats --by month
    """
    from .archive.access import report
    click.echo(report(ctx.obj.home, by, year))


@cli.command()
@click.argument("number", metavar="SỐ")
@click.option("--kind", required=True, metavar="HÌNH-THỨC", help="sao-y, sao-luc (từ một bản sao y) hoặc trich-sao.")
@click.option("--pages", metavar="TRANG", help="Trích sao: các trang được sao, ví dụ 2, 1-3 hoặc 1,3-4.")
@click.option("--signer", metavar="HỌ-TÊN", help="Người ký bản sao (mặc định: defaults.signer trong settings.yaml).")
@click.option("--title", metavar="CHỨC-VỤ", help="Chức vụ người ký, ví dụ \"CHÁNH VĂN PHÒNG\".")
@click.option("--authority", multiple=True, metavar="QUYỀN-HẠN", help="Dòng quyền hạn trên chức vụ, ví dụ \"TL. GIÁM ĐỐC\".")
@click.option("--place", metavar="ĐỊA-DANH", help="Địa danh của ngày sao (mặc định: defaults.place).")
@click.option("--cc", multiple=True, metavar="NƠI-NHẬN", help="Một dòng Nơi nhận (nhiều lần được); mặc định \"Lưu: VT\".")
@year_option("Năm của văn bản được sao (khi số trùng giữa các năm).")
@click.option("--secret", is_flag=True, help="Sao văn bản mật (Điều 27.2: người có thẩm quyền cho sao); bản sao vào sổ bản sao mật.")
@click.option("--sign", is_flag=True, help="Ký số bản điện tử bằng khóa của cơ quan sao (vanthu key add --org MÃ).")
@click.option("--pin-stdin", is_flag=True, help="Đọc mật khẩu tệp khóa / mã PIN từ đầu vào chuẩn thay vì hỏi.")
@output_option("Chép thêm bản sao giấy (PDF) ra tệp này.", dir_okay=False)
@WHO_OPTION
@click.pass_context
def copy(ctx, number, kind, pages, signer, title, authority, place, cc, year, secret, sign, pin_stdin, output, as_name):
    """Sao văn bản số SỐ trong kho (Điều 25): bản sao y, sao lục hoặc trích sao, có số riêng trong sổ bản sao.

    Bản sao giấy (mẫu 3.1): các trang của bản gốc, rồi khối "SAO Y" dưới một
    đường kẻ hết chiều ngang (cơ quan sao, số bản sao, địa danh và ngày, Nơi nhận,
    người ký). Bản điện tử (mẫu 3.2): dòng thông tin ở góc trên bên phải trang
    đầu (--sign: chữ ký số của cơ quan sao, không hiện hình). Bản sao được lưu, vào sổ bản sao (vanthu register --copies) và tìm được
    như mọi văn bản; số của sổ văn bản đi không bị dùng.

    \b
    Ví dụ:
      vanthu copy 4482/SYT-VP --kind sao-y --signer "Trần Văn B" --title "CHÁNH VĂN PHÒNG" --authority "TL. GIÁM ĐỐC"
      vanthu copy 12/QĐ-UBND --kind trich-sao --pages 1-2
      vanthu copy 05/SY-SYT --kind sao-luc
    """
    from .archive.copying import make_copy
    from .vndate import short_date
    home = ctx.obj.home
    if output:
        _outside_home(ctx, output)
    with _acting(as_name):  # the log names who copied
        done = make_copy(number, kind, home, pages=pages, signer=signer, title=title, authority=authority,
                         place=place, cc=cc, year=year, secret=True if secret else None, allow_secret=secret, warn=_warn,
                         sign=sign, pin=_pin(pin_stdin) if sign else None)
        click.echo(f"Đã sao số {done.number} ngày {short_date(done.date)} (bản sao của văn bản {number})")
        for path in done.paths:
            click.echo(f"  {os.path.join(home, path)}")
        if output:
            from .archive import lookup
            for path in lookup.copy_files(str(done.number), home, done.date.year, output):
                click.echo(f"Đã chép {path}")


@cli.command()
@year_option("Năm của sổ (mặc định: năm gần nhất có văn bản).")
@click.option("--direction", type=click.Choice(["out", "in"]), default="out", show_default=True,
              help="out: sổ văn bản đi; in: sổ văn bản đến.")
@output_option("Ghi sổ ra tệp .docx hoặc .pdf để in, đóng quyển; hoặc .xlsx để mở bằng Excel.", dir_okay=False)
@click.option("--issuer", metavar="MÃ", help="Sổ văn bản đi của cơ quan có mã MÃ (ví dụ SYT), khi kho có nhiều cơ quan.")
@click.option("--secret", is_flag=True, help="Sổ văn bản mật (đi hoặc đến): văn bản mật chỉ có trong sổ này.")
@click.option("--copies", is_flag=True, help="Sổ bản sao (sao y, sao lục, trích sao: dãy số riêng của bản sao).")
@WHO_OPTION
@click.pass_context
def register(ctx, year, direction, output, issuer, secret, copies, as_name):
    """Sổ đăng ký văn bản đi/đến theo mẫu Phụ lục IV: bảng trên màn hình hoặc tệp để in.

    \b
    Ví dụ:
      vanthu register --year 2020
      vanthu register --year 2020 --direction in -o so-den-2020.pdf
      vanthu register --year 2020 -o so-di-2020.xlsx
      vanthu register --year 2020 --secret -o so-mat-di-2020.pdf
      vanthu register --copies              # sổ bản sao
    """
    from .archive import register as book
    if output:
        with _acting(as_name):  # the printout names who printed it, and the log says so
            click.echo(f"Đã ghi {book.save(output, ctx.obj.home, year, direction, issuer, secret, copies)}")
    else:
        click.echo(book.screen(ctx.obj.home, year, direction, issuer, secret, copies))


@cli.command("import-register")
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option("--direction", type=click.Choice(["out", "in"]), required=True, help="out: sổ đi; in: sổ đến.")
@click.option("--issuer", default="", metavar="CƠ-QUAN", help="Sổ đi: tên cơ quan ban hành, ví dụ \"Sở Y tế\".")
@click.option("--partial", is_flag=True, help="Vẫn nhập các hàng đúng khi có hàng lỗi (các hàng lỗi được liệt kê).")
@click.pass_context
def import_register(ctx, sheet, direction, issuer, partial):
    """Nhập sổ đăng ký cũ từ Excel (.xlsx, .ods): mỗi hàng một văn bản, kiểm tra hết trước khi nhập.

    Tiêu đề cột theo Phụ lục IV (như tệp vanthu register -o so.xlsx); dòng bìa
    phía trên và dòng (1) … (10) được bỏ qua. Có hàng lỗi thì không nhập gì và
    liệt kê từng hàng (trừ khi --partial). Số đi, số đến của năm tiếp nối sau sổ cũ.

    \b
    Ví dụ:
      vanthu import-register so-den-2020.xlsx --direction in
      vanthu import-register so-di-2020.xlsx --direction out --issuer "Sở Y tế"
    """
    from .archive.oldregister import import_register as take_in
    report = take_in(sheet, direction, ctx.obj.home, issuer=issuer, partial=partial, warn=_warn)
    if report.ignored:
        _say(f"Ghi chú: không nhập các cột {', '.join(report.ignored)}")
    click.echo(f"Đã nhập {len(report.imported)} văn bản từ sổ cũ.")
    if report.problems:
        _say(f"{len(report.problems)} hàng lỗi không được nhập:")
    VanthuError.collect(report.problems)


@cli.command()
@click.argument("package", required=False, metavar="[GÓI]", type=click.Path(file_okay=False))
@click.pass_context
def verify(ctx, package):
    """Kiểm tra kho: băm lại mọi tệp, tìm tệp thiếu, bị sửa, tệp lạ, và nhật ký bị sửa/xóa.

    Với GÓI (thư mục gói nộp lưu của 'vanthu dossier export'): kiểm tra gói BagIt
    (mã băm SHA-256 mọi tệp), dữ liệu đặc tả XML và các mục lục trong gói.
    Thoát với mã 1 nếu có vấn đề.
    """
    if package:
        from .archive.transfer import verify_package
        found = verify_package(package, ctx.obj.home)
        if not found.ok:
            raise VanthuError(*found.problems, found.summary())
        click.echo(found.summary())
        return
    from .archive.verify import verify as verify_archive
    report = verify_archive(ctx.obj.home)
    if not report.ok:
        raise VanthuError(*report.problems, report.summary())
    click.echo(report.summary())


@cli.command("recover-head")
@click.pass_context
def recover_head(ctx):
    """Lập lại log-head.json (mục nhật ký cuối) khi tệp này hỏng, hoặc ghi mục mới hơn cơ sở dữ liệu.

    Chỉ chạy sau khi người phụ trách đã xem 'vanthu verify' và khôi phục đúng
    bản sao lưu: lệnh chấp nhận nhật ký trong cơ sở dữ liệu là đúng. Nội dung
    cũ của log-head.json được ghi vào nhật ký, không mất dấu vết.
    """
    from .archive.verify import recover_head as recover
    click.echo(recover(ctx.obj.home))


# --- the register on a server (issue 15) -------------------------------------------

@cli.group("db", context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def database_group(ctx):
    """Nơi giữ sổ, nhật ký, người dùng: tệp SQLite trong kho (mặc định) hay máy chủ PostgreSQL.

    Không có lệnh con: in nơi kho đang dùng.

    \b
    Ví dụ:
      vanthu db                                           # kho đang dùng đâu
      vanthu db move postgresql://vanthu@may-chu/so_syt   # chuyển sổ lên máy chủ
    """
    if ctx.invoked_subcommand is None:
        from .archive.moving import where
        click.echo(where(ctx.obj.home))


@database_group.command("move")
@click.argument("url", metavar="postgresql://...")
@click.pass_context
def database_move(ctx, url):
    """Chuyển sổ của kho (SQLite) lên cơ sở dữ liệu PostgreSQL trống ở URL, và chứng minh.

    Kiểm tra kho trước (vanthu verify), chép mọi dòng trong một giao dịch
    (không ai cấp số được trong lúc chép), so số dòng từng bảng và mục nhật ký
    cuối hai bên, kiểm tra lại trên máy chủ; xong mới ghi database: vào
    settings.yaml và giữ tệp cũ thành vanthu.sqlite3.da-chuyen. Tệp lưu trữ ở
    nguyên chỗ. Hãy dừng ứng dụng web và các văn thư khác trong lúc chuyển.

    \b
    Ví dụ:
      createdb -h may-chu -U vanthu so_syt
      vanthu --home /srv/vanthu-syt db move postgresql://vanthu@may-chu/so_syt
    """
    from .archive.moving import move
    move(url, ctx.obj.home, say=click.echo)
    click.echo("Đã chuyển: kho giờ dùng máy chủ PostgreSQL (settings.yaml, dòng database:).")


# --- backup and restore (Phụ lục VI III.5.g) ------------------------------------

@cli.command()
@click.argument("folder", metavar="THƯ-MỤC", type=click.Path(file_okay=False))
@click.option("--index", "with_index", is_flag=True, help="Chép cả chỉ mục tìm kiếm (không có thì phục hồi xong sẽ dựng lại).")
@click.pass_context
def backup(ctx, folder, with_index):
    """Sao lưu kho vào THƯ-MỤC mới (hoặc trống), trong khi văn thư vẫn cấp số được.

    Bản chụp nhất quán của sổ (SQLite online backup), các tệp lưu trữ của bản
    chụp đó, mục nhật ký cuối, thiết lập và khóa; bản kê vanthu-backup.json ghi
    mã băm SHA-256 từng tệp, số văn bản, mục nhật ký cuối. Bị ngắt giữa chừng
    thì không có THƯ-MỤC nào (chỉ một thư mục ẩn, lần sau tự dọn).

    \b
    Ví dụ:
      vanthu backup /mnt/usb/vanthu-2020-12-01
      vanthu backup /mnt/usb/vanthu-2020-12-01 --index
    """
    from .archive.backup import backup as make_backup
    with _page_progress("Sao lưu tệp") as progress:
        done = make_backup(folder, ctx.obj.home, with_index, progress if sys.stderr.isatty() else None)
    click.echo(done.line("Đã sao lưu vào"))


@cli.command()
@click.argument("folder", metavar="THƯ-MỤC", type=click.Path(file_okay=False))
@click.pass_context
def restore(ctx, folder):
    """Phục hồi kho từ bản sao lưu THƯ-MỤC vào kho trống (--home THƯ-MỤC-MỚI).

    Mọi tệp được băm lại theo bản kê; thiếu tệp, tệp bị sửa, tệp lạ, bản kê bị
    sửa hay cơ sở dữ liệu không khớp thì không phục hồi gì. Bản phục hồi được
    kiểm tra như 'vanthu verify' trước khi đặt vào chỗ; chỉ mục tìm kiếm được
    dựng lại nếu bản sao lưu không có.

    \b
    Ví dụ:
      vanthu --home /srv/vanthu-moi restore /mnt/usb/vanthu-2020-12-01
    """
    from .archive.backup import restore as take_back
    with _page_progress("Phục hồi tệp") as progress:
        done = take_back(folder, ctx.obj.home, progress if sys.stderr.isatty() else None)
    click.echo(done.line(f"Đã phục hồi từ {folder} vào"))


# --- hồ sơ (Chương IV; Phụ lục V, VI): dossier plan/approve/open/add/remove/close/list/print/export ----------

@cli.group(context_settings=CONTEXT)
def dossier():
    """Hồ sơ: Danh mục hồ sơ của năm, mở hồ sơ, đưa văn bản vào, kết thúc, in Mục lục, nộp lưu (Điều 28-31).

    \b
    Ví dụ:
      vanthu dossier plan danh-muc-2021.yaml          # Danh mục hồ sơ (dự thảo)
      vanthu dossier approve 2021 --by "Giám đốc Nguyễn Văn A"
      vanthu dossier open 01.TCCB --year 2021         # hồ sơ theo Danh mục
      vanthu dossier open 15.VP --title "Hồ sơ phòng chống dịch" --retention vinh-vien
      vanthu dossier add 01.TCCB 4482/SYT-VP 12/QĐ-SYT
      vanthu dossier close 01.TCCB                    # rà soát: bỏ bản nháp, bản trùng; xác nhận thời hạn
      vanthu dossier print 2021 -o danh-muc-2021.pdf  # hoặc: print 01.TCCB -o muc-luc.docx
      vanthu dossier list --due                       # hồ sơ đến hạn nộp lưu (30 ngày tới)
      vanthu dossier export 01.TCCB -o /mnt/nop-luu/2021-01.TCCB
    """


_DOSSIER_YEAR = year_option("Năm của hồ sơ (khi một mã có ở nhiều năm; mặc định: năm nay khi mở).")


@dossier.command("plan")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--copy-from", "copy_from", type=WHOLE_NUMBER, metavar="NĂM",
              help="Chép Danh mục của NĂM ra tệp YAML -o cho năm sau (--year), để sửa rồi nạp.")
@_DOSSIER_YEAR
@output_option("Tệp YAML ghi Danh mục chép (với --copy-from).", dir_okay=False)
@click.pass_context
def dossier_plan(ctx, file, copy_from, year, output):
    """Nạp Danh mục hồ sơ của năm từ tệp YAML (dự thảo, thay được đến khi duyệt); hoặc chép Danh mục năm trước.

    \b
    Ví dụ:
      vanthu dossier plan --copy-from 2020 -o danh-muc-2021.yaml
      vanthu dossier plan danh-muc-2021.yaml
    """
    from .archive import dossierplan
    if copy_from:
        if not output:
            raise VanthuError("--copy-from cần -o TỆP.yaml (tệp Danh mục mới để sửa)")
        path = dossierplan.copy_plan(copy_from, year, _outside_home(ctx, output), ctx.obj.home)
        click.echo(f"Đã chép Danh mục hồ sơ năm {copy_from} vào {path}: sửa rồi nạp bằng 'vanthu dossier plan {path}'")
        return
    if not file:
        raise VanthuError("cần tệp Danh mục hồ sơ (YAML), hoặc --copy-from NĂM -o TỆP.yaml")
    plan = dossierplan.load_plan(file, ctx.obj.home)
    total, permanent, limited = plan.counts()
    click.echo(f"Đã nạp Danh mục hồ sơ năm {plan.year} (dự thảo): {len(plan.headings)} đề mục, {total} hồ sơ "
               f"({permanent} vĩnh viễn, {limited} có thời hạn). Duyệt: 'vanthu dossier approve {plan.year} --by …'")


@dossier.command("approve")
@click.argument("year", type=WHOLE_NUMBER, metavar="NĂM")
@click.option("--by", required=True, metavar="HỌ-TÊN", help="Người đứng đầu cơ quan phê duyệt.")
@click.option("--decision", metavar="QUYẾT-ĐỊNH", help="Quyết định ban hành, ví dụ \"Quyết định số 05/QĐ-SYT ngày 04/01/2021 của Giám đốc Sở Y tế\".")
@click.pass_context
def dossier_approve(ctx, year, by, decision):
    """Duyệt Danh mục hồ sơ năm NĂM (Điều 28); sau đó mới mở hồ sơ theo Danh mục, và Danh mục không thay được."""
    from .archive.dossierplan import approve
    plan = approve(year, by, ctx.obj.home, decision)
    click.echo(f"Đã duyệt Danh mục hồ sơ năm {plan.year} ({plan.approved_by}, ngày {plan.approved_at}).")


@dossier.command("open")
@click.argument("code", metavar="MÃ")
@click.option("--title", help="Tiêu đề hồ sơ (bắt buộc với hồ sơ ngoài Danh mục).")
@click.option("--retention", metavar="vinh-vien|N", help="Thời hạn bảo quản: vinh-vien hoặc số năm.")
@_DOSSIER_YEAR
@click.option("--keeper", metavar="HỌ-TÊN", help="Người lập hồ sơ (mặc định: theo Danh mục, hoặc người chạy lệnh).")
@click.option("--rights", metavar="CHẾ-ĐỘ", help="Chế độ sử dụng (mặc định: Công khai).")
@click.pass_context
def dossier_open(ctx, code, title, retention, year, keeper, rights):
    """Mở hồ sơ MÃ (ví dụ 01.TCCB) theo Danh mục đã duyệt, hoặc ngoài Danh mục với --title, --retention (Điều 29.2)."""
    from .archive.dossiers import open_dossier
    found = open_dossier(code, ctx.obj.home, title=title, retention=retention, year=year, keeper=keeper, rights=rights)
    where = "theo Danh mục" if found.in_plan else "ngoài Danh mục"
    click.echo(f"Đã mở hồ sơ {found.code} năm {found.year} ({where}): {found.title} [{found.retention.printed}; "
               f"{found.keeper}]")


@dossier.command("add")
@click.argument("code", metavar="MÃ")
@click.argument("numbers", nargs=-1, metavar="SỐ...")
@click.option("--draft", "drafts", multiple=True, metavar="ID", help="Dự thảo (mã dự thảo) đưa vào hồ sơ; nhiều lần được.")
@_DOSSIER_YEAR
@click.option("--doc-year", type=WHOLE_NUMBER, metavar="NĂM", help="Năm của văn bản, khi số trùng giữa các năm.")
@click.pass_context
def dossier_add(ctx, code, numbers, drafts, year, doc_year):
    """Đưa văn bản (đi, đến; theo số) và dự thảo vào hồ sơ MÃ; số thứ tự tự động theo ngày văn bản.

    Một văn bản có thể ở nhiều hồ sơ mà không nhân bản (Phụ lục VI III.4.e).
    """
    from .archive.dossiers import add
    found = add(code, numbers, ctx.obj.home, year=year, drafts=drafts, doc_year=doc_year)
    click.echo(f"Hồ sơ {found.code} năm {found.year}: {len(found.items)} văn bản, tài liệu")
    for item in found.items:
        click.echo(f"  {item.ordinal:02d}. " + (f"{item.entry.document.number} ngày {item.entry.document.date.short}: "
                                                f"{item.entry.document.subject}" if item.entry else
                                                f"dự thảo {item.draft_id}: {item.draft_subject}"))


@dossier.command("remove")
@click.argument("code", metavar="MÃ")
@click.argument("numbers", nargs=-1, required=True, metavar="SỐ...")
@_DOSSIER_YEAR
@click.option("--doc-year", type=WHOLE_NUMBER, metavar="NĂM", help="Năm của văn bản, khi số trùng giữa các năm.")
@click.pass_context
def dossier_remove(ctx, code, numbers, year, doc_year):
    """Bỏ văn bản khỏi hồ sơ MÃ đang lập (văn bản vẫn còn trong sổ)."""
    from .archive.dossiers import remove
    found = remove(code, numbers, ctx.obj.home, year=year, doc_year=doc_year)
    click.echo(f"Hồ sơ {found.code} năm {found.year}: còn {len(found.items)} văn bản, tài liệu")


@dossier.command("close")
@click.argument("code", metavar="MÃ")
@click.option("--retention", metavar="vinh-vien|N", help="Xác định lại thời hạn bảo quản (không có: giữ và xác nhận).")
@click.option("--title", help="Chỉnh tiêu đề hồ sơ cho phù hợp.")
@_DOSSIER_YEAR
@click.option("--on", "on", metavar="NGÀY", help="Ngày kết thúc (mặc định: hôm nay).")
@click.pass_context
def dossier_close(ctx, code, retention, title, year, on):
    """Kết thúc hồ sơ MÃ (Điều 29.4): rà soát, loại bản nháp và bản trùng, xác nhận thời hạn bảo quản."""
    from .archive.dossiers import close, parse_today
    click.echo(close(code, ctx.obj.home, year=year, retention=retention, title=title, today=parse_today(on)).text())


@dossier.command("list")
@click.option("--due", is_flag=True, help="Chỉ hồ sơ đến hạn nộp lưu trong 30 ngày tới (Phụ lục VI III.5.b).")
@click.option("--year", type=WHOLE_NUMBER, help="Chỉ hồ sơ của năm này.")
@click.option("--on", "on", metavar="NGÀY", help="Tính hạn từ ngày này thay cho hôm nay.")
@click.pass_context
def dossier_list(ctx, due, year, on):
    """Các hồ sơ: mã, năm, tiêu đề, thời hạn, người lập, số văn bản, tình trạng (và hạn nộp lưu)."""
    from .archive import dossiers
    today = dossiers.parse_today(on)
    found = dossiers.listing(ctx.obj.home, year=year, due=due, today=today)
    click.echo(dossiers.due_text(found, today) if due else dossiers.list_text(found))


@dossier.command("print")
@click.argument("target", metavar="NĂM|MÃ")
@output_option("Tệp .docx hoặc .pdf.", dir_okay=False)
@_DOSSIER_YEAR
@click.pass_context
def dossier_print(ctx, target, output, year):
    """In Danh mục hồ sơ của NĂM, hoặc Mục lục văn bản của hồ sơ MÃ, theo mẫu Phụ lục V.

    \b
    Ví dụ:
      vanthu dossier print 2021 -o danh-muc-2021.pdf
      vanthu dossier print 01.TCCB --year 2021 -o muc-luc-01.TCCB.docx
    """
    from .archive.dossierprint import save
    if not output:
        raise VanthuError("cần -o TỆP.docx hoặc -o TỆP.pdf")
    path, what = save(target, output, ctx.obj.home, year)
    click.echo(f"Đã ghi {what} vào {path}")


@dossier.command("export")
@click.argument("codes", nargs=-1, required=True, metavar="MÃ...")
@output_option("Thư mục mới (hoặc trống) cho gói nộp lưu.", dir_okay=True)
@_DOSSIER_YEAR
@click.option("--unit", default="", metavar="ĐƠN-VỊ", help="Đơn vị giao nộp (mặc định: cơ quan trong Danh mục).")
@click.option("--giver", default="", metavar="HỌ-TÊN", help="Bên giao: họ tên (mặc định: người lập hồ sơ).")
@click.option("--giver-title", default="", metavar="CHỨC-VỤ", help="Bên giao: chức vụ công tác.")
@click.option("--receiver", default="", metavar="HỌ-TÊN", help="Bên nhận (Lưu trữ cơ quan): họ tên.")
@click.option("--receiver-title", default="", metavar="CHỨC-VỤ", help="Bên nhận: chức vụ công tác.")
@click.pass_context
def dossier_export(ctx, codes, output, year, unit, giver, giver_title, receiver, receiver_title):
    """Nộp lưu các hồ sơ đã kết thúc: gói BagIt (PDF từng văn bản theo thứ tự, XML dữ liệu đặc tả Phụ lục VI,
    Mục lục văn bản, Mục lục hồ sơ nộp lưu, Biên bản giao nhận; SHA-256), rồi đóng băng các hồ sơ (Điều 30).

    \b
    Ví dụ:
      vanthu dossier export 01.VP 01.NV --year 2021 -o /mnt/nop-luu/2021 --receiver "Phạm Thị Hoa"
      vanthu verify /mnt/nop-luu/2021      # kiểm tra gói
    """
    from .archive.transfer import People, export
    if not output:
        raise VanthuError("cần -o THƯ-MỤC cho gói nộp lưu")
    people = People(unit, giver, giver_title, receiver, receiver_title)
    click.echo(export(codes, output, ctx.obj.home, year=year, people=people).line())


# --- search: search, reindex -------------------------------------------------

@cli.command()
@click.argument("query", nargs=-1)
@click.option("--from", "date_from", metavar="NGÀY", help="Từ ngày (tính cả ngày đó): 2020-08-05, 05/8/2020, 8/2020 hoặc 2020.")
@click.option("--to", "date_to", metavar="NGÀY", help="Đến ngày (tính cả ngày đó), cùng cách viết như --from.")
@click.option("--type", "type_name", metavar="LOẠI", help="Tên loại văn bản, ví dụ \"Công văn\" hoặc cong-van.")
@click.option("--issuer", metavar="CƠ QUAN", help="Cơ quan ban hành: viết tắt (SYT, BYT, PGDĐT, UBND) hoặc tên (\"Sở Y tế\").")
@click.option("--limit", type=WHOLE_NUMBER, default=20, show_default=True, help="Số kết quả tối đa.")
@click.option("--json", "as_json", is_flag=True, help="In mỗi kết quả thành một dòng JSON (cho chương trình khác đọc).")
@click.option("--columns", metavar="CỘT,CỘT", help="Các cột hiển thị: so, ngay, loai, trichyeu, coquan, huong, "
              "tinhtrang, domat, doan (hoặc number, date, type, subject, issuer, direction, status, confidentiality, snippet).")
@click.option("--save", "save_as", metavar="TÊN", help="Lưu yêu cầu tìm kiếm này (từ khóa, bộ lọc, cột) với tên TÊN.")
@click.option("--saved", "saved_name", metavar="TÊN", help="Dùng lại yêu cầu tìm kiếm đã lưu tên TÊN.")
@click.option("--list-saved", is_flag=True, help="Liệt kê các yêu cầu tìm kiếm bạn đã lưu.")
@output_option("Kết xuất kết quả ra tệp .docx hoặc .pdf (có dòng ghi người in, thời gian in).", dir_okay=False)
@WHO_OPTION
@click.pass_context
def search(ctx, query, date_from, date_to, type_name, issuer, limit, as_json, columns, save_as, saved_name, list_saved,
           output, as_name):
    """Tìm văn bản trong kho: theo từ, cụm từ, số ký hiệu, ngày, loại, cơ quan.

    Gõ có dấu hay không dấu đều được (truy vet tìm ra "truy vết", d tìm ra
    đ); từ gõ đúng dấu được xếp trước. Các từ gõ liền nhau là một cụm từ;
    nếu không văn bản nào có cụm đó, tìm văn bản có đủ các từ. Văn bản có
    các từ trong trích yếu, đúng loại (giấy mời họp) hay đúng cơ quan (SYT,
    sở y tế) được xếp trước. Số ký hiệu gõ cách nào cũng được (166/QĐ-PGDĐT,
    166 PGDĐT, QD 166, 4482 SYT, 166/2020) tìm đúng văn bản đó. Từ không có
    trong kho được gợi ý sửa ("Có phải bạn muốn tìm: ...").
    Nội dung văn bản mật không được lập chỉ mục: chỉ tìm theo thông tin chung.

    \b
    Cú pháp:
      truy vết                 cụm từ (có dấu hay không dấu)
      "đơn vị trực thuộc"      cụm từ trong ngoặc kép
      bluezone OR "cờ vua"     một trong hai
      bluezone NOT covid       có bluezone, không có covid (hoặc: -covid)
      TRƯỜNG:giá trị           tìm trong một trường: subject (trichyeu), issuer
                               (coquan), signer (nguoiky), recipients (noinhan),
                               type (loai), number (so), date (ngay), year (nam),
                               direction (huong: di/den), confidentiality (domat)

    \b
    Ví dụ:
      vanthu search truy vet
      vanthu search 4482 /syt-vp
      vanthu search bluezone --from 8/2020 --to 2020-09-30 --type "Công văn"
      vanthu search 'coquan:"sở y tế" ngay:2020 NOT covid'
      vanthu search --issuer SYT --from 2020 --json
      vanthu search bluezone --columns so,ngay,trichyeu --save bluezone    # lưu để dùng lại
      vanthu search --saved bluezone -o ket-qua.pdf                        # kết xuất .pdf hoặc .docx
    """
    from .archive import searches
    from .archive.finding import search as run_search
    from .search.query import Filters
    with _acting(as_name):
        owner = searches.acting()
        if list_saved:
            kept = searches.saved_of(owner, ctx.obj.home)
            click.echo("\n".join(searches.describe_saved(k) for k in kept) or f"{owner} chưa lưu tìm kiếm nào.")
            return
        text, given = " ".join(query), dict(date_from=date_from, date_to=date_to, type=type_name, issuer=issuer)
        if saved_name:
            kept = searches.load(owner, saved_name, ctx.obj.home)
            text, given = text or kept.query, {**kept.filters, **{k: v for k, v in given.items() if v}}
            columns = columns or ",".join(kept.columns) or None
        chosen = searches.columns(columns) if columns or output else None
        filters = Filters(**given)
        outcome = run_search(ctx.obj.home, text, filters=filters, limit=limit)
        if save_as:
            searches.save(searches.SavedSearch(owner, save_as, text, searches.filters_dict(filters),
                                               [c.key for c in chosen] if columns else []), ctx.obj.home)
            _say(f"Đã lưu tìm kiếm «{save_as.strip()}»; dùng lại: vanthu search --saved '{save_as.strip()}'")
        if output:
            _outside_home(ctx, output)
            done = searches.export(output, outcome, chosen, text, ctx.obj.home)
            click.echo(f"Đã ghi {len(outcome.results)} kết quả vào {done}")
            return
    for warning in outcome.warnings:
        _warn(warning)
    if chosen and not as_json:
        click.echo("\n".join("\t".join(row) for row in [[c.heading for c in chosen]] +
                             searches.table(outcome.results, chosen)))
        return
    if as_json:
        if outcome.suggestion:
            click.echo(outcome.did_you_mean, err=True)
        for line in outcome.json_lines():
            click.echo(line)
        return
    bold = (lambda word: click.style(word, bold=True)) if sys.stdout.isatty() else None
    click.echo("\n".join(outcome.lines(bold)))


@cli.command()
@click.pass_context
def reindex(ctx):
    """Dựng lại chỉ mục tìm kiếm từ kho lưu trữ (kho là gốc; chỉ mục luôn dựng lại được).

    \b
    Ví dụ:
      vanthu reindex
    """
    from .archive.finding import reindex as run_reindex
    show = sys.stderr.isatty()
    summary = run_reindex(ctx.obj.home, progress=(lambda n: click.echo(f"\rĐã lập chỉ mục {n} văn bản", err=True,
                                                                          nl=False)) if show else None)
    if show:
        click.echo(err=True)
    click.echo(summary)


# --- incoming documents after registration: incoming assign/start/done/list --------

@cli.group(context_settings=CONTEXT)
def incoming():
    """Giải quyết văn bản đến: lãnh đạo giao (chủ trì, phối hợp, hạn), người giải quyết nhận, báo kết quả;
    danh sách quá hạn, sắp đến hạn (sổ theo dõi giải quyết văn bản đến, Phụ lục IV mục VIII).

    \b
    Ví dụ:
      vanthu incoming assign 12 --handler hung --co-handler "Phòng Tài chính" --deadline 20/8/2020 \\
          --instructions "Phòng Nghiệp vụ chủ trì, báo cáo trước 20/8" --leader "Phan Huy Anh Vũ"
      vanthu incoming start 12          # người giải quyết đã nhận (ký nhận)
      vanthu incoming done 12 --result "Đã trả lời bằng Công văn 4500/SYT-NV" --reply 4500/SYT-NV
      vanthu incoming list --overdue    # quá hạn; --due-soon: sắp đến hạn (3 ngày)
    """


_year_option = year_option("Năm của số đến (mặc định: năm nay).")


@incoming.command("assign")
@click.argument("arrival_number", metavar="SỐ_ĐẾN", type=WHOLE_NUMBER)
@click.option("--handler", required=True, metavar="TÊN", help="Người (tên đăng nhập) hoặc đơn vị chủ trì giải quyết.")
@click.option("--co-handler", "co_handlers", multiple=True, metavar="TÊN", help="Người hoặc đơn vị phối hợp (nhiều lần được).")
@click.option("--deadline", metavar="NGÀY", help="Hạn giải quyết: 20/8/2020.")
@click.option("--instructions", default="", metavar="Ý-KIẾN", help="Ý kiến chỉ đạo của lãnh đạo.")
@click.option("--leader", default="", metavar="HỌ-TÊN", help="Lãnh đạo cho ý kiến (họ tên).")
@_year_option
@click.pass_context
def incoming_assign(ctx, arrival_number, handler, co_handlers, deadline, instructions, leader, year):
    """Giao văn bản đến số SỐ_ĐẾN: người chủ trì, phối hợp, hạn giải quyết, ý kiến chỉ đạo (giao lại cũng được)."""
    from .archive.handling import assign
    done = assign(arrival_number, handler, ctx.obj.home, year=year, co_handlers=co_handlers, deadline=deadline,
                  instructions=instructions, leader=leader)
    click.echo(_handling_line(done, "Đã giao"))


@incoming.command("start")
@click.argument("arrival_number", metavar="SỐ_ĐẾN", type=WHOLE_NUMBER)
@_year_option
@click.pass_context
def incoming_start(ctx, arrival_number, year):
    """Người giải quyết đã nhận văn bản đến số SỐ_ĐẾN (ký nhận): chuyển sang đang giải quyết."""
    from .archive.handling import acknowledge
    click.echo(_handling_line(acknowledge(arrival_number, ctx.obj.home, year=year), "Đã nhận"))


@incoming.command("done")
@click.argument("arrival_number", metavar="SỐ_ĐẾN", type=WHOLE_NUMBER)
@click.option("--result", required=True, metavar="KẾT-QUẢ", help="Kết quả giải quyết (đã làm gì).")
@click.option("--reply", default="", metavar="SỐ", help="Số, ký hiệu văn bản trả lời, nếu có.")
@_year_option
@click.pass_context
def incoming_done(ctx, arrival_number, result, reply, year):
    """Báo đã giải quyết xong văn bản đến số SỐ_ĐẾN, với kết quả."""
    from .archive.handling import finish
    click.echo(_handling_line(finish(arrival_number, result, ctx.obj.home, year=year, reply=reply), "Đã giải quyết"))


@incoming.command("list")
@click.option("--overdue", is_flag=True, help="Chỉ văn bản quá hạn giải quyết.")
@click.option("--due-soon", "due_soon", type=WHOLE_NUMBER, is_flag=False, flag_value=3, default=None, metavar="[NGÀY]",
              help="Văn bản sắp đến hạn trong NGÀY ngày tới (mặc định 3).")
@click.option("--handler", metavar="TÊN", help="Chỉ của người hoặc đơn vị này.")
@click.option("--all", "include_done", is_flag=True, help="Cả văn bản đã giải quyết.")
@click.option("--year", type=WHOLE_NUMBER, help="Chỉ số đến của năm này.")
@click.pass_context
def incoming_list(ctx, overdue, due_soon, handler, include_done, year):
    """Sổ theo dõi giải quyết văn bản đến: số đến, văn bản, người nhận, hạn, tiến độ, văn bản trả lời, ghi chú."""
    from .archive.handling import follow_up_text, listing
    items = listing(ctx.obj.home, year=year, overdue=overdue, due_soon=due_soon, handler=handler,
                    include_done=include_done)
    click.echo(follow_up_text(items))


def _handling_line(handling, verb):
    from .docnumber import printed
    from .vndate import short_date
    due = f", hạn {short_date(handling.deadline)}" if handling.deadline else ""
    return f"{verb}: văn bản đến số {printed(handling.arrival_number)} ({handling.title}) - {handling.handler_name}{due}; " \
           f"{handling.status_name.lower()}"


# --- people and the web app: user, serve ----------------------------------------

@cli.group(context_settings=CONTEXT)
def user():
    """Người dùng ứng dụng web: thêm, liệt kê, đổi mật khẩu, khóa.

    \b
    Vai trò (--role, nhiều lần được): quan-tri (quản trị), van-thu (văn thư),
    chuyen-vien (chuyên viên soạn thảo), lanh-dao (lãnh đạo duyệt, ký).
    """


def _password(stdin):
    """The password: one line of standard input, or typed twice on a terminal."""
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu", err=True)


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="Vai trò: quan-tri, van-thu, chuyen-vien, lanh-dao.")
@click.option("--full-name", default="", help="Họ và tên, ví dụ \"Nguyễn Thị Lan\".")
@click.option("--title", default="", help="Chức vụ, ví dụ \"Văn thư\" hoặc \"Giám đốc\".")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (cho tập lệnh).")
@click.pass_context
def user_add(ctx, name, roles, full_name, title, password_stdin):
    """Thêm người dùng NAME (tên đăng nhập).

    \b
    Ví dụ:
      vanthu user add lan --role van-thu --full-name "Nguyễn Thị Lan"
      echo 'mat-khau-dai' | vanthu user add vu --role lanh-dao --password-stdin
    """
    from .archive import people
    roles = people.check_roles([r for value in roles for r in value.split(",")])
    person = people.add(name, _password(password_stdin), roles, ctx.obj.home, full_name, title)
    click.echo(f"Đã thêm {person.username} ({person.role_names}).")


@user.command("list")
@click.pass_context
def user_list(ctx):
    """Liệt kê người dùng: tên đăng nhập, họ tên, vai trò, trạng thái."""
    from .archive import people
    found = people.everyone(ctx.obj.home)
    for p in found:
        state = "" if p.active else "  (đã khóa)"
        click.echo(f"{p.username}\t{p.full_name}\t{p.role_names}{state}")
    if not found:
        _say("Chưa có người dùng nào. Thêm bằng: vanthu user add TÊN --role van-thu")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu mới từ đầu vào chuẩn.")
@click.pass_context
def user_passwd(ctx, name, password_stdin):
    """Đặt mật khẩu mới cho NAME (cũng mở khóa sau nhiều lần đăng nhập sai)."""
    from .archive import people
    people.get(name, ctx.obj.home)
    people.set_password(name, _password(password_stdin), ctx.obj.home)
    click.echo(f"Đã đổi mật khẩu của {name}.")


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx, name):
    """Khóa NAME: không đăng nhập được nữa; tên vẫn còn trong nhật ký và văn bản."""
    from .archive import people
    people.disable(name, ctx.obj.home)
    click.echo(f"Đã khóa {name}.")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe; 0.0.0.0 để máy khác trong mạng cơ quan vào được.")
@click.option("--port", default=8080, show_default=True, type=WHOLE_NUMBER, help="Cổng.")
@click.option("--open", "open_browser", is_flag=True, help="Mở trình duyệt vào ứng dụng.")
@click.option("--threads", default=8, show_default=True, type=WHOLE_NUMBER, help="Số yêu cầu xử lý cùng lúc.")
@click.pass_context
def serve(ctx, host, port, open_browser, threads):
    """Chạy ứng dụng web của kho (waitress), để văn thư, chuyên viên, lãnh đạo dùng qua trình duyệt.

    \b
    Ví dụ:
      vanthu user add lan --role van-thu     # cần ít nhất một người dùng
      vanthu serve                           # rồi mở http://127.0.0.1:8080
      vanthu serve --host 0.0.0.0 --port 80  # cho cả mạng nội bộ
    """
    from .web.server import run
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    run(ctx.obj.home, host, port, _library(ctx), threads=threads,
        ready=lambda: _serving(url, open_browser))


def _serving(url, open_browser):
    _say(f"vanthu đang chạy: mở {url} trong trình duyệt (Ctrl-C để dừng).")
    if open_browser:
        import webbrowser
        webbrowser.open(url)


# --- trình ký to phát hành: key, draft, submit, approve, return, sign, withdraw, signatures ----

def _actor(name):
    """Who acts (--as), else the operating-system user: a person of ``vanthu user list``."""
    import getpass
    return name or environment.current().user or getpass.getuser()


def _acting(name):
    from .archive.events import acting_as
    return acting_as(_actor(name))


def _pin(stdin, what="Mật khẩu tệp khóa hoặc mã PIN"):
    """The PKCS#12 password or token PIN: one line of standard input, or typed on the terminal (hidden)."""
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(what, hide_input=True, err=True)


AS_OPTION = click.option("--as", "as_name", metavar="TÊN", help="Người thực hiện (tên đăng nhập); mặc định: người dùng hệ điều hành.")
PIN_OPTION = click.option("--pin-stdin", is_flag=True, help="Đọc mật khẩu tệp khóa / mã PIN từ đầu vào chuẩn thay vì hỏi.")


@cli.group(context_settings=CONTEXT)
def key():
    """Khóa ký số: của từng người (tệp PKCS#12 hoặc thiết bị ký USB qua PKCS#11) và của cơ quan (kèm ảnh dấu).

    Mật khẩu và mã PIN không bao giờ được lưu: hỏi mỗi lần ký.
    """


@key.command("add")
@click.option("--user", "user_name", metavar="TÊN", help="Khóa của người dùng TÊN (lãnh đạo ký).")
@click.option("--org", "org_code", metavar="MÃ", help="Khóa của cơ quan có mã viết tắt MÃ (ví dụ SYT).")
@click.option("--p12", type=click.Path(exists=True, dir_okay=False), help="Tệp khóa PKCS#12 (.p12, .pfx); được chép vào kho, quyền 0600.")
@click.option("--pkcs11", "library", type=click.Path(dir_okay=False), help="Thư viện PKCS#11 (.so) của thiết bị ký USB.")
@click.option("--label", default="", help="Nhãn (label) của thiết bị ký PKCS#11.")
@click.option("--key-label", default="", help="Nhãn của khóa trên thiết bị, khi thiết bị có nhiều khóa.")
@click.option("--image", type=click.Path(exists=True, dir_okay=False), help="Ảnh chữ ký (PNG nền trong suốt, màu xanh).")
@click.option("--seal", type=click.Path(exists=True, dir_okay=False), help="Ảnh dấu của cơ quan (PNG nền trong suốt, màu đỏ, đúng kích thước).")
@PIN_OPTION
@click.pass_context
def key_add(ctx, user_name, org_code, p12, library, label, key_label, image, seal, pin_stdin):
    """Thêm (hoặc thay) khóa ký số; chứng thư hết hạn hoặc chưa có hiệu lực bị từ chối.

    \b
    Ví dụ:
      vanthu key add --user vu --p12 vu.p12 --image chu-ky-vu.png
      vanthu key add --user vu --pkcs11 /usr/lib/libtoken.so --label "VNPT-CA" --image chu-ky-vu.png
      vanthu key add --org SYT --p12 so-y-te.p12 --seal dau-so-y-te.png
    """
    from .archive.home import Home
    from .signing import signers
    role, owner, picture = _key_owner(user_name, org_code, image, seal)
    if role == "user":
        _person(owner, ctx.obj.home)
    home = Home.locate(ctx.obj.home)
    home.prepare()
    stored = signers.register(home.root, role, owner, _pin(pin_stdin), p12=p12, library=library or "", label=label,
                              key_label=key_label, picture=picture)
    click.echo(f"Đã thêm khóa của {owner}: {stored.subject}, do {stored.issuer} cấp, hiệu lực đến {stored.not_after[:10]}.")


def _key_owner(user_name, org_code, image, seal):
    if bool(user_name) == bool(org_code):
        raise VanthuError("chọn một: --user TÊN (khóa của người ký) hoặc --org MÃ (khóa của cơ quan)")
    if org_code and not seal:
        raise VanthuError("khóa của cơ quan cần ảnh dấu: --seal DẤU.png (Phụ lục I mục II.8.a)")
    return ("user", user_name, image) if user_name else ("org", org_code, seal)


def _person(name, home):
    from .archive import people
    return people.get(name, home)


@key.command("list")
@click.pass_context
def key_list(ctx):
    """Liệt kê khóa ký số: của ai, loại, chứng thư, hiệu lực đến (đánh dấu khóa đã hết hạn)."""
    import datetime as _dt
    from .archive.home import Home
    from .signing import keys
    found = keys.listing(Home.locate(ctx.obj.home).root)
    now = _dt.datetime.now(_dt.timezone.utc).isoformat()
    for k in found:
        who = f"người dùng {k.owner}" if k.role == "user" else f"cơ quan {k.owner}"
        kind = "PKCS#12" if k.kind == keys.P12 else f"PKCS#11 {k.label}"
        expired = "  (ĐÃ HẾT HẠN)" if k.not_after and k.not_after < now else ""
        click.echo(f"{who}\t{kind}\t{k.subject}, do {k.issuer} cấp\thiệu lực đến {k.not_after[:10]}{expired}")
    if not found:
        _say("Chưa có khóa ký số nào. Thêm bằng: vanthu key add --user TÊN --p12 TỆP --image ẢNH.png")


@key.command("trust")
@click.argument("certificate", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def key_trust(ctx, certificate):
    """Tin cậy chứng thư gốc CERTIFICATE (PEM hoặc DER) khi kiểm tra chữ ký số."""
    from .archive.home import Home
    from .signing import keys
    home = Home.locate(ctx.obj.home)
    home.prepare()
    click.echo(f"Đã thêm chứng thư gốc tin cậy: {keys.add_trust_root(home.root, certificate)}")


@key.command("tsa")
@click.argument("url", required=False, default="")
@click.pass_context
def key_tsa(ctx, url):
    """Máy chủ cấp dấu thời gian (PAdES B-T); để trống để bỏ (B-B)."""
    from .archive.home import Home
    from .signing import keys
    home = Home.locate(ctx.obj.home)
    home.prepare()
    keys.set_tsa_url(home.root, url)
    click.echo(f"Máy chủ dấu thời gian: {url}" if url else "Không dùng dấu thời gian.")


@cli.command("draft")
@click.argument("record", type=click.Path(exists=True, dir_okay=False))
@AS_OPTION
@click.pass_context
def draft_cmd(ctx, record, as_name):
    """Lưu bản ghi RECORD thành dự thảo; dòng cuối in số dự thảo."""
    from .workflow import drafts
    with _acting(as_name):
        saved = drafts.import_file(record, _actor(as_name), ctx.obj.home, _library(ctx))
    click.echo(f"Đã lưu dự thảo: {saved.subject}")
    click.echo(saved.id)


@cli.command()
@click.argument("draft_id", metavar="ID")
@click.option("--to", "to", required=True, metavar="TÊN", help="Lãnh đạo ký.")
@click.option("--via", multiple=True, metavar="TÊN", help="Người duyệt trước, theo thứ tự (nhiều lần được).")
@AS_OPTION
@click.pass_context
def submit(ctx, draft_id, to, via, as_name):
    """Trình ký dự thảo ID cho lãnh đạo --to, qua người duyệt --via."""
    from .workflow import signoff
    with _acting(as_name):
        done = signoff.submit(draft_id, to, via, _actor(as_name), ctx.obj.home)
    click.echo(f"Đã trình ký dự thảo {done.id}: chờ {(list(via) + [to])[0]}")


def _review(name, action, comment, said):
    """``vanthu approve`` / ``vanthu return``: one step of the sign-off with the reviewer's comment."""
    @cli.command(name, help=action.__doc__)
    @click.argument("draft_id", metavar="ID")
    @click.option("--comment", **({"required": True} if comment else {"default": ""}), help=comment or "Ý kiến.")
    @AS_OPTION
    @click.pass_context
    def step(ctx, draft_id, comment, as_name):
        with _acting(as_name):
            done = action(draft_id, _actor(as_name), comment or "", ctx.obj.home)
        click.echo(said(done))
    return step


def _approve(draft_id, by, comment, home):
    """Đồng ý dự thảo ID (người duyệt hoặc lãnh đạo); chuyển bước sau."""
    from .workflow import signoff
    return signoff.approve(draft_id, by, comment, home)


def _return(draft_id, by, comment, home):
    """Trả lại dự thảo ID cho người soạn, kèm ý kiến."""
    from .workflow import signoff
    return signoff.return_draft(draft_id, by, comment, home)


approve = _review("approve", _approve, "", lambda done: f"Đã đồng ý dự thảo {done.id}: {done.state_name}")
return_cmd = _review("return", _return, "Ý kiến: cần sửa gì.", lambda done: f"Đã trả lại dự thảo {done.id} cho {done.owner}.")


@cli.command("sign")
@click.argument("draft_id", metavar="ID")
@AS_OPTION
@PIN_OPTION
@click.pass_context
def sign_cmd(ctx, draft_id, as_name, pin_stdin):
    """Lãnh đạo ký số dự thảo ID bằng khóa của mình (số và ngày để trống, văn thư điền khi ban hành)."""
    from .workflow import signoff
    with _acting(as_name):
        done = signoff.sign(draft_id, _actor(as_name), _pin(pin_stdin), ctx.obj.home, _library(ctx))
    click.echo(f"Đã ký số dự thảo {done.id}: chờ văn thư cấp số, ban hành.")


@cli.command()
@click.argument("number", metavar="SỐ")
@click.option("--reason", default="", help="Lý do thu hồi (bắt buộc với văn bản đi).")
@click.option("--year", type=WHOLE_NUMBER, help="Năm, khi số trùng giữa các năm.")
@click.option("--incoming", is_flag=True, help="Văn bản đến bị nơi gửi thu hồi: hủy tệp của nó (giữ mã băm, "
              "thông tin và nhật ký).")
@click.option("--order", default="", metavar="LỆNH", help="Với --incoming: lệnh thu hồi của nơi gửi, ví dụ "
              "\"Công văn số 15/BYT-VP ngày 10/8/2020\".")
@AS_OPTION
@click.pass_context
def withdraw(ctx, number, reason, year, incoming, order, as_name):
    """Thu hồi văn bản số SỐ (Điều 18; Phụ lục VI III.8).

    Văn bản đi: số vẫn giữ, văn bản và thông tin của nó được đóng băng (không
    sửa, thêm, xóa được); sổ, 'vanthu show' và tìm kiếm ghi đã thu hồi.
    Văn bản đến (--incoming --order LỆNH): theo lệnh thu hồi của nơi gửi, các
    tệp của văn bản bị hủy khỏi kho; số đến, thông tin, mã băm và nhật ký vẫn giữ.

    \b
    Ví dụ:
      vanthu withdraw 4482/SYT-VP --reason "Ban hành nhầm" --as lan
      vanthu withdraw 4199/BYT-VPB1 --incoming --order "Công văn số 15/BYT-VP ngày 10/8/2020"
    """
    from .workflow import withdrawal
    with _acting(as_name):
        if incoming:
            done = withdrawal.recall(number, order, reason, _actor(as_name), ctx.obj.home, year)
            verb = "Đã hủy nốt" if done.finished else "Đã hủy"
            click.echo(f"Văn bản đến số {done.arrival_number} ({done.number}) bị thu hồi theo {done.order}: "
                       f"{verb} {len(done.destroyed)} tệp; mã băm, thông tin và nhật ký vẫn giữ.")
            return
        if order:
            raise VanthuError("--order chỉ dùng với --incoming (văn bản đến bị nơi gửi thu hồi)")
        done = withdrawal.withdraw(number, reason, _actor(as_name), ctx.obj.home, year)
    click.echo(f"Đã thu hồi văn bản số {done.number}: {reason}; văn bản và thông tin của nó đã đóng băng.")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_context
def signatures(ctx, file, as_json):
    """Mọi chữ ký số của tệp PDF: người ký, tổ chức cấp, thời gian, toàn vẹn, thay đổi sau khi ký, tin cậy.

    Chứng thư gốc tin cậy: những chứng thư đã thêm bằng 'vanthu key trust'. Thoát 1 nếu có chữ ký không hợp lệ.
    """
    import json
    from pathlib import Path
    from .archive.home import Home
    from .signing import inspect, keys
    found = inspect.signatures(Path(file).read_bytes(), keys.trust_roots(Home.locate(ctx.obj.home).root), file)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in found], ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(line for r in found for line in r.lines()) or f"{file}: không có chữ ký số.")
    VanthuError.collect([f"{file}: chữ ký '{r.field}' không hợp lệ: {r.why}" for r in found if not r.ok])


@cli.command()
@AS_OPTION
@click.pass_context
def waiting(ctx, as_name):
    """Dự thảo đang chờ bạn: duyệt, ký, hoặc (văn thư) cấp số ban hành."""
    from .workflow import signoff
    found = signoff.waiting_for(_actor(as_name), ctx.obj.home)
    for d in found:
        click.echo(f"{d.id}\t{d.state_name}\t{d.owner}\t{d.subject}")
    if not found:
        _say("Không có dự thảo nào đang chờ.")


@cli.command()
@click.argument("draft_id", metavar="ID")
@click.pass_context
def history(ctx, draft_id):
    """Quá trình của dự thảo ID: ai, lúc nào, làm gì, mã băm của bản đã ký."""
    from .workflow import signoff
    for time, who, action, detail, checksum in signoff.history(draft_id, ctx.obj.home):
        note = f" ({detail['comment']})" if detail.get("comment") else ""
        digest = f" sha256 {checksum[:16]}…" if checksum else ""
        click.echo(f"{time[:19]}  {who}  {action}{note}{digest}")


def _refuse_undecodable(argv):
    """Bytes that are not UTF-8 reach Python as lone surrogates: say so, before they reach a file or the register."""
    for arg in argv:
        if any("\ud800" <= c <= "\udfff" for c in arg):
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            raise VanthuError(f"đối số «{shown[:60]}» có byte không phải chữ UTF-8 (sai bảng mã); hãy gõ lại")


def main(argv=None):
    """Entry point: runs the command, prints user errors once; returns the :class:`ExitStatus`."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with vietnamese_messages():
        return _run(argv)


def _run(argv):
    try:
        _refuse_undecodable(argv)
        cli.main(args=argv, prog_name="vanthu", standalone_mode=False)
    except VanthuError as error:
        for problem in error.problems:
            text = str(problem)
            _say(text if problem.file else f"Lỗi: {text}")
        return ExitStatus.FAILED
    except click.exceptions.Abort:
        _say("Đã dừng.")
        return ExitStatus.STOPPED
    except click.exceptions.ClickException as error:  # usage errors
        error.show()
        return ExitStatus(error.exit_code)
    except KeyboardInterrupt:
        _say("Đã dừng (Ctrl-C).")
        return ExitStatus.STOPPED
    except Exception as error:  # a bug, not the clerk's fault
        if "--traceback" in argv or environment.current().traceback:
            raise
        system = from_system(error)
        if system is not None:
            _say(f"Lỗi: {system}")
            return ExitStatus.FAILED
        _say(f"Lỗi nội bộ: {error.__class__.__name__}: {error}. Chạy lại với --traceback để xem chi tiết.")
        return ExitStatus.FAILED
    return ExitStatus.OK


@contextlib.contextmanager
def vietnamese_messages():
    """click's messages from our gettext catalogue, in Vietnamese whatever the machine's locale.

    click marks its strings for Python's :mod:`gettext`; the clerk reads
    Vietnamese everywhere, so the language is chosen here, for this run only.
    """
    saved = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, LOCALE)
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = "vi"
    try:
        yield
    finally:
        gettext.textdomain(saved[0])
        _restore("LANGUAGE", saved[1])


def _restore(name, value):
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


if __name__ == "__main__":
    sys.exit(main())
