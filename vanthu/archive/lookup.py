"""Looking up one archived document (tra cứu): its metadata, links, or a copy of its files."""
import datetime as _dt
from pathlib import Path

from ..errors import VanthuError
from ..files import write_atomic
from ..vndate import short_date
from . import access, catalog, readingcopy
from .finding import citations
from .document import INCOMING
from .home import Home, opened
from .numbering import is_secret_series
from .store import sha256_bytes


def show(text, home=None, year=None, secret=None, with_history=False):
    """What ``vanthu show`` prints: the card of every document numbered ``text`` (each view is logged).

    ``secret``: True for secret documents only, False for ordinary ones (a
    secret 01/SYT-VP and an ordinary 01/SYT-VP are numbered in separate books).
    ``with_history``: the document's log too (issue, views, downloads, prints, withdrawal).
    """
    with opened(home) as archive:
        found = catalog.find(archive.conn, text, year, secret=secret)
        for entry in found:
            access.record(archive, "view", entry.document.id, number=str(entry.document.number))
    if not found:
        kind = {True: "mật ", False: "thường "}.get(secret, "")
        raise VanthuError(f"không có văn bản {kind}số {text}{f' năm {year}' if year else ''} trong sổ")
    return "\n\n".join(describe(e) + _citation_lines(archive.home, e) + _signature_lines(archive.home, e)
                       + _handling_lines(archive.home, e) + (_history_lines(archive, e) if with_history else "")
                       for e in found)


def _history_lines(archive, entry):
    """Lịch sử: who did what to the document, and when (Phụ lục VI III.5.a, III.6.l)."""
    rows = access.history(archive.conn, archive.home.root, entry.document.id)
    lines = [f"  {access.local_time(at)}  {who}  {label}{f' ({note})' if note else ''}" for at, who, label, note in rows]
    return "\nLịch sử (xem, tải, in, thao tác):\n" + "\n".join(lines)


def _handling_lines(home, entry):
    """An incoming document's handling (giải quyết văn bản đến): who, until when, how far (issue 14)."""
    from .handling import handlings, receivers
    if entry.document.direction != INCOMING:
        return ""
    with opened(home.root) as archive:
        found = handlings(archive.conn, [entry.document.id]).get(entry.document.id)
    if found is None:
        return "\nGiải quyết: chưa giao (vanthu incoming assign)"
    due = short_date(found.deadline) if found.deadline else "không có"
    lines = [f"Giải quyết: {receivers(found)}; hạn {due}; {found.progress(_dt.date.today())}"]
    lines += [f"Ý kiến chỉ đạo: {found.instructions}"] if found.instructions else []
    lines += [f"Văn bản trả lời: {found.reply}"] if found.reply else []
    return "".join(f"\n{line}" for line in lines)


def _signature_lines(home, entry):
    """Every digital signature of the document's PDF, validated now (:mod:`vanthu.signing.inspect`)."""
    from ..signing.inspect import file_lines
    lines = [line for f in entry.files if f.path.lower().endswith(".pdf")
             for line in file_lines(home.root, home.root / f.path)]
    return "".join(f"\n{line}" for line in lines)


def entry_by_id(document_id, home=None):
    """One archived document by its id (the web app's /van-ban/<id>), with files and links."""
    with opened(home) as archive:
        row = archive.conn.execute("SELECT * FROM documents WHERE id = ?", (int(document_id),)).fetchone()
        if row is None:
            raise VanthuError(f"không có văn bản mã {document_id} trong kho")
        return catalog.to_entry(archive.conn, row)


def history(document_id, home=None):
    """The log entries about a document (lịch sử): issue, import, what the workflow recorded, every view,
    download and print (with the spooled ones): dicts of time, user, action, label, note."""
    with opened(home) as archive:
        rows = access.history(archive.conn, archive.home.root, int(document_id))
    return [{"time": at, "user": who, "action": label, "label": label, "note": note} for at, who, label, note in rows]


