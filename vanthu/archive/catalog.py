"""The catalogue (mục lục): documents as rows of the database and back.

Everything that reads the archive (register, show, search) goes through
here and gets :class:`~vanthu.archive.document.ArchivedDocument` values.
"""
import datetime as _dt
import json
from dataclasses import dataclass, field
from typing import Optional

from ..docnumber import MAX_NUMBER, ArrivalNumber, DocumentNumber, normalize_key
from ..errors import VanthuError
from ..vndate import VietnameseDate, checked_year
from .document import ArchivedDocument, INCOMING, OUTGOING
from .home import opened
from .numbering import Series, is_secret_series
from .store import StoredFile

LINK_NAMES = {  # (kind, seen from the new document?) -> Vietnamese label
    ("replaces", True): "Thay thế văn bản",
    ("replaces", False): "Bị thay thế bởi",
    ("corrects", True): "Đính chính văn bản",
    ("corrects", False): "Được đính chính bởi",
    ("copies", True): "Bản sao của văn bản",
    ("copies", False): "Có bản sao",
}


@dataclass(frozen=True)
class Link:
    """A link between two documents (thay thế, đính chính, Art. 18; bản sao, Art. 25)."""

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
    series: Series
    template: str = ""
    title: str = ""          # tên loại và trích yếu, as the register prints it
    issuer_parent: str = ""
    copy_holders: str = ""   # đơn vị, người nhận bản lưu
    copies: Optional[int] = None  # số lượng bản phát hành
    metadata: dict = field(default_factory=dict)  # Phụ lục VI
    content_hash: str = ""   # what the record says, to refuse issuing it twice (vanthu.archive.mistakes)
    files: list = field(default_factory=list)
    links: list = field(default_factory=list)
    withdrawal: str = ""     # "Đã thu hồi ngày ...: lý do" (Điều 18); the number stays
    received: Optional[tuple] = None  # incoming: (received at, how, by) from vanthu.archive.receipt
    handling: object = None           # incoming: its vanthu.archive.handling record, if assigned
    destroyed: list = field(default_factory=list)  # files destroyed on the sender's recall (III.8.b): checksums kept


def _date(text):
    return VietnameseDate.fromisoformat(text) if text else None


def to_document(row):
    return ArchivedDocument(
        id=row["id"], direction=row["direction"], number=DocumentNumber(row["number"], row["symbol"]),
        date=_date(row["date"]), type_name=row["type_name"], issuer_name=row["issuer_name"],
        issuer_code=row["issuer_code"], subject=row["subject"], body=row["body"], signer=row["signer"],
        signer_title=row["signer_title"], recipients=json.loads(row["recipients"]),
        confidentiality=row["confidentiality"], urgency=row["urgency"],
        arrival_number=ArrivalNumber.of(row["arrival_number"]), arrival_date=_date(row["arrival_date"]))


def insert(conn, entry, batch_token):
    """Store one entry's row; returns its id. Inside the write transaction."""
    row = stored_fields(entry, batch_token)
    cursor = conn.execute(f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) RETURNING id",
                          list(row.values()))
    entry.document.id = cursor.fetchone()[0]
    return entry.document.id


def stored_fields(entry, batch_token):
    """Column -> value of an entry's row: the one place a document's stored fields are written from."""
    d = entry.document
    return {
        "direction": d.direction, "year": entry.series.year, "series": entry.series.key, "serial": d.serial,
        "number": d.number.number, "symbol": d.number.symbol, "number_key": d.number.key, "date": d.date.isoformat(),
        "template": entry.template, "title": entry.title, "type_name": d.type_name, "issuer_name": d.issuer_name,
        "issuer_key": normalize_key(d.issuer_name), "issuer_code": d.issuer_code, "issuer_parent": entry.issuer_parent,
        "subject": d.subject, "body": d.body, "signer": d.signer, "signer_title": d.signer_title,
        "recipients": _json(d.recipients), "copy_holders": entry.copy_holders, "copies": entry.copies,
        "confidentiality": d.confidentiality, "urgency": d.urgency, "arrival_number": d.arrival_number,
        "arrival_date": d.arrival_date.isoformat() if d.arrival_date else None, "metadata": _json(entry.metadata),
        "content_hash": entry.content_hash, "batch": batch_token,
        "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(),
    }


def set_metadata(conn, entry):
    """Store the Phụ lục VI metadata, known once the files are made (their page count)."""
    conn.execute("UPDATE documents SET metadata = ? WHERE id = ?", (_json(entry.metadata), entry.document.id))


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def insert_file(conn, document_id, stored):
    conn.execute("INSERT INTO files (document_id, role, path, sha256, size) VALUES (?, ?, ?, ?, ?)",
                 (document_id, stored.role, stored.path, stored.sha256, stored.size))


def insert_link(conn, document_id, kind, target_id):
    conn.execute("INSERT INTO links (document_id, kind, target_id) VALUES (?, ?, ?)", (document_id, kind, target_id))


def _files(conn, document_id):
    """The files still in the store (those destroyed on a recall are :attr:`Entry.destroyed`)."""
    return [StoredFile(r["role"], r["path"], r["sha256"], r["size"])
            for r in conn.execute("SELECT * FROM files WHERE document_id = ? AND id NOT IN"
                                  " (SELECT file_id FROM destroyed_files) ORDER BY id", (document_id,))]


