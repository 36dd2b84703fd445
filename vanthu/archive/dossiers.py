"""Hồ sơ (case files): open, file documents in order, close, list; Nghị định 30 Điều 29, Phụ lục VI III.4.

A hồ sơ is opened from the year's approved Danh mục hồ sơ (:mod:`.dossierplan`)
or outside it with its own title, code and retention (Điều 29.2.c). Issued,
incoming and draft documents are filed into it; a document may be in several
hồ sơ without a copy (Phụ lục VI III.4.e: a row of ``dossier_items``, never a
file). Order numbers are automatic: by the document's date, then by filing.
Closing is the review of Điều 29.4.b: drafts and duplicates out, retention
confirmed. A transferred hồ sơ (:mod:`.transfer`) is frozen: every change is
refused, and the refusal logged. Every change is an event in the hash-chained
log carrying the hồ sơ's seal (:mod:`.dossierseal`).
"""
import datetime as _dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

from ..docnumber import printed
from ..errors import VanthuError
from ..vndate import VietnameseDate, checked_year, parse_day
from . import catalog, db, dossierseal, events
from .home import opened

PLANNED, OPEN, CLOSED, TRANSFERRED = "ke-hoach", "dang-lap", "da-dong", "da-nop-luu"
STATE_NAMES = {PLANNED: "trong Danh mục, chưa mở", OPEN: "đang lập", CLOSED: "đã kết thúc",
               TRANSFERRED: "đã nộp lưu (đóng băng)"}
TRANSFER_DAYS = 30       # Phụ lục VI III.5.b: told 30 days before the hồ sơ is due
TRANSFER_MIN_YEARS = 5   # Điều 31.3.c: hồ sơ kept 5 years or more go to the agency archive
LANGUAGE = "Tiếng Việt"
DEFAULT_RIGHTS = "Công khai"
_CODE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-]*$")


@dataclass(frozen=True)
class Retention:
    """Thời hạn bảo quản: vĩnh viễn (``years`` None) or a number of years (Phụ lục V I.4)."""

    years: Optional[int] = None

    @classmethod
    def parse(cls, text):
        """``vinh-vien``, ``vĩnh viễn``, ``20`` or ``20 năm``; anything else is a clear error."""
        value = str(text).strip().lower()
        if value in ("vinh-vien", "vĩnh viễn", "vinh vien", "vv"):
            return cls(None)
        match = re.fullmatch(r"(\d{1,3})(\s*năm)?", value)
        if not match or not 1 <= int(match.group(1)) <= 100:
            raise VanthuError(f"thời hạn bảo quản '{text}' không hợp lệ: ghi vinh-vien hoặc số năm (1 đến 100), "
                              "ví dụ --retention 20")
        return cls(int(match.group(1)))

    @property
    def key(self):
        return "vinh-vien" if self.years is None else str(self.years)

    @property
    def printed(self):
        return "Vĩnh viễn" if self.years is None else f"{self.years} năm"

    @property
    def permanent(self):
        return self.years is None

    @property
    def transferable(self):
        """Nộp lưu vào Lưu trữ cơ quan: vĩnh viễn or 5 years and more (Điều 31.3.c)."""
        return self.permanent or self.years >= TRANSFER_MIN_YEARS


def checked_code(text):
    """Số và ký hiệu hồ sơ, e.g. ``01.TCCB``: FileNotation, at most 20 characters (Phụ lục VI Phần II III.1.3)."""
    code = str(text or "").strip()
    if not code or len(code) > 20 or not _CODE.match(code):
        raise VanthuError(f"số, ký hiệu hồ sơ '{code[:40]}' không hợp lệ: tối đa 20 ký tự chữ, số, dấu chấm, "
                          "gạch nối, ví dụ 01.TCCB")
    return code


@dataclass
class Item:
    """One document filed in a hồ sơ (văn bản trong hồ sơ), at its order number."""

    ordinal: int
    entry: object = None          # catalog.Entry of an issued or incoming document
    draft_id: Optional[int] = None
    draft_subject: str = ""
    added_at: str = ""
    added_by: str = ""

    @property
    def is_draft(self):
        return self.entry is None

    @property
    def date(self):
        return self.entry.document.date if self.entry else None

    @property
    def pages(self):
        """Số trang (PageAmount), as the archive recorded it; 1 when unknown."""
        pages = (self.entry.metadata or {}).get("PageAmount") if self.entry else None
        return pages if isinstance(pages, int) and pages > 0 else 1