def file_roles(document_ids, home=None):
    """``{id: {"pdf", "docx", …}}``: the kinds of file each document still keeps (a search result's "Mở PDF")."""
    ids = [int(i) for i in document_ids]
    roles = {i: set() for i in ids}
    for row in _rows_for(ids, "SELECT document_id, role FROM files WHERE document_id IN ({ids})"
                              " AND id NOT IN (SELECT file_id FROM destroyed_files)", home):
        roles[row["document_id"]].add(row["role"])
    return roles


def _rows_for(ids, query, home):
    """The rows of ``query`` for ``ids`` (``{ids}`` stands for their placeholders); none for no ids."""
    if not ids:
        return []
    with opened(home) as archive:
        return archive.conn.execute(query.format(ids=", ".join("?" * len(ids))), ids).fetchall()


def readable_pdf(entry, home=None):
    """``(pdf bytes, made_now)``: the document to read as PDF: its stored PDF (re-hashed), else a reading copy
    converted from its DOCX (an incoming document received as DOCX): not stored, cached by the DOCX's checksum."""
    kept = {f.role: f for f in entry.files}
    if "pdf" in kept:
        return checked_bytes(home, kept["pdf"]), False
    if "docx" not in kept:
        have = ", ".join(sorted(kept)) or "không có tệp nào"
        raise VanthuError(f"văn bản {entry.document.number} không có tệp PDF hay DOCX để xem ({have})")
    home, docx = Home.locate(home), kept["docx"]
    return readingcopy.pdf_of(home, docx.sha256, _checked_bytes(home, docx)), True  # re-hashed before any cached copy


def confidentiality(document_ids, home=None):
    """``{id: độ mật}`` of those of ``document_ids`` that are secret (to hide their content from others)."""
    rows = _rows_for([int(i) for i in document_ids], "SELECT id, confidentiality FROM documents WHERE id IN ({ids})"
                     " AND confidentiality IS NOT NULL AND confidentiality != ''", home)
    return {r["id"]: r["confidentiality"] for r in rows}


def metadata_lines(entry):
    """``SignerInfo.FullName: …`` lines of the filled Phụ lục VI fields."""
    return _flatten(entry.metadata)


def ids_of(numbers, home=None):
    """``[(number, id or None)]``: where each number is in the archive (its first match), to link to it."""
    with opened(home) as archive:
        return [(n, next((e.document.id for e in catalog.find(archive.conn, n)), None)) for n in numbers]


def citations_of(entry, home=None):
    """(numbers this document cites, numbers of archived documents citing it), from the index."""
    return citations(home, entry.document.number)


def copy_files(text, home=None, year=None, out=None, secret=None):
    """What ``vanthu show -o OUT`` does: copy the one document's files out; their paths."""
    with opened(home) as archive:
        archive.home.refuse_output(out)
        entry = catalog.find_one(archive.conn, text, year, direction=None, secret=secret)
        copied = copy_out(archive.home, entry, Path(out))
        access.record(archive, "download", entry.document.id, number=str(entry.document.number),
                      what=", ".join(Path(p).name for p in copied))
        return copied


def _citation_lines(home, entry):
    """Viện dẫn: the numbers this document cites, and the archived documents citing it (from the index)."""
    cites, cited_by = citations(home.root, entry.document.number)
    lines = [f"Văn bản này dẫn chiếu: {', '.join(cites)}"] if cites else []
    lines += [f"Được dẫn chiếu bởi: {', '.join(cited_by)}"] if cited_by else []
    return "".join(f"\n{line}" for line in lines)


