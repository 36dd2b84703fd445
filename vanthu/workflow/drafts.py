"""The drafts store (kho dự thảo): records saved before they are issued, in the archive database.

A draft keeps its record as the same YAML text ``vanthu check`` reads, so the
web app and the CLI share one format: a draft exports to a ``.yaml`` file and
a file imports as a draft. Every draft is checked before it is saved, so a
saved draft always renders. Its ``state`` says where it is in the workflow
(:data:`DRAFT` when written; :data:`ISSUED` once it has its number); the
workflow module adds the states between. Every change is an event in the log.
"""
import datetime as _dt
from dataclasses import dataclass

from .. import yamlfile
from ..archive import db
from ..archive.home import opened
from ..errors import Problem, VanthuError

DRAFT = "du-thao"          # being written (đang soạn)
ISSUED = "da-ban-hanh"     # numbered and archived (đã ban hành)
STATE_NAMES = {DRAFT: "Đang soạn", ISSUED: "Đã ban hành"}
EDITABLE = {DRAFT}         # states in which the text may still change; the workflow adds "returned"
ISSUABLE = set()           # states issued on paper; the workflow's one rule fills it (signoff.issuable_states)
MAX_RECORD = 1024 * 1024   # a draft's YAML text: a long document is 100 KB


@dataclass(frozen=True)
class Draft:
    """A saved draft (dự thảo): its record text, state, owner and place in the archive."""

    id: int
    template: str
    subject: str
    text: str          # the record, as YAML (định dạng bản ghi)
    state: str
    owner: str
    document_id: object
    revision: int
    created_at: str
    updated_at: str

    @property
    def data(self):
        """The record as plain data (mapping)."""
        return yamlfile.loads(self.text, self.source)

    @property
    def source(self):
        return f"du-thao-{self.id}"

    @property
    def state_name(self):
        return STATE_NAMES.get(self.state, self.state)

    @property
    def editable(self):
        return self.state in EDITABLE


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _draft(row):
    return Draft(row["id"], row["template"], row["subject"], row["record"], row["state"], row["owner"],
                 row["document_id"], row["revision"], row["created_at"], row["updated_at"])


def check(text, library=None, source="dự thảo"):
    """The checked :class:`~vanthu.generator.records.Record` of a draft's text; else every problem at once."""
    from ..generator.records import RecordReader
    if len(text.encode("utf-8")) > MAX_RECORD:
        raise VanthuError(Problem(f"dự thảo dài quá {MAX_RECORD // 1024} KB", source, 1))
    node = yamlfile.loads(text, source)
    if isinstance(node, list):
        raise VanthuError(Problem("một dự thảo là một bản ghi, không phải danh sách bản ghi", source, 1))
    return RecordReader(library).read(node, source)


def to_text(data):
    """The YAML text of a record given as data (from a web form)."""
    return yamlfile.dumps(data)