@dataclass
class Dossier:
    """One hồ sơ as read from the archive."""

    id: int
    year: int
    code: str
    title: str
    retention: Retention
    keeper: str
    state: str
    in_plan: bool
    rights: str = DEFAULT_RIGHTS
    language: str = LANGUAGE
    description: str = ""
    opened_at: str = ""
    closed_at: str = ""
    transferred_at: str = ""
    heading_id: Optional[int] = None
    items: list = field(default_factory=list)

    @property
    def state_name(self):
        return STATE_NAMES[self.state]

    @property
    def documents(self):
        return [i for i in self.items if not i.is_draft]

    @property
    def page_total(self):
        return sum(i.pages for i in self.documents)

    @property
    def start_date(self):
        """Thời gian bắt đầu: the earliest document's date, else the day it was opened."""
        dates = [i.date for i in self.documents]
        return min(dates) if dates else _day(self.opened_at)

    @property
    def end_date(self):
        """Thời gian kết thúc: the latest document's date (a hồ sơ still open has none yet)."""
        dates = [i.date for i in self.documents]
        return max(dates) if dates and self.state in (CLOSED, TRANSFERRED) else None

    @property
    def due(self):
        """Hạn nộp lưu: one year after the work ended (closed), Điều 30.2.b; None if it stays with the unit."""
        if self.state != CLOSED or not self.retention.transferable or not self.closed_at:
            return None
        closed = _day(self.closed_at)
        return VietnameseDate.of(_one_year_after(closed))

    def line(self):
        """One line of ``vanthu dossier list``."""
        due = f"; hạn nộp lưu {self.due.short}" if self.due else ""
        return (f"{self.code:<12} {self.year}  {self.title}  [{self.retention.printed}; {self.keeper or 'chưa rõ người lập'};"
                f" {len(self.documents)} văn bản; {self.state_name}{due}]")


def _day(text):
    return VietnameseDate.fromisoformat(text[:10]) if text else None


def _one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year + 1, day=28)


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# --- reading --------------------------------------------------------------------------


def to_dossier(conn, row):
    """A :class:`Dossier` with its items, from a ``dossiers`` row."""
    dossier = Dossier(row["id"], row["year"], row["code"], row["title"], Retention.parse(row["retention"]),
                      row["keeper"], row["state"], bool(row["in_plan"]), row["rights"] or DEFAULT_RIGHTS,
                      row["language"] or LANGUAGE, row["description"], row["opened_at"], row["closed_at"],
                      row["transferred_at"], row["heading_id"])
    dossier.items = _items(conn, row["id"])
    return dossier


def _items(conn, dossier_id):
    items = []
    for r in conn.execute("SELECT i.*, dr.subject AS draft_subject FROM dossier_items i LEFT JOIN drafts dr"
                          " ON dr.id = i.draft_id WHERE i.dossier_id = ? ORDER BY i.ordinal", (dossier_id,)):
        entry = None
        if r["document_id"] is not None:
            entry = catalog.to_entry(conn, conn.execute("SELECT * FROM documents WHERE id = ?",
                                                        (r["document_id"],)).fetchone())
        items.append(Item(r["ordinal"], entry, r["draft_id"], r["draft_subject"] or "", r["added_at"], r["added_by"]))
    return items


def find_row(conn, code, year=None):
    """The ``dossiers`` row of ``code`` (and ``year``), else a clear error."""
    code, year = checked_code(code), checked_year(year)
    query, args = "SELECT * FROM dossiers WHERE code = ?", [code]
    if year:
        query += " AND year = ?"
        args.append(year)
    rows = conn.execute(query + " ORDER BY year", args).fetchall()
    if not rows:
        raise VanthuError(f"không có hồ sơ {code}{f' năm {year}' if year else ''}; xem 'vanthu dossier list'")
    if len(rows) > 1:
        years = ", ".join(str(r["year"]) for r in rows)
        raise VanthuError(f"có hồ sơ {code} trong các năm {years}; thêm --year")
    return rows[0]


