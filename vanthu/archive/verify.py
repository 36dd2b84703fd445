"""Verification (kiểm tra toàn vẹn): every stored file and the event log, re-checked.

Reports each missing, changed or untracked file, each document whose stored
checksums differ from what the log recorded at issue time, and every break
in the hash chain of the log, every register row whose content differs from
the seal its event recorded (documents, hồ sơ, Danh mục), SQLite's own integrity check, and files or
folders open to other users. The run itself is logged.
"""
import hashlib
import json
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import environment
from ..docnumber import DocumentNumber
from ..errors import VanthuError
from . import db, dossierseal, events, permissions, seal
from .home import opened
from .store import sha256_file


@dataclass
class Report:
    """What ``vanthu verify`` found (kết quả kiểm tra)."""

    files: int = 0
    events: int = 0
    destroyed: int = 0  # files destroyed on a recall (thu hồi), as the log says
    problems: list = field(default_factory=list)
    note: str = ""  # said after the summary (a read-only home)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        note = f" ({self.note})" if self.note else ""
        gone = f" ({self.destroyed} tệp đã hủy theo lệnh thu hồi, đúng như nhật ký)" if self.destroyed else ""
        if self.ok:
            return f"Kho toàn vẹn: {self.files} tệp khớp mã băm{gone}, nhật ký {self.events} mục liền mạch.{note}"
        return f"Phát hiện {len(self.problems)} vấn đề ({self.files} tệp, {self.events} mục nhật ký đã kiểm tra).{note}"


def verify(home=None):
    """Check the whole archive; the report's ``problems`` are Vietnamese lines.

    Verify only reads and reports: it never rewrites evidence. The saved
    chain head is moved on only when the chain and the head were found whole;
    a damaged head stays reported until ``vanthu recover-head``.
    """
    try:
        with opened(home) as archive:
            if archive.read_only:  # nothing can change meanwhile, and the run cannot be logged
                report, _ = _check(archive)
                report.note = "kho chỉ đọc: lần kiểm tra này không được ghi vào nhật ký"
                return report
            with db.write_transaction(archive.conn, exclusive=True):  # no issue may move files in while we look
                archive.recover()
                report, chain_whole = _check(archive)
                events.append(archive.conn, "verify", {"files": report.files, "problems": len(report.problems)},
                              hashlib.sha256("\n".join(report.problems).encode("utf-8")).hexdigest(),
                              head=_head(archive.home.log_head)[0])
            if chain_whole:
                archive.remember_log_head()
    except (sqlite3.DatabaseError, *_server_errors()) as error:
        server = environment.current().database
        where = db.redacted(server) if server else f"{Path(home or '.').name}/vanthu.sqlite3"
        return Report(problems=[f"cơ sở dữ liệu {where} hỏng, không đọc được ({error}); khôi phục từ bản sao lưu"])
    return report


def _server_errors():
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.DatabaseError,)


def _check(archive):
    report = Report(problems=_integrity(archive.conn))
    rows = archive.conn.execute("SELECT f.*, d.number, d.symbol FROM files f JOIN documents d ON d.id = f.document_id"
                                " ORDER BY f.path").fetchall()
    destroyed = _destroyed(archive.conn)
    kept = [row for row in rows if row["path"] not in destroyed]
    report.files, report.destroyed = len(kept), len(destroyed)
    scanned = permissions.entries(archive.home.root)
    report.problems += [p for row in kept if (p := _file_problem(archive.home.root, row))]
    report.problems += _destruction_problems(archive.home.root, destroyed)
    report.problems += _untracked(scanned, {row["path"] for row in rows})
    report.problems += _logged_checksums(archive.conn, rows)
    report.problems += _vanished_documents(archive.conn)
    report.problems += _sealed_rows(archive.conn)
    report.problems += dossierseal.problems(archive.conn)  # hồ sơ and Danh mục rows (issue 16)
    report.problems += permissions.problems(archive.home, scanned)
    report.problems += _signature_problems(archive.home.root, kept)
    head, damaged = _head(archive.home.log_head)
    chain, report.events = events.chain_problems(archive.conn, head)
    report.problems += damaged + chain
    return report, not (damaged or chain)


def _destroyed(conn):
    """``{path: (sha256, recall event's record of it or None)}`` of every file destroyed on a recall (III.8.b)."""
    logged = {}
    for event in conn.execute("SELECT id, detail FROM events WHERE action = 'recall' ORDER BY id"):
        for path, digest in events.parsed_detail(event["detail"]).get("destroyed", {}).items():
            logged[path] = (event["id"], digest)
    rows = conn.execute("SELECT f.path, f.sha256 FROM destroyed_files x JOIN files f ON f.id = x.file_id").fetchall()
    return {r["path"]: (r["sha256"], logged.get(r["path"])) for r in rows}


def _destruction_problems(root, destroyed):
    """A destroyed file is accepted missing only where the log's recall destroyed it, with that checksum."""
    problems = []
    for path, (digest, logged) in sorted(destroyed.items()):
        if logged is None or logged[1] != digest:
            problems.append(f"tệp {path} được ghi là đã hủy, nhưng nhật ký không có lệnh thu hồi nào hủy tệp đó "
                            "(đánh dấu ngoài vanthu)")
        elif (root / path).exists():
            problems.append(f"tệp {path} đã hủy theo lệnh thu hồi (nhật ký mục {logged[0]}) nhưng vẫn còn trong kho; "
                            "chạy lại 'vanthu withdraw --incoming' để hủy cho xong")
    return problems


