"""The pages that read the archive: what waits for me, search, a document, the registers, incoming, help."""
import datetime as _dt
import io
import os
import re
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from markupsafe import Markup, escape

from ..archive import access, lookup, people
from ..archive.document import INCOMING, OUTGOING
from ..archive.store import safe_name
from ..errors import VanthuError
from ..vndate import short_date
from ..workflow import drafts, signoff
from .auth import home, may_see_secret, roles_required

blueprint = Blueprint("pages", __name__)
PAGE_SIZE = 20
SECRET_SUBJECT = "(văn bản mật: chỉ người được phép mới xem được trích yếu)"
REGISTER_ROLES = (people.CLERK, people.LEADER)
DIRECTIONS = {"di": OUTGOING, "den": INCOMING}


@blueprint.app_template_filter("ngay")
def _ngay(value):
    if not value:
        return ""
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return short_date(value)


@blueprint.app_template_filter("combine")
def _combine(mapping, **more):
    return {**mapping, **more}


@blueprint.route("/")
def dashboard():
    """What waits for me (việc của tôi), by my roles."""
    me = g.person
    boxes = []
    if me.has(people.DRAFTER, people.CLERK, people.LEADER):
        boxes.append(("Dự thảo của tôi", drafts.listing(home(), owner=me.username, states=sorted(drafts.EDITABLE))))
    mine = [d for d in signoff.waiting_for(me.username, home()) if d.state != signoff.SIGNED]
    if mine or me.has(people.LEADER):
        boxes.append(("Chờ tôi duyệt, ký", mine))
    if me.has(people.CLERK):
        ready = sorted(drafts.ISSUABLE | {signoff.SIGNED})
        boxes.append(("Dự thảo chờ văn thư ban hành", drafts.listing(home(), states=ready)))
    incoming = _recent_incoming() if me.has(people.CLERK, people.LEADER) else None
    return render_template("dashboard.html", boxes=boxes, incoming=incoming)


def _recent_incoming():
    from ..archive.finding import search
    try:
        return search(home(), "huong:den", limit=10).results
    except VanthuError:
        return []


# --- search --------------------------------------------------------------------

def _query():
    """The search text from the page's fields (the direction is part of the query syntax)."""
    text = request.args.get("q", "").strip()[:500]
    direction = request.args.get("huong", "")
    if direction in DIRECTIONS:
        text = f"{text} huong:{direction}".strip()
    return text


def _run_search(limit):
    from ..archive.finding import search
    from ..search.query import Filters
    args = request.args
    filters = Filters(date_from=args.get("tu") or None, date_to=args.get("den") or None,
                      type=args.get("loai") or None, issuer=args.get("co-quan") or None)
    return search(home(), _query(), filters=filters, limit=limit)


def _hidden(results):
    """Ids of the secret results this person may not read."""
    if may_see_secret():
        return set()
    return set(lookup.confidentiality([r.doc_id for r in results], home()))


def _page():
    try:
        return max(1, min(int(request.args.get("trang", 1)), 500))
    except ValueError:
        return 1


@blueprint.route("/tim-kiem")
def search_page():
    page, outcome, error, hidden = _page(), None, None, set()
    asked = any(request.args.get(k) for k in ("q", "tu", "den", "loai", "co-quan", "huong"))
    if asked:
        try:
            outcome = _run_search(page * PAGE_SIZE + 1)
            hidden = _hidden(outcome.results)
        except VanthuError as problem:
            error = "; ".join(p.message for p in problem.problems)
    results = outcome.results[(page - 1) * PAGE_SIZE:page * PAGE_SIZE] if outcome else []
    more = bool(outcome and len(outcome.results) > page * PAGE_SIZE)
    template = "_results.html" if request.headers.get("HX-Request") else "search.html"
    files = lookup.file_roles([r.doc_id for r in results], home()) if results else {}
    return render_template(template, results=results, hidden=hidden, error=error, asked=asked, page=page, more=more,
                           files=files,
                           warnings=outcome.warnings if outcome else [], args=request.args, secret=SECRET_SUBJECT,
                           mark=_marked, suggestion=_suggestion(outcome))