def load(code, home=None, year=None):
    """One hồ sơ with its documents."""
    with opened(home) as archive:
        return to_dossier(archive.conn, find_row(archive.conn, code, year))


def load_by_id(dossier_id, home=None):
    """One hồ sơ by its id (the web app's /ho-so/<id>)."""
    with opened(home) as archive:
        row = archive.conn.execute("SELECT * FROM dossiers WHERE id = ?", (int(dossier_id),)).fetchone()
        if row is None:
            raise VanthuError(f"không có hồ sơ mã {dossier_id}")
        return to_dossier(archive.conn, row)


def listing(home=None, year=None, due=False, today=None, days=TRANSFER_DAYS):
    """Every hồ sơ (of ``year``); ``due``: those to transfer within ``days`` days of ``today`` (Phụ lục VI III.5.b)."""
    year = checked_year(year)
    with opened(home) as archive:
        query, args = "SELECT * FROM dossiers", []
        if year:
            query, args = query + " WHERE year = ?", [year]
        found = [to_dossier(archive.conn, r) for r in archive.conn.execute(query + " ORDER BY year, position, code",
                                                                           args).fetchall()]
    if not due:
        return found
    limit = (today or _dt.date.today()) + _dt.timedelta(days=days)
    return sorted((d for d in found if d.due and d.due <= limit), key=lambda d: (d.due, d.code))


def due_text(dossiers, today=None):
    """``vanthu dossier list --due``: each hồ sơ due for transfer, overdue ones marked."""
    today = today or _dt.date.today()
    if not dossiers:
        return f"Không có hồ sơ nào đến hạn nộp lưu trong {TRANSFER_DAYS} ngày tới."
    lines = [f"{len(dossiers)} hồ sơ đến hạn nộp lưu vào Lưu trữ cơ quan (trong {TRANSFER_DAYS} ngày tới):"]
    for d in dossiers:
        late = " - QUÁ HẠN" if d.due < today else ""
        lines.append(f"{d.line()}{late}")
    return "\n".join(lines)


def list_text(dossiers):
    if not dossiers:
        return "Chưa có hồ sơ nào (lập Danh mục: 'vanthu dossier plan TỆP.yaml'; mở hồ sơ: 'vanthu dossier open')."
    return "\n".join(d.line() for d in dossiers)


def holders(conn, document_id):
    """The hồ sơ a document is filed in: ``[(code, year, state)]``."""
    return [tuple(r) for r in conn.execute("SELECT d.code, d.year, d.state FROM dossier_items i JOIN dossiers d"
                                           " ON d.id = i.dossier_id WHERE i.document_id = ? ORDER BY d.year, d.code",
                                           (document_id,))]


def refuse_if_frozen(conn, document_id, what="sửa"):
    """For every change to a document (withdrawal, …): refused while it is in a transferred hồ sơ."""
    frozen = [f"{code} năm {year}" for code, year, state in holders(conn, document_id) if state == TRANSFERRED]
    if frozen:
        raise VanthuError(f"không {what} được: văn bản nằm trong hồ sơ đã nộp lưu {', '.join(frozen)} "
                          "(đã đóng băng, Phụ lục VI IV.1.g)")


# --- writing ------------------------------------------------------------------------


class FrozenDossier(VanthuError):
    """A change to a transferred hồ sơ: refused, and the refusal logged."""

    def __init__(self, row, attempted):
        self.detail = {"dossier": row["id"], "code": row["code"], "year": row["year"], "attempted": attempted}
        super().__init__(f"hồ sơ {row['code']} năm {row['year']} đã nộp lưu vào Lưu trữ cơ quan ngày "
                         f"{_day(row['transferred_at']).short}, đã đóng băng: không {attempted} được "
                         "(Điều 30; Phụ lục VI IV.1.g). Việc từ chối này được ghi vào nhật ký")