def _integrity(conn):
    """SQLite's own check: a damaged page or index is reported before ``issue`` trips on it.

    A PostgreSQL server checks its own pages, and enforces foreign keys on every write.
    """
    if conn.dialect != "sqlite":
        return []
    found = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    problems = [] if found == ["ok"] else [f"cơ sở dữ liệu hỏng: {line}" for line in found]
    for row in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"cơ sở dữ liệu: dòng {row[1]} của bảng {row[0]} trỏ tới {row[2]} không tồn tại")
    return problems


def _sealed_rows(conn):
    """Each register row against the seal its last event recorded (niêm phong)."""
    sealed = _seals_in_log(conn)
    problems = []
    versions = {document_id: version for document_id, (_, _, _, version) in sealed.items()}
    for document_id, (row, digest) in sorted(seal.of_all(conn, versions).items()):
        name = _name(row)
        if document_id not in sealed:
            problems.append(f"văn bản {name} (mục sổ {document_id}) không có mục nào trong nhật ký: "
                            "được thêm vào sổ ngoài vanthu")
        elif sealed[document_id][1] != digest:
            event_id, _, logged_number, _ = sealed[document_id]
            renamed = f", nhật ký ghi số {logged_number}" if logged_number and logged_number != name else ""
            problems.append(f"văn bản {name} (mục sổ {document_id}{renamed}): nội dung trong sổ khác với nhật ký "
                            f"mục {event_id} (đã bị sửa ngoài vanthu)")
    return problems


def _seals_in_log(conn):
    """``{document id: (event id, seal, number as logged, seal version)}`` from the newest sealing event of each."""
    sealed = {}
    for event in conn.execute("SELECT id, document_id, detail FROM events WHERE document_id IS NOT NULL ORDER BY id"):
        detail = events.parsed_detail(event["detail"])
        if "row" in detail:
            version = detail.get("seal") if detail.get("seal") in seal.COLUMNS else seal.VERSION
            sealed[event["document_id"]] = (event["id"], detail["row"], detail.get("number"), version)
    return sealed


def _name(row):
    if isinstance(row["number"], int) and row["number"] > 0:
        return str(DocumentNumber(row["number"], row["symbol"]))
    return f"{row['number']}/{row['symbol']}"  # a tampered row: shown as it is


def _signature_problems(root, rows):
    """Every digital signature of every stored PDF, validated again (:mod:`vanthu.signing.inspect`)."""
    from ..signing.inspect import stored_problems
    return stored_problems(root, rows)


def _head(path):
    try:
        return events.read_head(path), []
    except VanthuError as error:
        return None, [str(p) for p in error.problems]


def _file_problem(root, row):
    path = root / row["path"]
    owner = DocumentNumber(row["number"], row["symbol"])
    if not path.is_file():
        return f"thiếu tệp {row['path']} (văn bản {owner})"
    if sha256_file(path) != row["sha256"]:
        return f"tệp {row['path']} đã bị thay đổi (văn bản {owner}): mã băm không khớp"
    return None


def _untracked(scanned, known):
    found = (path for path, _, info in scanned if path.startswith("files/") and not stat.S_ISDIR(info.st_mode))
    return [f"tệp lạ {path} không có trong sổ" for path in sorted(found) if path not in known]


def _logged_checksums(conn, rows):
    """The checksums in the files table must be those the log recorded at issue or import."""
    logged = {}
    for event in conn.execute("SELECT document_id, detail FROM events WHERE action IN ('issue', 'import', 'copy')"):
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
                        " WHERE e.action IN ('issue', 'import', 'copy') AND d.id IS NULL ORDER BY e.id")
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


def recover_head(home=None):
    """``vanthu recover-head``: a person accepts the database's log as the truth; the step is logged.

    For a damaged ``log-head.json``, or one ahead of a database restored from
    a backup. The old head's text goes into the new event, so the evidence stays.
    """
    with opened(home) as archive:
        path = archive.home.log_head
        with db.write_transaction(archive.conn):
            problem = _head_state(archive.conn, path)
            if problem is None:
                return f"{events.HEAD_FILE} khớp với nhật ký; không có gì cần khôi phục."
            accepted = events.last(archive.conn)
            old = path.read_text(encoding="utf-8", errors="replace")[:2000] if path.exists() else None
            event = events.append(archive.conn, "recover-head", {"problem": problem, "old_head": old,
                                                                 "accepted": list(accepted)},
                                  hashlib.sha256((old or "").encode("utf-8")).hexdigest(), now=True)
        archive.remember_log_head()
    return (f"Đã lập lại {events.HEAD_FILE} theo nhật ký trong cơ sở dữ liệu (mục {accepted[0]}); việc này được ghi "
            f"vào nhật ký mục {event.id} ({problem}). Chạy 'vanthu verify' để kiểm tra lại toàn kho.")


def _head_state(conn, path):
    """What is wrong with the saved head, or None."""
    try:
        head = events.read_head(path)
    except VanthuError:
        return f"{events.HEAD_FILE} bị hỏng hoặc bị sửa"
    return events.head_mismatch(conn, head)