def _suggestion(outcome):
    """The query box's text as the search suggests it ("Có phải bạn muốn tìm"), or None."""
    if not outcome or not outcome.suggestion:
        return None
    direction = request.args.get("huong", "")
    return outcome.suggestion.removesuffix(f" huong:{direction}") if direction else outcome.suggestion


def _marked(snippet):
    return Markup("".join(f"<mark>{escape(t)}</mark>" if hit else str(escape(t)) for t, hit in snippet.fragments))


@blueprint.route("/api/tim-kiem")
def search_api():
    """The same results as ``vanthu search --json``: a list of those objects."""
    try:
        limit = max(1, min(int(request.args.get("limit", 20)), 200))
        outcome = _run_search(limit)
    except ValueError:
        return jsonify({"error": "limit phải là số nguyên"}), 400
    except VanthuError as problem:
        return jsonify({"error": "; ".join(p.message for p in problem.problems)}), 400
    hidden = _hidden(outcome.results)
    return jsonify([_api_result(r, r.doc_id in hidden) for r in outcome.results])


def _api_result(result, hidden):
    data = result.as_json()
    if hidden:
        data.update(subject=SECRET_SUBJECT, snippet="", highlighted="")
    return data


# --- one document ----------------------------------------------------------------

def readable_entry(document_id):
    """The archived document ``document_id`` for this person: 404 if none, 403 if secret to them."""
    try:
        entry = lookup.entry_by_id(document_id, home())
    except VanthuError:
        abort(404)
    if entry.document.is_secret and not may_see_secret():
        abort(403)
    return entry


@blueprint.route("/van-ban/<int:document_id>")
def document(document_id):
    try:
        entry = lookup.entry_by_id(document_id, home())
    except VanthuError:
        abort(404)
    hidden = entry.document.is_secret and not may_see_secret()
    if not hidden:  # a use of the record (Phụ lục VI III.6.l): who read it, when
        access.note(home(), "view", entry.document.id, number=str(entry.document.number), via="web")
    cites, cited_by = lookup.citations_of(entry, home())
    return render_template("document.html", entry=entry, d=entry.document, hidden=hidden, secret=SECRET_SUBJECT,
                           cites=cites, cited_by=lookup.ids_of(cited_by, home()), history=lookup.history(document_id, home()),
                           metadata=lookup.metadata_lines(entry),
                           series=entry.series.name if entry.series else "", issued=request.args.get("moi"))


@blueprint.route("/van-ban/<int:document_id>/tep/<role>")
def document_file(document_id, role):
    entry = readable_entry(document_id)
    stored = next((f for f in entry.files if f.role == role), None)
    if stored is None and role == "pdf" and any(f.role == "docx" for f in entry.files):
        return redirect(url_for("pages.reading_pdf", document_id=document_id))  # received as DOCX only
    if stored is None:
        abort(404)
    try:
        data = lookup.checked_bytes(home(), stored)  # a file changed behind the archive's back is never handed out
    except VanthuError as problem:
        return render_template("error.html", code=500, message="; ".join(p.message for p in problem.problems)), 500
    downloaded = request.args.get("tai") == "1"
    access.note(home(), "download" if downloaded else "view", entry.document.id, number=str(entry.document.number),
                what=Path(stored.path).name, via="web")
    return send_file(io.BytesIO(data), as_attachment=downloaded, download_name=Path(stored.path).name)


@blueprint.route("/van-ban/<int:document_id>/xem.pdf")
def reading_pdf(document_id):
    """The document to read as PDF: its own PDF, or one converted from its DOCX when it came as DOCX only."""
    entry = readable_entry(document_id)
    if not {"pdf", "docx"} & {f.role for f in entry.files}:
        abort(404)
    try:
        data, converted = lookup.readable_pdf(entry, home())
    except VanthuError as problem:  # a stored file changed, or LibreOffice failed: said, nothing handed out
        return render_template("error.html", code=500, message="; ".join(p.message for p in problem.problems)), 500
    access.note(home(), "view", entry.document.id, number=str(entry.document.number),
                what="bản xem PDF chuyển từ DOCX" if converted else "pdf", via="web")
    name = f"{safe_name(str(entry.document.number))}{'-ban-xem' if converted else ''}.pdf"
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name=name)


# --- registers -------------------------------------------------------------------

def _year():
    text = request.args.get("nam", "")
    return int(text) if text.isdigit() and 1900 < int(text) < 3000 else None