@contextmanager
def changing(home):
    """One all-or-nothing change of hồ sơ, its log head saved after the commit; a refused frozen change is logged."""
    with opened(home) as archive:
        if archive.read_only:
            raise VanthuError(f"kho {archive.home.root} chỉ đọc: không lập, sửa hồ sơ được")
        try:
            with db.write_transaction(archive.conn):
                yield archive
        except FrozenDossier as refused:
            with db.write_transaction(archive.conn):
                events.append(archive.conn, "dossier-refused", refused.detail, head=events.read_head(archive.home.log_head))
            archive.remember_log_head()
            raise
        archive.remember_log_head()


def log(archive, action, dossier_id, detail=None):
    """An event about one hồ sơ, sealing its row and items as they now stand."""
    row = archive.conn.execute("SELECT code, year FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
    detail = {**(detail or {}), "dossier": dossier_id, "code": row["code"], "year": row["year"],
              "dossier_row": dossierseal.of_dossier(archive.conn, dossier_id)}
    return events.append(archive.conn, action, detail, head=events.read_head(archive.home.log_head))


def _writable(row, attempted):
    if row["state"] == TRANSFERRED:
        raise FrozenDossier(row, attempted)


def open_dossier(code, home=None, *, title=None, retention=None, year=None, keeper=None, rights=None, today=None):
    """``vanthu dossier open``: a hồ sơ of the approved Danh mục, or one outside it (Điều 29.2)."""
    code, year = checked_code(code), checked_year(year) or (today or _dt.date.today()).year
    with changing(home) as archive:
        row = archive.conn.execute("SELECT * FROM dossiers WHERE year = ? AND code = ?", (year, code)).fetchone()
        if row is None:
            dossier_id = _open_outside(archive.conn, code, year, title, retention, keeper, rights)
        else:
            _writable(row, "mở lại hồ sơ")
            dossier_id = _open_planned(archive.conn, row, title, retention, keeper, rights)
        log(archive, "dossier-open", dossier_id)
        return to_dossier(archive.conn, archive.conn.execute("SELECT * FROM dossiers WHERE id = ?",
                                                             (dossier_id,)).fetchone())


def _open_outside(conn, code, year, title, retention, keeper, rights):
    """Điều 29.2.c: outside the Danh mục the clerk gives title, code, retention, keeper; it starts now."""
    missing = [name for name, value in (("--title", title), ("--retention", retention)) if not value]
    if missing:
        raise VanthuError(f"hồ sơ {code} không có trong Danh mục hồ sơ năm {year}: mở hồ sơ ngoài Danh mục cần "
                          f"{' và '.join(missing)} (Điều 29.2.c)")
    title = _title(title)
    cursor = conn.execute("INSERT INTO dossiers (year, code, position, in_plan, title, retention, keeper, rights, language,"
                          " state, opened_at) VALUES (?, ?, 100000, 0, ?, ?, ?, ?, ?, ?, ?)",
                          (year, code, title, Retention.parse(retention).key, (keeper or events.actor()).strip()[:30],
                           (rights or DEFAULT_RIGHTS)[:30], LANGUAGE, OPEN, _now()))
    return cursor.lastrowid


def _open_planned(conn, row, title, retention, keeper, rights):
    if row["state"] != PLANNED:
        raise VanthuError(f"hồ sơ {row['code']} năm {row['year']} đã mở ({STATE_NAMES[row['state']]})")
    plan = conn.execute("SELECT state FROM dossier_plans WHERE year = ?", (row["year"],)).fetchone()
    if plan is None or plan["state"] != "da-duyet":
        raise VanthuError(f"Danh mục hồ sơ năm {row['year']} chưa được duyệt (Điều 28): duyệt bằng "
                          f"'vanthu dossier approve {row['year']} --by \"…\"' rồi mới mở hồ sơ theo Danh mục")
    conn.execute("UPDATE dossiers SET state = ?, opened_at = ?, title = ?, retention = ?, keeper = ?, rights = ?,"
                 " language = ? WHERE id = ?",
                 (OPEN, _now(), _title(title) if title else row["title"],
                  Retention.parse(retention).key if retention else row["retention"],
                  (keeper or row["keeper"] or events.actor()).strip()[:30], (rights or DEFAULT_RIGHTS)[:30], LANGUAGE,
                  row["id"]))
    return row["id"]


def _title(text):
    title = " ".join(str(text or "").split())
    if not title or len(title) > 500:
        raise VanthuError("tiêu đề hồ sơ phải có, tối đa 500 ký tự (Title, Phụ lục VI Phần II mục III)")
    return title


def add(code, numbers, home=None, *, year=None, drafts=(), doc_year=None):
    """``vanthu dossier add``: file documents (by number) and drafts (by id) into an open hồ sơ, in order.

    A document already in this hồ sơ is refused; in another hồ sơ it is simply
    filed here too (no copy is made). Returns the hồ sơ as it now stands.
    """
    if not numbers and not drafts:
        raise VanthuError("cần ít nhất một số văn bản (ví dụ 4482/SYT-VP) hoặc --draft ID")
    with changing(home) as archive:
        row = find_row(archive.conn, code, year)
        _writable(row, "thêm văn bản vào hồ sơ")
        _must_be_open(row, "thêm văn bản")
        documents = [_document_id(archive.conn, n, doc_year) for n in numbers]
        draft_ids = [_draft_id(archive.conn, d) for d in drafts]
        _refuse_twice(archive.conn, row, documents, draft_ids, numbers, drafts)
        _insert_items(archive.conn, row["id"], documents, draft_ids)
        log(archive, "dossier-add", row["id"], {"numbers": list(numbers), "drafts": [int(d) for d in draft_ids]})
        return to_dossier(archive.conn, row)


def _must_be_open(row, what):
    if row["state"] == PLANNED:
        raise VanthuError(f"hồ sơ {row['code']} chưa mở: mở bằng 'vanthu dossier open {row['code']} --year {row['year']}'")
    if row["state"] == CLOSED:
        raise VanthuError(f"hồ sơ {row['code']} năm {row['year']} đã kết thúc: không {what} được nữa")


def _document_id(conn, number, doc_year):
    entries = catalog.find(conn, number, doc_year)
    if not entries:
        raise VanthuError(f"không có văn bản số {number}{f' năm {doc_year}' if doc_year else ''} trong sổ")
    if len(entries) > 1:
        shown = "; ".join(f"{e.document.number} ({'đến' if e.document.direction == 'in' else 'đi'}) ngày "
                          f"{e.document.date.short}" for e in entries)
        raise VanthuError(f"có {len(entries)} văn bản số {number}: {shown}; ghi đủ số và ký hiệu hoặc thêm --doc-year")
    return entries[0].document.id


def _draft_id(conn, text):
    if not str(text).isdigit():
        raise VanthuError(f"mã dự thảo '{text}' không phải số")
    row = conn.execute("SELECT id FROM drafts WHERE id = ?", (int(text),)).fetchone()
    if row is None:
        raise VanthuError(f"không có dự thảo mã {text}")
    return row["id"]


def _refuse_twice(conn, row, documents, draft_ids, numbers, drafts):
    have = {r[0] for r in conn.execute("SELECT document_id FROM dossier_items WHERE dossier_id = ?", (row["id"],))}
    have_drafts = {r[0] for r in conn.execute("SELECT draft_id FROM dossier_items WHERE dossier_id = ?", (row["id"],))}
    twice = [str(n) for n, i in zip(numbers, documents) if i in have or documents.count(i) > 1]
    twice += [f"dự thảo {d}" for d, i in zip(drafts, draft_ids) if i in have_drafts or draft_ids.count(i) > 1]
    if twice:
        raise VanthuError(f"đã có trong hồ sơ {row['code']} (hoặc ghi hai lần): {', '.join(dict.fromkeys(twice))}; "
                          "không thêm gì")


def _insert_items(conn, dossier_id, documents, draft_ids):
    added, by = _now(), events.actor()
    old = [dict(r) for r in conn.execute("SELECT * FROM dossier_items WHERE dossier_id = ?", (dossier_id,))]
    new = [{"document_id": i, "draft_id": None, "added_at": added, "added_by": by} for i in documents]
    new += [{"document_id": None, "draft_id": i, "added_at": added, "added_by": by} for i in draft_ids]
    _renumber(conn, dossier_id, old + new)


def _renumber(conn, dossier_id, items):
    """Số thứ tự văn bản trong hồ sơ (DocOrdinal): by the document's date, then the order of filing (Điều 29.1.b)."""
    dates = _dates(conn, [i["document_id"] for i in items if i["document_id"] is not None])
    keyed = sorted(enumerate(items), key=lambda p: (dates.get(p[1]["document_id"], "9999"), p[1].get("ordinal") or 10**6,
                                                   p[0]))
    conn.execute("DELETE FROM dossier_items WHERE dossier_id = ?", (dossier_id,))
    for ordinal, (_, item) in enumerate(keyed, start=1):
        if ordinal > 999:
            raise VanthuError("một hồ sơ có tối đa 999 văn bản (DocOrdinal 3 chữ số, Phụ lục VI Phần II); mở hồ sơ mới")
        conn.execute("INSERT INTO dossier_items (dossier_id, ordinal, document_id, draft_id, added_at, added_by)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (dossier_id, ordinal, item["document_id"], item["draft_id"],
                                                    item["added_at"], item["added_by"]))