def _destroyed(conn, document_id):
    return [StoredFile(r["role"], r["path"], r["sha256"], r["size"])
            for r in conn.execute("SELECT f.* FROM files f JOIN destroyed_files x ON x.file_id = f.id"
                                  " WHERE f.document_id = ? ORDER BY f.id", (document_id,))]


def _links(conn, document_id):
    found = []
    for outgoing, mine, other in ((True, "document_id", "target_id"), (False, "target_id", "document_id")):
        for r in conn.execute(f"SELECT l.kind, d.id, d.number, d.symbol, d.date FROM links l JOIN documents d"
                              f" ON d.id = l.{other} WHERE l.{mine} = ? ORDER BY d.id", (document_id,)):
            found.append(Link(r["kind"], outgoing, r["id"], str(DocumentNumber(r["number"], r["symbol"])), r["date"]))
    return found


def to_entry(conn, row):
    return Entry(to_document(row), Series.parse(row["direction"], row["year"], row["series"]), row["template"],
                 row["title"], row["issuer_parent"], row["copy_holders"], row["copies"], json.loads(row["metadata"]),
                 row["content_hash"], _files(conn, row["id"]), _links(conn, row["id"]), _withdrawal(conn, row["id"]),
                 destroyed=_destroyed(conn, row["id"]))


def _withdrawal(conn, document_id):
    row = conn.execute("SELECT reason, at FROM withdrawals WHERE document_id = ?", (document_id,)).fetchone()
    return withdrawal_note(row[0], row[1]) if row else ""


def refuse_if_frozen(conn, document_id, doing):
    """A withdrawn document is frozen (Phụ lục VI III.8.a): ``doing`` is refused, naming the withdrawal.

    The database refuses it too (migration 9's triggers); this says why in Vietnamese first.
    """
    row = conn.execute("SELECT w.reason, w.at, d.number, d.symbol FROM withdrawals w JOIN documents d"
                       " ON d.id = w.document_id WHERE w.document_id = ?", (document_id,)).fetchone()
    if row:
        raise VanthuError(f"văn bản {DocumentNumber(row['number'], row['symbol'])} đã thu hồi ngày "
                          f"{VietnameseDate.fromisoformat(row['at'][:10]).short} và đã đóng băng: không {doing} được")


def destroyed_files(conn, document_id):
    """``{path: (reason, at, person)}`` of a document's files destroyed on a recall (III.8.b)."""
    return {r["path"]: (r["reason"], r["at"], r["person"]) for r in conn.execute(
        "SELECT f.path, x.reason, x.at, x.person FROM destroyed_files x JOIN files f ON f.id = x.file_id"
        " WHERE f.document_id = ?", (document_id,))}


def withdrawal_note(reason, at):
    """``Đã thu hồi ngày 06/8/2020: lý do`` (Điều 18): the register's Ghi chú, the card, a search result."""
    return f"Đã thu hồi ngày {VietnameseDate.fromisoformat(at[:10]).short}: {reason}"


LATER = {"replaces": "Bị thay thế bởi văn bản số", "corrects": "Được đính chính bởi văn bản số"}


def statuses(conn, document_ids):
    """``{document id: [status lines]}``: withdrawn; replaced or corrected by a later document (Điều 18)."""
    ids, marks = list(document_ids), {}
    where = ", ".join("?" * len(ids))
    if not ids:
        return marks
    for row in conn.execute(f"SELECT document_id, reason, at FROM withdrawals WHERE document_id IN ({where})", ids):
        marks.setdefault(row[0], []).append(withdrawal_note(row[1], row[2]))
    for row in conn.execute(f"SELECT l.target_id, l.kind, d.number, d.symbol FROM links l JOIN documents d"
                            f" ON d.id = l.document_id WHERE l.target_id IN ({where}) AND l.kind IN ('replaces', 'corrects')"
                            " ORDER BY d.id", ids):  # a copy changes nothing about its original's validity
        marks.setdefault(row[0], []).append(f"{LATER.get(row[1], row[1])} {DocumentNumber(row[2], row[3])}")
    return marks


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


def find(conn, text, year=None, direction=None, secret=None):
    """Entries whose number is ``text``: ``4482/SYT-VP`` (spacing and case free) or a bare ``4482``.

    ``secret``: True for the secret books only, False for the ordinary ones, None for both.
    """
    text, year = str(text).strip(), checked_year(year)
    if text.isdigit() and int(text) > MAX_NUMBER or len(text) > 200:
        raise VanthuError(f"'{text[:40]}' không phải số văn bản nào trong sổ (số quá lớn hoặc quá dài)")
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
    rows = conn.execute(query + " ORDER BY year, id", args).fetchall()
    return [to_entry(conn, row) for row in rows if secret is None or is_secret_series(row["series"]) == secret]


def find_one(conn, text, year=None, direction=OUTGOING, secret=None):
    """Exactly one document numbered ``text``, else a clear error."""
    found = find(conn, text, year, direction, secret)
    if not found:
        where = f" năm {year}" if year else ""
        raise VanthuError(f"không có văn bản {'mật ' if secret else ''}số {text}{where} trong sổ")
    if len(found) > 1:
        listed = "; ".join(f"{e.document.number}{' (mật)' if is_secret_series(e.series) else ''} ngày "
                           f"{e.document.date.short}" for e in found)
        both = {is_secret_series(e.series) for e in found} == {True, False}
        hint = "thêm --secret (văn bản mật) hoặc --not-secret" if both else "thêm --year hoặc ghi đủ ký hiệu"
        raise VanthuError(f"có {len(found)} văn bản số {text}: {listed}; {hint}")
    return found[0]
