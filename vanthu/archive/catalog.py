"""The catalogue (mục lục): documents as rows of the database and back.

Everything that reads the archive (register, show, search) goes through
here and gets :class:`~vanthu.archive.document.ArchivedDocument` values.
"""
import datetime as _dt
import json
from dataclasses import dataclass, field
from typing import Optional

from ..docnumber import DocumentNumber, normalize_key
from ..errors import VanthuError
from .document import ArchivedDocument, INCOMING, OUTGOING
from .home import opened
from .store import StoredFile

LINK_NAMES = {  # (kind, seen from the new document?) -> Vietnamese label
    ("replaces", True): "Thay thế văn bản",
    ("replaces", False): "Bị thay thế bởi",
    ("corrects", True): "Đính chính văn bản",
    ("corrects", False): "Được đính chính bởi",
}


@dataclass(frozen=True)
class Link:
    """A link between two documents (thay thế, đính chính, Art. 18)."""

    kind: str
    outgoing: bool  # True: this document replaces/corrects the other
    other_id: int
    other_number: str
    other_date: str

    @property
    def label(self):
        return LINK_NAMES[(self.kind, self.outgoing)]


@dataclass
class Entry:
    """One row of the register with what only the archive knows (mục sổ)."""

    document: ArchivedDocument
    series: str
    template: str = ""
    title: str = ""          # tên loại và trích yếu, as the register prints it
    issuer_parent: str = ""
    copy_holders: str = ""   # đơn vị, người nhận bản lưu
    copies: Optional[int] = None  # số lượng bản phát hành
    metadata: dict = field(default_factory=dict)  # Phụ lục VI
    files: list = field(default_factory=list)
    links: list = field(default_factory=list)
    withdrawal: str = ""     # "Đã thu hồi ngày ...: lý do" (Điều 18); the number stays


def _date(text):
    return _dt.date.fromisoformat(text) if text else None


def to_document(row):
    return ArchivedDocument(
        id=row["id"], direction=row["direction"], number=DocumentNumber(row["number"], row["symbol"]),
        date=_date(row["date"]), type_name=row["type_name"], issuer_name=row["issuer_name"],
        issuer_code=row["issuer_code"], subject=row["subject"], body=row["body"], signer=row["signer"],
        signer_title=row["signer_title"], recipients=json.loads(row["recipients"]),
        confidentiality=row["confidentiality"], urgency=row["urgency"],
        arrival_number=row["arrival_number"], arrival_date=_date(row["arrival_date"]))


def insert(conn, entry, batch_token):
    """Store one entry's row; returns its id. Inside the write transaction."""
    d = entry.document
    cursor = conn.execute(
        "INSERT INTO documents (direction, year, series, serial, number, symbol, number_key, date, template, title, type_name,"
        " issuer_name, issuer_key, issuer_code, issuer_parent, subject, body, signer, signer_title, recipients,"
        " copy_holders, confidentiality, urgency, arrival_number, arrival_date, metadata, batch, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.direction, _series_year(d), entry.series, serial(d), d.number.number, d.number.symbol, d.number.key,
         d.date.isoformat(), entry.template, entry.title, d.type_name, d.issuer_name, normalize_key(d.issuer_name), d.issuer_code,
         entry.issuer_parent, d.subject, d.body, d.signer, d.signer_title,
         json.dumps(d.recipients, ensure_ascii=False), entry.copy_holders, d.confidentiality, d.urgency,
         d.arrival_number, d.arrival_date.isoformat() if d.arrival_date else None,
         json.dumps(entry.metadata, ensure_ascii=False), batch_token, _dt.datetime.now(_dt.timezone.utc).isoformat()))
    d.id = cursor.lastrowid
    return d.id


def serial(d):
    """The number in our own series: số đi for outgoing, số đến for incoming."""
    return d.arrival_number if d.direction == INCOMING else d.number.number


def _series_year(d):
    """Outgoing numbers run per document year; arrival numbers per year of receipt."""
    return d.arrival_date.year if d.direction == INCOMING else d.date.year


def insert_file(conn, document_id, stored):
    conn.execute("INSERT INTO files (document_id, role, path, sha256, size) VALUES (?, ?, ?, ?, ?)",
                 (document_id, stored.role, stored.path, stored.sha256, stored.size))