@blueprint.route("/so/<any(di, den):direction>")
@roles_required(*REGISTER_ROLES)
def register(direction):
    from ..archive.register import build
    try:
        book = build(home(), _year(), DIRECTIONS[direction], request.args.get("co-quan") or None)
    except VanthuError as problem:
        return render_template("register.html", book=None, direction=direction,
                               error="; ".join(p.message for p in problem.problems))
    return render_template("register.html", book=book, direction=direction, error=None)


MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@blueprint.route("/so/<any(di, den):direction>.<any(pdf, xlsx):kind>")
@roles_required(*REGISTER_ROLES)
def register_file(direction, kind):
    """The register to print and bind (PDF) or to open in Excel (Xuất Excel)."""
    from io import BytesIO
    from ..archive.register import save
    with tempfile.TemporaryDirectory(prefix="vanthu-so-") as folder:
        out = Path(folder) / f"so-{direction}.{kind}"
        save(out, home(), _year(), DIRECTIONS[direction], request.args.get("co-quan") or None)
        data = out.read_bytes()
    year = _year() or "moi-nhat"
    return send_file(BytesIO(data), mimetype=MIMETYPES[kind], download_name=f"so-van-ban-{direction}-{year}.{kind}",
                     as_attachment=kind == "xlsx")


# --- incoming --------------------------------------------------------------------

INCOMING_FIELDS = ("number", "date", "issuer", "type", "subject", "received", "via")


@blueprint.route("/nhan", methods=["GET", "POST"])
@roles_required(people.CLERK)
def incoming():
    if request.method == "GET":
        return render_template("incoming.html", values={}, errors=[], ways=_ways())
    values = {k: request.form.get(k, "").strip()[:2000] for k in INCOMING_FIELDS}
    upload = request.files.get("file")
    try:
        done = _import(upload, values)
    except VanthuError as problem:
        return render_template("incoming.html", values=values, errors=[p.message for p in problem.problems],
                               ways=_ways()), 400
    flash(f"Đã vào sổ đến số {done.arrival_number}: văn bản {done.number} ngày {short_date(done.date)}.", "ok")
    return redirect(url_for("pages.document", document_id=done.id))


def _import(upload, values):
    from ..archive.importing import KINDS, import_document
    from .forms import iso_date
    if upload is None or not upload.filename:
        raise VanthuError("chưa chọn tệp văn bản đến (.pdf hoặc .docx)")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in KINDS:
        raise VanthuError(f"tệp '{upload.filename}': chỉ nhận tệp .pdf, .docx hoặc ảnh quét .png, .jpg, .tif")
    missing = [label for key, label in (("number", "số, ký hiệu"), ("date", "ngày văn bản"), ("issuer", "cơ quan ban hành"))
               if not values[key]]
    if missing:
        raise VanthuError(*[f"thiếu {label}" for label in missing])
    with tempfile.TemporaryDirectory(prefix="vanthu-nhan-") as folder:
        path = Path(folder) / (_safe_stem(upload.filename) + suffix)
        upload.save(path)
        return import_document(path, values["number"], iso_date(values["date"]), values["issuer"], home(),
                               type_name=values["type"], subject=values["subject"],
                               received=values["received"] or None, via=values["via"])  # scans: OCR (issue 14)


def _ways():
    from ..archive.receipt import WAYS
    return WAYS


def _safe_stem(name):
    stem = re.sub(r"[^\w.-]+", "-", Path(os.path.basename(name)).stem).strip("-.")
    return stem[:80] or "van-ban-den"


# --- help ----------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parent.parent.parent / "docs" / "huong-dan.md"


@blueprint.route("/huong-dan")
def guide():
    from .markdown import to_html
    text = GUIDE.read_text(encoding="utf-8") if GUIDE.is_file() else "# Hướng dẫn\n\nChưa có tệp docs/huong-dan.md."
    return render_template("help.html", body=to_html(text, lambda name: url_for("pages.guide_image", name=name)))


@blueprint.route("/huong-dan/anh/<name>")
def guide_image(name):
    path = GUIDE.parent / "img" / os.path.basename(name)
    if not path.is_file() or path.suffix != ".png":
        abort(404)
    return send_file(path, mimetype="image/png")