def describe(entry):
    """A document's card (phiếu): register fields, links, files with checksums."""
    d = entry.document
    lines = [f"Số, ký hiệu: {d.number}", f"Ngày: {short_date(d.date)}", f"Tên loại và trích yếu: {entry.title}",
             f"Cơ quan ban hành: {d.issuer_name}"]
    if d.direction == INCOMING:
        book = " (sổ mật đến)" if is_secret_series(entry.series) else ""
        lines[0:0] = [f"Văn bản đến số {d.arrival_number}{book}, ngày đến {short_date(d.arrival_date)}"]
    else:
        lines[0:0] = [f"Văn bản đi ({entry.series.name})"]
        lines += [f"Người ký: {d.signer_title} {d.signer}".rstrip(), f"Nơi nhận: {'; '.join(d.recipients)}"]
    if is_secret_series(entry.series) or d.is_secret:
        lines[0:0] = [f"*** VĂN BẢN MẬT ({(d.confidentiality or 'mật').upper()}) ***"]
    lines += [f"{label}: {value}" for label, value in (("Độ mật", d.confidentiality), ("Độ khẩn", d.urgency)) if value]
    lines += [f"{link.label} {link.other_number} ngày {short_date(_date(link.other_date))}" for link in entry.links]
    lines += [f"Tình trạng: {entry.withdrawal} (đã đóng băng: không sửa, thêm, xóa được)"] if entry.withdrawal else []
    lines += [f"Tệp {f.label}: {f.path} (SHA-256 {f.sha256})" for f in entry.files]
    lines += [f"Tệp {f.role.upper()} đã hủy theo lệnh thu hồi: {f.path} (SHA-256 {f.sha256}, giữ để đối chiếu)"
              for f in entry.destroyed]
    lines += ["Thông tin đầu vào (Phụ lục VI):"] + [f"  {line}" for line in _flatten(entry.metadata)]
    return "\n".join(lines)


def _flatten(value, prefix=""):
    """``SignerInfo.FullName: Phan Huy Anh Vũ`` lines for the filled fields."""
    if isinstance(value, dict):
        return [line for key, inner in value.items() for line in _flatten(inner, f"{prefix}{key}.")]
    if isinstance(value, list):
        return [line for i, inner in enumerate(value, 1) for line in _flatten(inner, f"{prefix[:-1]}[{i}].")]
    return [f"{prefix[:-1]}: {value}"] if value not in (None, "") else []


def _date(text):
    return _dt.date.fromisoformat(text)


def copy_out(home, entry, out):
    """Copy the document's files: into ``out`` if it is a folder, else the one file ``out`` names."""
    if out.is_dir():
        if not entry.files and entry.destroyed:
            raise VanthuError(f"các tệp của văn bản {entry.document.number} đã bị hủy theo lệnh thu hồi; không còn để chép ra")
        targets = [(f, out / Path(f.path).name) for f in entry.files]
    else:
        role = out.suffix.lower().lstrip(".")
        if not role:
            raise VanthuError(f"-o {out}: cần một tệp .docx, .pdf hoặc một thư mục có sẵn")
        chosen = [f for f in entry.files if f.role == role]
        if not chosen and any(f.role == role for f in entry.destroyed):
            raise VanthuError(f"tệp .{role} của văn bản {entry.document.number} đã bị hủy theo lệnh thu hồi "
                              f"({entry.withdrawal}); không còn để chép ra")
        if not chosen:
            have = ", ".join(f.role for f in entry.files)
            raise VanthuError(f"văn bản {entry.document.number} không có tệp .{role} (có: {have})")
        targets = [(chosen[0], out)]
    for stored, target in targets:
        home.refuse_output(target)
    for stored, target in targets:
        write_atomic(target, _checked_bytes(home, stored), mode=0o644)  # writable; the stored file stays read-only
    return [str(target) for _, target in targets]


def checked_bytes(home, stored):
    """The stored file's bytes for handing out (download, print), re-hashed first."""
    return _checked_bytes(Home.locate(home), stored)


def _checked_bytes(home, stored):
    """The stored file's bytes, re-hashed: a file changed behind the archive's back is never handed out."""
    try:
        data = (home.root / stored.path).read_bytes()
    except FileNotFoundError:
        raise VanthuError(f"thiếu tệp lưu trữ {stored.path}; chạy 'vanthu verify'") from None
    if sha256_bytes(data) != stored.sha256:
        raise VanthuError(f"tệp lưu trữ {stored.path} đã bị thay đổi (mã băm không khớp với sổ); "
                          "không chép ra. Chạy 'vanthu verify' và khôi phục tệp từ bản sao lưu")
    return data
