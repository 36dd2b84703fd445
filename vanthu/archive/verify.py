"""Verification (kiểm tra toàn vẹn): every stored file and the event log, re-checked.

Reports each missing, changed or untracked file, each document whose stored
checksums differ from what the log recorded at issue time, and every break
in the hash chain of the log. The run itself is logged.
"""
import hashlib
import json
from dataclasses import dataclass, field

from ..errors import VanthuError
from . import db, events
from .home import opened
from .store import sha256_file


@dataclass
class Report:
    """What ``vanthu verify`` found (kết quả kiểm tra)."""

    files: int = 0
    events: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        if self.ok:
            return f"Kho toàn vẹn: {self.files} tệp khớp mã băm, nhật ký {self.events} mục liền mạch."
        return f"Phát hiện {len(self.problems)} vấn đề ({self.files} tệp, {self.events} mục nhật ký đã kiểm tra)."


def verify(home=None):
    """Check the whole archive; the report's ``problems`` are Vietnamese lines."""
    with opened(home) as archive:
        with db.write_transaction(archive.conn):  # no issue may move files in while we look
            archive.recover()
            report = _check(archive)
            events.append(archive.conn, "verify", {"files": report.files, "problems": len(report.problems)},
                          hashlib.sha256("\n".join(report.problems).encode("utf-8")).hexdigest(),
                          head=_head(archive.home.log_head)[0])
        archive.remember_log_head()
    return report


def _check(archive):
    rows = archive.conn.execute("SELECT f.*, d.number, d.symbol FROM files f JOIN documents d ON d.id = f.document_id"
                                " ORDER BY f.path").fetchall()
    report = Report(files=len(rows))
    report.problems += [p for row in rows if (p := _file_problem(archive.home.root, row))]
    report.problems += _untracked(archive.home, {row["path"] for row in rows})
    report.problems += _logged_checksums(archive.conn, rows)
    report.problems += _vanished_documents(archive.conn)
    head, damaged = _head(archive.home.log_head)
    chain, report.events = events.chain_problems(archive.conn, head)
    report.problems += damaged + chain
    return report


def _head(path):
    try:
        return events.read_head(path), []
    except VanthuError as error:
        return None, [str(p) for p in error.problems]


def _file_problem(root, row):
    path = root / row["path"]
    owner = f"{row['number']:02d}/{row['symbol']}"
    if not path.is_file():
        return f"thiếu tệp {row['path']} (văn bản {owner})"
    if sha256_file(path) != row["sha256"]:
        return f"tệp {row['path']} đã bị thay đổi (văn bản {owner}): mã băm không khớp"
    return None


def _untracked(home, known):
    found = (p.relative_to(home.root).as_posix() for p in home.files.rglob("*") if not p.is_dir())
    return [f"tệp lạ {path} không có trong sổ" for path in sorted(found) if path not in known]


def _logged_checksums(conn, rows):
    """The checksums in the files table must be those the log recorded at issue or import."""
    logged = {}
    for event in conn.execute("SELECT document_id, detail FROM events WHERE action IN ('issue', 'import')"):
        logged.setdefault(event["document_id"], {}).update(_files_of(event["detail"]))
    problems = []
    for row in rows:
        recorded = logged.get(row["document_id"], {}).get(row["path"])
        if recorded is None:
            problems.append(f"tệp {row['path']} không có mục ban hành hoặc vào sổ trong nhật ký")
        elif recorded != row["sha256"]:
            problems.append(f"mã băm của {row['path']} trong sổ khác với mã ghi trong nhật ký lúc lưu")
    return problems


def _vanished_documents(conn):
    """Documents the log says were issued or imported, whose row is gone from the register."""
    rows = conn.execute("SELECT e.id, e.detail FROM events e LEFT JOIN documents d ON d.id = e.document_id"
                        " WHERE e.action IN ('issue', 'import') AND d.id IS NULL ORDER BY e.id")
    return [f"văn bản {_number_of(r['detail'])} (nhật ký mục {r['id']}) không còn trong sổ" for r in rows]


def _number_of(detail):
    try:
        return json.loads(detail).get("number", "?")
    except (ValueError, AttributeError):
        return "?"


def _files_of(detail):
    try:
        return json.loads(detail).get("files", {})
    except (ValueError, AttributeError):
        return {}  # an edited row; the chain check reports it