def _dates(conn, ids):
    return {r["id"]: r["date"] for r in conn.execute(
        f"SELECT id, date FROM documents WHERE id IN ({', '.join('?' * len(ids))})", ids)} if ids else {}


def remove(code, numbers, home=None, *, year=None, doc_year=None):
    """``vanthu dossier remove``: take documents out of an open hồ sơ (the document itself stays in the register)."""
    with changing(home) as archive:
        row = find_row(archive.conn, code, year)
        _writable(row, "bỏ văn bản khỏi hồ sơ")
        _must_be_open(row, "bỏ văn bản")
        ids = [_document_id(archive.conn, n, doc_year) for n in numbers]
        items = [dict(r) for r in archive.conn.execute("SELECT * FROM dossier_items WHERE dossier_id = ?", (row["id"],))]
        missing = [str(n) for n, i in zip(numbers, ids) if i not in {item["document_id"] for item in items}]
        if missing:
            raise VanthuError(f"không có trong hồ sơ {row['code']}: {', '.join(missing)}")
        _renumber(archive.conn, row["id"], [i for i in items if i["document_id"] not in ids])
        log(archive, "dossier-remove", row["id"], {"numbers": list(numbers)})
        return to_dossier(archive.conn, row)


@dataclass
class Review:
    """What closing a hồ sơ did (kết thúc hồ sơ, Điều 29.4.b)."""

    dossier: Dossier
    drafts_out: list = field(default_factory=list)      # draft subjects taken out
    duplicates_out: list = field(default_factory=list)  # numbers of duplicate copies taken out
    retention_before: Optional[Retention] = None

    def text(self):
        d = self.dossier
        lines = [f"Đã kết thúc hồ sơ {d.code} năm {d.year}: {d.title}",
                 f"{len(d.documents)} văn bản, {d.page_total} trang; từ {d.start_date.short if d.start_date else '…'} "
                 f"đến {d.end_date.short if d.end_date else '…'}"]
        if self.retention_before and self.retention_before != d.retention:
            lines.append(f"Thời hạn bảo quản: {d.retention.printed} (xác định lại, trước là {self.retention_before.printed})")
        else:
            lines.append(f"Thời hạn bảo quản: {d.retention.printed} (đã xác nhận)")
        lines += [f"Loại ra bản nháp: {', '.join(self.drafts_out)}"] if self.drafts_out else []
        lines += [f"Loại ra bản trùng: {', '.join(self.duplicates_out)}"] if self.duplicates_out else []
        if d.due:
            lines.append(f"Hạn nộp lưu vào Lưu trữ cơ quan: {d.due.short} (Điều 30.2.b)")
        return "\n".join(lines)