def create(text, owner, home=None, library=None):
    """Check ``text`` and save it as a new draft of ``owner``; returns the :class:`Draft`."""
    record = check(text, library)
    now = _now()
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            draft_id = archive.conn.execute(
                "INSERT INTO drafts (template, subject, record, state, owner, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (record.template.name, record.get("subject", ""), text, DRAFT, owner, now, now)).fetchone()[0]
            archive.log("draft-create", {"draft": draft_id, "template": record.template.name, "owner": owner})
        archive.remember_log_head()
    return get(draft_id, home)


def get(draft_id, home=None):
    """The draft numbered ``draft_id``, else a VanthuError."""
    with opened(home) as archive:
        row = archive.conn.execute("SELECT * FROM drafts WHERE id = ?", (_id(draft_id),)).fetchone()
    if row is None:
        raise VanthuError(f"không có dự thảo số {draft_id}")
    return _draft(row)


def _id(draft_id):
    try:
        return int(draft_id)
    except (TypeError, ValueError):
        raise VanthuError(f"'{draft_id}' không phải số dự thảo") from None


def listing(home=None, owner=None, states=None, limit=200):
    """Drafts, newest change first; only ``owner``'s, or only in ``states``, if given."""
    clauses, args = [], []
    if owner:
        clauses.append("owner = ?")
        args.append(owner)
    if states:
        clauses.append(f"state IN ({', '.join('?' * len(states))})")
        args += list(states)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with opened(home) as archive:
        rows = archive.conn.execute(f"SELECT * FROM drafts{where} ORDER BY updated_at DESC, id DESC LIMIT ?",
                                    (*args, limit)).fetchall()
    return [_draft(r) for r in rows]


def update(draft_id, text, by, home=None, library=None, revision=None):
    """Replace a draft's text (checked first). ``revision``: the one the editor started from;
    if someone saved in between, refuse rather than silently drop their changes."""
    record = check(text, library)
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            draft = locked(archive.conn, draft_id)
            if not draft.editable:
                raise VanthuError(f"dự thảo {draft.id} đang ở trạng thái '{draft.state_name}', không sửa được")
            if revision is not None and int(revision) != draft.revision:
                raise VanthuError(f"dự thảo {draft.id} vừa được người khác sửa (lần {draft.revision}); "
                                  "hãy mở lại để xem bản mới rồi sửa tiếp")
            archive.conn.execute("UPDATE drafts SET template = ?, subject = ?, record = ?, revision = revision + 1,"
                                 " updated_at = ? WHERE id = ?",
                                 (record.template.name, record.get("subject", ""), text, _now(), draft.id))
            archive.log("draft-update", {"draft": draft.id, "revision": draft.revision + 1, "by": by})
        archive.remember_log_head()
    return get(draft_id, home)


def locked(conn, draft_id):
    """The draft ``draft_id`` read inside the caller's write transaction (its state cannot change meanwhile)."""
    row = conn.execute("SELECT * FROM drafts WHERE id = ?", (_id(draft_id),)).fetchone()
    if row is None:
        raise VanthuError(f"không có dự thảo số {draft_id}")
    return _draft(row)


def copy(draft_id, by, home=None, library=None):
    """A new draft of ``by`` with the same text, without the number and date (bản sao để soạn tiếp)."""
    data = dict(get(draft_id, home).data)
    for key in ("number", "date"):
        data.pop(key, None)
    return create(to_text(data), by, home, library)


def set_state(draft_id, state, by, home=None, expect=None, note="", archive=None):
    """Move a draft to ``state``; ``expect``: the states it must be in now (else refused, nothing changes).

    Inside an open ``archive`` write (issuing) it joins that transaction.
    """
    if archive is not None:
        return move(archive, draft_id, state, by, expect, note)
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            move(archive, draft_id, state, by, expect, note)
        archive.remember_log_head()
    return get(draft_id, home)


def move(archive, draft_id, state, by, expect, note, document_id=None):
    """Move a draft to ``state`` (from one of ``expect``) and log it, inside ``archive``'s write."""
    draft = locked(archive.conn, draft_id)
    if expect is not None and draft.state not in expect:
        raise VanthuError(f"dự thảo {draft.id} đang ở trạng thái '{draft.state_name}'; không chuyển sang "
                          f"'{STATE_NAMES.get(state, state)}' được")
    archive.conn.execute("UPDATE drafts SET state = ?, document_id = coalesce(?, document_id), updated_at = ? WHERE id = ?",
                         (state, document_id, _now(), draft.id))
    archive.log("draft-state", {"draft": draft.id, "from": draft.state, "to": state, "by": by, "note": note},
                document_id=document_id)
    return draft


def refuse_unissuable(draft, home):
    """A clear error for a draft already issued (the rest of the rule: :mod:`.signoff`)."""
    if draft.state == ISSUED:
        raise VanthuError(f"dự thảo {draft.id} đã được ban hành ({issued_number(draft, home)}); "
                          "không ban hành lại (mỗi văn bản chỉ một số)")


def issued_number(draft, home=None):
    """``số 4482/SYT-VP`` of an issued draft, read from the archive."""
    from ..docnumber import DocumentNumber
    from ..vndate import short_date
    with opened(home) as archive:
        row = archive.conn.execute("SELECT number, symbol, (SELECT at FROM withdrawals WHERE document_id = d.id) AS"
                                   " withdrawn FROM documents d WHERE id = ?", (draft.document_id,)).fetchone()
    if row is None:
        return "số đã cấp"
    withdrawn = f", đã thu hồi ngày {short_date(_dt.date.fromisoformat(row['withdrawn'][:10]))}" if row["withdrawn"] else ""
    return f"số {DocumentNumber(row['number'], row['symbol'])}{withdrawn}"


def import_file(path, owner, home=None, library=None):
    """A YAML record file as a new draft (nhập bản ghi)."""
    with open(path, encoding="utf-8") as f:
        return create(f.read(), owner, home, library)
