"""An old register kept in Excel (sổ cũ trên Excel), taken into the archive row by row.

Offices that kept their registers in a spreadsheet bring them in so that the
year's numbering goes on after them and search finds the old documents. The
sheet has the headings of Phụ lục IV (as ``vanthu register -o so.xlsx``
writes them; cover lines above are skipped, and the ``(1)`` … ``(10)`` row
too). Every row is checked first and the report names each bad one by its
sheet row; nothing is written unless all are good, or the clerk accepts a
partial import. The rows have no files: the register is what is imported.
"""
import re
from dataclasses import dataclass, field

from ..docnumber import DocumentNumber, normalize_key, printed
from ..errors import Problem, VanthuError
from ..sheets import cell_text, read_table
from ..vndate import parse_day
from . import catalog, numbering
from .document import ArchivedDocument, INCOMING, OUTGOING
from .home import opened
from .issuing import after_commit

COLUMNS = {  # folded heading -> field, per direction (Phụ lục IV mục I and VI)
    INCOMING: {"ngay den": "arrival_date", "so den": "arrival_number", "tac gia": "issuer",
               "so, ky hieu van ban": "number", "ngay thang van ban": "date",
               "ten loai va trich yeu noi dung": "title", "ten loai va trich yeu noi dung van ban": "title"},
    OUTGOING: {"so, ky hieu van ban": "number", "ngay thang van ban": "date", "ten loai va trich yeu noi dung": "title",
               "ten loai va trich yeu noi dung van ban": "title", "nguoi ky": "signer",
               "noi nhan van ban": "recipients", "don vi, nguoi nhan ban luu": "copy_holders"},
}
REQUIRED = {INCOMING: ("arrival_date", "arrival_number", "issuer", "number", "date"), OUTGOING: ("number", "date")}
_NUMBERS_ROW = re.compile(r"^\(\d+\)$")


@dataclass
class Report:
    """What an import did (báo cáo): documents taken in, problems of the rows left out."""

    imported: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # headings not taken in (Ngày chuyển, Ký nhận, Ghi chú...)


def import_register(path, direction, home=None, *, issuer="", partial=False, warn=None):
    """Check every row of the sheet at ``path``, then take the good ones in (all, unless ``partial``)."""
    if direction == OUTGOING and not issuer.strip():
        raise VanthuError("--issuer: sổ đi cần tên cơ quan ban hành, ví dụ \"Sở Y tế\"")
    table = read_table(path)
    report = Report()
    fields = _fields(table, direction, report)
    documents = [_row(table, fields, direction, issuer.strip(), line, cells, report) for line, cells in table.rows
                 if not all(_NUMBERS_ROW.match(cell_text(c)) or not cell_text(c) for c in cells)]
    with opened(home) as archive:
        good = _unclaimed(archive.conn, [d for d in documents if d], table, report)
        if report.problems and not partial:
            raise VanthuError(*report.problems, f"{len(report.problems)} hàng lỗi; chưa nhập hàng nào "
                                                "(sửa các hàng trên, hoặc thêm --partial để nhập các hàng đúng)")
        _store(archive, good, report)
        after_commit(archive, [d for d, _ in good], warn)
    return report


def _fields(table, direction, report):
    from ..generator.mailmerge import fold
    fields = {}
    for index, heading in enumerate(table.header):
        name = COLUMNS[direction].get(fold(heading))
        if name:
            fields[name] = index
        elif heading:
            report.ignored.append(heading)
    missing = [name for name in REQUIRED[direction] if name not in fields]
    if missing:
        wanted = [h for h, n in COLUMNS[direction].items() if n in missing]
        raise VanthuError(Problem(f"bảng tính thiếu cột: {', '.join(wanted)} (tiêu đề theo Phụ lục IV)", table.source))
    return fields


def _row(table, fields, direction, issuer, line, cells, report):
    values = {name: cells[i] if i < len(cells) else "" for name, i in fields.items()}
    try:
        return _document(values, direction, issuer), line
    except VanthuError as error:
        number = table.rows.index((line, cells)) + 1
        report.problems += [Problem(p.message, table.source, line, f"hàng {number}") for p in error.problems]
        return None


def _document(values, direction, issuer):
    text = {k: cell_text(v) for k, v in values.items()}
    problems = []
    number = _try(problems, "Số, ký hiệu", lambda: DocumentNumber.parse(text["number"]))
    day = _try(problems, "Ngày văn bản", lambda: parse_day(values["date"]))
    document = ArchivedDocument(id=0, direction=direction, number=number, date=day, type_name="",
                                issuer_name=text.get("issuer", issuer), subject=text.get("title", ""),
                                signer=text.get("signer", ""),
                                recipients=[r.strip() for r in text.get("recipients", "").split(";") if r.strip()])
    if direction == INCOMING:
        document.arrival_date = _try(problems, "Ngày đến", lambda: parse_day(values["arrival_date"]))
        document.arrival_number = _try(problems, "Số đến", lambda: _positive(text["arrival_number"]))
        _require(problems, document.issuer_name, "Tác giả")
    else:
        document.issuer_code = number.symbol.split("-")[0] if number else ""
    VanthuError.collect(problems)
    return document


def _try(problems, label, read):
    try:
        return read()
    except (VanthuError, ValueError, KeyError) as error:
        message = error.problems[0].message if isinstance(error, VanthuError) else str(error)
        problems.append(f"{label}: {message}")
        return None


def _positive(text):
    if not text.isdigit() or int(text) < 1:
        raise VanthuError(f"'{text}' không phải số đến (số nguyên dương)")
    return int(text)


def _require(problems, value, label):
    if not value:
        problems.append(f"{label}: ô trống")


def _series(document):
    if document.direction == INCOMING:
        return numbering.Series.arrival(document.arrival_date.year)
    return numbering.Series.outgoing(document.date.year, document.issuer_code)


def _unclaimed(conn, rows, table, report):
    """The rows whose number is free in its series and not twice in the sheet; the others reported."""
    good, seen = [], {}
    for document, line in rows:
        series = _series(document)
        key = (series.direction, series.year, series.key, document.serial)
        taken = numbering.holder(conn, series, key[3]) or _received(conn, document)
        if taken or key in seen:
            where = f"dòng {seen[key]} của bảng tính" if key in seen else f"văn bản {DocumentNumber(taken['number'], taken['symbol'])}"
            report.problems.append(Problem(f"số {printed(key[3])} đã có trong {series.describe()} ({where})", table.source,
                                           line))
            continue
        seen[key] = line
        good.append((document, series))
    return good


def _received(conn, document):
    """An incoming document with the same number and issuer already in the register (Phụ lục VI)."""
    if document.direction != INCOMING:
        return None
    return conn.execute("SELECT number, symbol FROM documents WHERE direction = 'in' AND substr(date, 1, 4) = ?"
                        " AND number_key = ? AND issuer_key = ?", (document.date.isoformat()[:4], document.number.key,
                                                                    normalize_key(document.issuer_name))).fetchone()


def _store(archive, good, report):
    with archive.writing() as batch:
        for document, series in good:
            entry = catalog.Entry(document, series, "", document.subject, metadata={"Source": "sổ cũ (Excel)"})
            catalog.insert(archive.conn, entry, batch.token)
            archive.log("register-import", {"number": str(document.number), "serial": document.serial,
                                            "series": series.key}, document_id=document.id)
            report.imported.append(document)