def close(code, home=None, *, year=None, retention=None, title=None, today=None):
    """``vanthu dossier close``: review (drafts, duplicates out), retention confirmed or changed, then closed."""
    with changing(home) as archive:
        row = find_row(archive.conn, code, year)
        _writable(row, "kết thúc lại hồ sơ")
        _must_be_open(row, "kết thúc lại")
        before = to_dossier(archive.conn, row)
        review = _review(archive.conn, before)
        closed_on = (today or _dt.date.today()).isoformat()
        archive.conn.execute("UPDATE dossiers SET state = ?, closed_at = ?, retention = ?, title = ? WHERE id = ?",
                             (CLOSED, closed_on, Retention.parse(retention).key if retention else row["retention"],
                              _title(title) if title else row["title"], row["id"]))
        review.retention_before = before.retention
        review.dossier = to_dossier(archive.conn, archive.conn.execute("SELECT * FROM dossiers WHERE id = ?",
                                                                       (row["id"],)).fetchone())
        if not review.dossier.documents:
            raise VanthuError(f"hồ sơ {row['code']} không có văn bản nào: không kết thúc được; thêm văn bản trước")
        log(archive, "dossier-close", row["id"], {"retention": review.dossier.retention.key,
                                                   "drafts_out": review.drafts_out, "duplicates_out": review.duplicates_out})
        return review


