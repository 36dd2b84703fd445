"""Use of records on the web (sử dụng văn bản; Phụ lục VI III.6, issue 16): a document printed with its mark,
access statistics, saved searches, result columns and results exported to DOCX/PDF.

Views and downloads of a document are logged by the document pages (:mod:`.pages`) through
:func:`vanthu.archive.access.note`; the history they show is :func:`vanthu.archive.lookup.history`.
"""
import io
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from ..archive import access, lookup, people, searches
from ..errors import VanthuError
from .auth import home, may_see_secret, roles_required
from .pages import readable_entry

blueprint = Blueprint("records", __name__)
SEARCH_ARGS = ("q", "tu", "den", "loai", "co-quan", "huong", "cot")
EXPORT_LIMIT = 1000
STATS_ROLES = (people.CLERK, people.LEADER, people.ADMIN)


@blueprint.app_context_processor
def _search_extras():
    """What the search page's saved-search and export box needs (``records_search`` in templates)."""
    return {"records_search": _extras}


def _extras(args):
    chosen_keys = args.getlist("cot") or list(searches.DEFAULT)
    saved = searches.saved_of(g.person.username, home()) if getattr(g, "person", None) else []
    return {"columns": searches.COLUMNS, "chosen": chosen_keys, "saved": saved, "link": _saved_link,
            "export_args": [(k, v) for k, v in args.items(multi=True) if k in SEARCH_ARGS]}


def _saved_link(saved):
    values = {"q": saved.query, "tu": saved.filters.get("date_from"), "den": saved.filters.get("date_to"),
              "loai": saved.filters.get("type"), "co-quan": saved.filters.get("issuer"), "cot": saved.columns or None}
    return url_for("pages.search_page", **{k: v for k, v in values.items() if v})


@blueprint.route("/van-ban/<int:document_id>/in")
def print_document(document_id):
    """The document's PDF to print: every page marked with who printed it and when; logged (``print``)."""
    from ..archive.printmark import marked
    entry = readable_entry(document_id)
    stored = next((f for f in entry.files if f.role == "pdf"), None)
    if stored is None:
        abort(404)
    data = lookup.checked_bytes(home(), stored)
    line = access.mark_line(g.person.full_name or g.person.username)
    pdf = marked(data, line)
    access.note(home(), "print", entry.document.id, number=str(entry.document.number), what=Path(stored.path).name)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"in-{Path(stored.path).name}")


@blueprint.route("/thong-ke")
@roles_required(*STATS_ROLES)
def stats():
    by = request.args.get("theo", "document")
    by = by if by in access.BY else "document"
    year = request.args.get("nam", "")
    year = int(year) if year.isdigit() and 1900 < int(year) < 3000 else None
    return render_template("records_stats.html", table=access.table(home(), by, year), by=by, year=year,
                           choices=access.BY)


@blueprint.route("/tim-kiem/luu", methods=["POST"])
def save_search():
    """Keep the search now on the page under a name, for this person."""
    form = request.form
    filters = {"date_from": form.get("tu"), "date_to": form.get("den"), "type": form.get("loai"),
               "issuer": form.get("co-quan")}
    query = " ".join(part for part in (form.get("q", "").strip(), _direction(form.get("huong"))) if part)
    try:
        chosen = [c.key for c in searches.columns(",".join(form.getlist("cot")))] if form.getlist("cot") else []
        kept = searches.save(searches.SavedSearch(g.person.username, form.get("ten", "")[:200], query[:500],
                                                  {k: v for k, v in filters.items() if v}, chosen), home())
    except VanthuError as problem:
        flash("; ".join(p.message for p in problem.problems), "error")
        return redirect(url_for("pages.search_page", **_kept_args(form)))
    flash(f"Đã lưu tìm kiếm «{kept.name}».", "ok")
    return redirect(_saved_link(kept))


def _direction(value):
    return f"huong:{value}" if value in ("di", "den") else ""


def _kept_args(values):
    return {k: values.getlist(k) if k == "cot" else values.get(k) for k in SEARCH_ARGS if values.get(k)}


@blueprint.route("/tim-kiem/xuat.<any(docx, pdf):kind>")
def export_results(kind):
    """The results of the search on the page, in the chosen columns, as DOCX or PDF, marked and logged."""
    from ..archive.finding import search
    from ..search.query import Filters
    args = request.args
    query = " ".join(p for p in (args.get("q", "").strip()[:500], _direction(args.get("huong"))) if p)
    filters = Filters(date_from=args.get("tu") or None, date_to=args.get("den") or None,
                      type=args.get("loai") or None, issuer=args.get("co-quan") or None)
    try:
        chosen = searches.columns(",".join(args.getlist("cot")) or None)
        outcome = _without_secrets(search(home(), query, filters=filters, limit=EXPORT_LIMIT))
        with tempfile.TemporaryDirectory(prefix="vanthu-ket-qua-") as folder:
            out = searches.export(Path(folder) / f"ket-qua-tim-kiem.{kind}", outcome, chosen, query, home(),
                                  person=g.person.full_name or g.person.username)
            data = out.read_bytes()
    except VanthuError as problem:
        flash("; ".join(p.message for p in problem.problems), "error")
        return redirect(url_for("pages.search_page", **_kept_args(args)))
    mimetype = "application/pdf" if kind == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=f"ket-qua-tim-kiem.{kind}")


def _without_secrets(outcome):
    """Secret documents' subjects and snippets hidden from those who may not read them, as on the page."""
    from dataclasses import replace
    if may_see_secret():
        return outcome
    hidden = set(lookup.confidentiality([r.doc_id for r in outcome.results], home()))
    from .pages import SECRET_SUBJECT
    from ..search.results import Snippet
    results = [replace(r, subject=SECRET_SUBJECT, snippet=Snippet(())) if r.doc_id in hidden else r
               for r in outcome.results]
    return replace(outcome, results=results)


@blueprint.route("/van-ban/<int:document_id>/thu-hoi-den", methods=["POST"])
@roles_required(people.CLERK)
def recall(document_id):
    """An incoming document recalled by its sender: its files destroyed (Phụ lục VI III.8.b), the rest kept."""
    from ..workflow import withdrawal
    d = readable_entry(document_id).document
    try:
        done = withdrawal.recall(str(d.number), request.form.get("order", "")[:500], request.form.get("reason", "")[:2000],
                                 g.person.username, home(), d.date.year)
        flash(f"Đã hủy {len(done.destroyed)} tệp của văn bản đến số {done.arrival_number} theo {done.order}.", "ok")
    except VanthuError as problem:
        flash("; ".join(f"Không hủy được: {p.message}" for p in problem.problems), "error")
    return redirect(url_for("pages.document", document_id=document_id))