def insert_link(conn, document_id, kind, target_id):
    conn.execute("INSERT INTO links (document_id, kind, target_id) VALUES (?, ?, ?)", (document_id, kind, target_id))


def _files(conn, document_id):
    return [StoredFile(r["role"], r["path"], r["sha256"], r["size"])
            for r in conn.execute("SELECT * FROM files WHERE document_id = ? ORDER BY id", (document_id,))]


def _links(conn, document_id):
    found = []
    for outgoing, mine, other in ((True, "document_id", "target_id"), (False, "target_id", "document_id")):
        for r in conn.execute(f"SELECT l.kind, d.id, d.number, d.symbol, d.date FROM links l JOIN documents d"
                              f" ON d.id = l.{other} WHERE l.{mine} = ? ORDER BY d.id", (document_id,)):
            found.append(Link(r["kind"], outgoing, r["id"], str(DocumentNumber(r["number"], r["symbol"])), r["date"]))
    return found


def to_entry(conn, row):
    metadata = json.loads(row["metadata"])
    return Entry(to_document(row), row["series"], row["template"], row["title"], row["issuer_parent"], row["copy_holders"],
                 metadata.get("IssuedAmount"), metadata, _files(conn, row["id"]), _links(conn, row["id"]),
                 _withdrawal(conn, row["id"]))


def _withdrawal(conn, document_id):
    row = conn.execute("SELECT reason, at FROM withdrawals WHERE document_id = ?", (document_id,)).fetchone()
    return f"Đã thu hồi ngày {row[1][8:10]}/{row[1][5:7]}/{row[1][:4]}: {row[0]}" if row else ""


def select(conn, direction=None, year=None, after_id=0):
    """Rows in register order: by year, series, number."""
    clauses, args = ["id > ?"], [after_id]
    if direction:
        clauses.append("direction = ?")
        args.append(direction)
    if year:
        clauses.append("year = ?")
        args.append(year)
    return conn.execute(f"SELECT * FROM documents WHERE {' AND '.join(clauses)} ORDER BY year, direction, series, serial", args)


def documents(home=None, direction=None, year=None, after_id=0):
    """Every archived document (văn bản lưu trữ), for the search index and others.

    ``after_id`` gives only documents stored after that one (incremental indexing).
    """
    with opened(home) as archive:
        for row in select(archive.conn, direction, year, after_id).fetchall():
            yield to_document(row)


def documents_by_id(conn, ids):
    """The documents with these ids that are still in the register (a deleted row is left out)."""
    ids, found = list(ids), []
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found += [to_document(row) for row in conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk)]
    return found


def entries(conn, direction=None, year=None):
    return [to_entry(conn, row) for row in select(conn, direction, year).fetchall()]


def find(conn, text, year=None, direction=None):
    """Entries whose number is ``text``: ``4482/SYT-VP`` (spacing and case free) or a bare ``4482``."""
    text = str(text).strip()
    if "/" in text:
        clause, args = "number_key = ?", [DocumentNumber.parse(text).key]
    elif text.isdigit():
        clause, args = "(number = ? AND direction = 'out') OR (arrival_number = ? AND direction = 'in')", [int(text)] * 2
    else:
        raise VanthuError(f"'{text}' không phải số văn bản (ví dụ 4482/SYT-VP hoặc 4482)")
    query = f"SELECT * FROM documents WHERE ({clause})"
    for name, value in (("year", year), ("direction", direction)):
        if value:
            query += f" AND {name} = ?"
            args.append(value)
    return [to_entry(conn, row) for row in conn.execute(query + " ORDER BY year, id", args).fetchall()]


def find_one(conn, text, year=None, direction=OUTGOING):
    """Exactly one document numbered ``text``, else a clear error."""
    found = find(conn, text, year, direction)
    if not found:
        where = f" năm {year}" if year else ""
        raise VanthuError(f"không có văn bản số {text}{where} trong sổ")
    if len(found) > 1:
        listed = "; ".join(f"{e.document.number} ngày {e.document.date:%d/%m/%Y}" for e in found)
        raise VanthuError(f"có {len(found)} văn bản số {text}: {listed}; thêm --year hoặc ghi đủ ký hiệu")
    return found[0]