def _review(conn, dossier):
    """Drafts out (an issued draft is replaced by its document); duplicates (same content, same number) out."""
    review, kept, seen = Review(dossier), [], set()
    items = [dict(r) for r in conn.execute("SELECT * FROM dossier_items WHERE dossier_id = ? ORDER BY ordinal",
                                           (dossier.id,))]
    by_ordinal = {i.ordinal: i for i in dossier.items}
    for item in items:
        shown = by_ordinal[item["ordinal"]]
        if shown.is_draft:
            review.drafts_out.append(f"dự thảo {item['draft_id']} ({shown.draft_subject or 'không tên'})")
            continue
        key = _duplicate_key(shown.entry)
        if key in seen:
            review.duplicates_out.append(str(shown.entry.document.number))
            continue
        seen.add(key)
        kept.append(item)
    _renumber(conn, dossier.id, [{**i, "ordinal": None} for i in kept])
    return review


def _duplicate_key(entry):
    """Two records of one document (a copy received twice, the same content issued again) are duplicates."""
    d = entry.document
    return entry.content_hash or (d.number.key, d.date.isoformat(), " ".join(d.issuer_name.lower().split()))


# --- metadata (Phụ lục VI Phần II mục III) ---------------------------------------------


def metadata(dossier, organ_id=""):
    """The hồ sơ's fields with the decree's names (Phần II mục III), lengths as it fixes them."""
    return {
        "FileCode": {"OrganId": organ_id[:13], "FileCatalog": dossier.year, "FileNotation": dossier.code[:20]},
        "Title": dossier.title[:500],
        "Maintenance": dossier.retention.printed[:30],
        "Rights": dossier.rights[:30],
        "Creator": dossier.keeper[:30],
        "Language": dossier.language[:50],
        "StartDate": dossier.start_date.isoformat() if dossier.start_date else None,
        "EndDate": dossier.end_date.isoformat() if dossier.end_date else None,
        "DocTotal": len(dossier.documents),
        "PageTotal": dossier.page_total,
        "Description": dossier.description[:500],
    }


def item_metadata(dossier, item, organ_id=""):
    """One document's fields as filed in the hồ sơ: its own Phụ lục VI metadata, with FileCode and DocOrdinal set."""
    own = dict(item.entry.metadata or {})
    own["FileCode"] = {"OrganId": organ_id[:13], "FileCatalog": dossier.year, "FileNotation": dossier.code[:20]}
    own["DocOrdinal"] = item.ordinal
    return own


def page_starts(dossier):
    """Tờ số / trang số of each document in the hồ sơ: ``{ordinal: first page}``."""
    starts, page = {}, 1
    for item in dossier.documents:
        starts[item.ordinal] = page
        page += item.pages
    return starts


def cell_number(entry):
    """Số, ký hiệu văn bản as the Mục lục prints it (an incoming document: the sender's number)."""
    return str(entry.document.number)


def parse_today(text):
    """``--on DATE`` of the list and close commands (tests, a clerk looking ahead)."""
    return parse_day(text) if text else None
