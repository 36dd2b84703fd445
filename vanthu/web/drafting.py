"""Drafting without YAML (soạn thảo): the template forms, drafts, their preview and files, issuing.

The form's answers become a record (:mod:`vanthu.web.forms`), checked and
saved by the drafts store (:mod:`vanthu.workflow.drafts`); the pages and
files come from the generator; issuing is the core's. Nothing here numbers,
renders or stores by itself.
"""
import hashlib
import io
import threading
from collections import OrderedDict

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from ..archive import people
from ..archive.home import settings_of
from ..errors import VanthuError
from ..generator import preview
from ..vndate import short_date
from ..workflow import drafts, signoff
from . import forms
from .auth import home, library, roles_required

blueprint = Blueprint("drafting", __name__)
DRAFTING_ROLES = (people.DRAFTER, people.CLERK, people.LEADER)
READER_ROLES = (people.CLERK, people.LEADER)  # may open anyone's draft
MAX_YAML = 1024 * 1024


class _Rendered:
    """Rendered files of record texts, by the text's hash (a draft's pages are drawn once per revision)."""

    def __init__(self, size=24):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, text):
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return key, self.items[key]
        files = _render(text)
        with self.lock:
            self.items[key] = files
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return key, files

    def by_key(self, key):
        with self.lock:
            return self.items.get(key)


def _render(text):
    """DOCX and PDF now; the page images when the browser asks for them (the first shows sooner)."""
    record = drafts.check(text, library())
    docx = preview.draft_docx(record)
    pdf = preview.draft_pdf(record, docx)
    return {"docx": docx, "pdf": pdf, "pages": [None] * preview.page_count(pdf)}


RENDERED = _Rendered()


def _template(name):
    try:
        return library().get(name)
    except VanthuError:
        abort(404)


def _forms():
    return [t for t in library().templates() if t.is_form]


def _defaults(template):
    """The office's values from settings.yaml (issuer, place, signer, Lưu line), for a new draft."""
    defaults = settings_of(home()).defaults
    data = {k: v for k, v in defaults.items() if k in template.fields}
    return forms.answers(template, {"fields": data} if template.is_form else data)


@blueprint.route("/soan")
@roles_required(*DRAFTING_ROLES)
def choose():
    templates = library().templates()
    kinds = [("Văn bản hành chính", [t for t in templates if not t.is_form]), ("Biểu mẫu", [t for t in templates if t.is_form])]
    return render_template("choose.html", kinds=kinds)


@blueprint.route("/soan/<name>", methods=["GET", "POST"])
@roles_required(*DRAFTING_ROLES)
def compose(name):
    template = _template(name)
    if request.method == "GET":
        return _form_page(template, _defaults(template))
    return _answer(template, None)


def _form_page(template, values, problems=(), draft=None, pages=None, status=200):
    items = forms.build(template, values, _forms())
    general = forms.place_errors(items, problems)
    return render_template("compose.html", template=template, items=items, general=general, draft=draft,
                           pages=pages, values=values), status


def _answer(template, draft):
    """POST of the form: preview it, or save it (new draft or new revision)."""
    data = forms.record_data(template, request.form, draft.data if draft else None)
    text = drafts.to_text(data)
    values = {k: request.form.get(k, "") for k in request.form if k != "csrf_token"}  # as typed, to show again
    values["attachments"] = request.form.getlist("attachments")
    action = request.form.get("action", "")
    if action == "them-phu-luc" or action.startswith("bo-phu-luc-"):  # the form changes shape; nothing is saved
        return _form_page(template, forms.with_appendix(values) if action == "them-phu-luc"
                          else forms.without_appendix(values, action.removeprefix("bo-phu-luc-")), draft=draft)
    try:
        if request.form.get("action") == "preview":
            return _preview(template, text, values, draft)
        saved = _save(text, draft)
    except VanthuError as problem:
        if request.headers.get("HX-Request"):
            return render_template("_preview.html", problems=problem.problems, key=None, pages=[]), 200
        return _form_page(template, values, problem.problems, draft, status=422)
    flash(f"Đã lưu dự thảo số {saved.id}.", "ok")
    return redirect(url_for("drafting.draft", draft_id=saved.id))


def _save(text, draft):
    if draft is None:
        return drafts.create(text, g.person.username, home(), library())
    return drafts.update(draft.id, text, g.person.username, home(), library(), request.form.get("revision"))


def _preview(template, text, values, draft):
    key, files = RENDERED.get(text)
    if request.headers.get("HX-Request"):
        return render_template("_preview.html", key=key, pages=files["pages"], problems=[])
    return _form_page(template, values, (), draft, pages=(key, files["pages"]))


@blueprint.route("/xem-truoc/<key>/<int:page>.png")
@roles_required(*DRAFTING_ROLES)
def preview_page(key, page):
    files = RENDERED.by_key(key)
    if files is None or not 1 <= page <= len(files["pages"]):
        abort(404)
    if files["pages"][page - 1] is None:  # drawn once; two requests at once may both draw it, both right
        files["pages"][page - 1] = preview.page_image(files["pdf"], page)
    return send_file(io.BytesIO(files["pages"][page - 1]), mimetype="image/png", max_age=3600)


@blueprint.route("/xem-truoc/<key>.pdf")
@roles_required(*DRAFTING_ROLES)
def preview_pdf(key):
    """The PDF the preview pages were drawn from (before the draft is saved)."""
    files = RENDERED.by_key(key)
    if files is None:
        abort(404)
    return send_file(io.BytesIO(files["pdf"]), mimetype="application/pdf", download_name="xem-truoc.pdf")


# --- drafts ----------------------------------------------------------------------

def _draft(draft_id, edit=False):
    try:
        draft = drafts.get(draft_id, home())
    except VanthuError:
        abort(404)
    if draft.owner != g.person.username and not g.person.has(*READER_ROLES) and not _on_route(draft):
        abort(403)
    if edit and draft.owner != g.person.username and not g.person.has(people.CLERK):
        abort(403)
    return draft


def _on_route(draft):
    """A reviewer the draft was submitted through may open it (trình ký)."""
    return any(step.person == g.person.username for step in signoff.route(draft.id, home()))


@blueprint.route("/du-thao")
@roles_required(*DRAFTING_ROLES)
def draft_list():
    owner = None if g.person.has(*READER_ROLES) and request.args.get("cua") != "toi" else g.person.username
    return render_template("drafts.html", drafts=drafts.listing(home(), owner=owner), mine=owner is not None)


@blueprint.route("/du-thao/<int:draft_id>")
@roles_required(*DRAFTING_ROLES)
def draft(draft_id):
    d = _draft(draft_id)
    issued = drafts.issued_number(d, home()) if d.state == drafts.ISSUED else None
    return render_template("draft.html", draft=d, issued=issued, may_issue=g.person.has(people.CLERK)
                           and d.state in drafts.ISSUABLE, states=drafts.STATE_NAMES)


@blueprint.route("/du-thao/<int:draft_id>/trang")
@roles_required(*DRAFTING_ROLES)
def draft_pages(draft_id):
    """The draft's page images (htmx fragment): rendered once per revision."""
    d = _draft(draft_id)
    try:
        key, files = RENDERED.get(d.text)
    except VanthuError as problem:
        return render_template("_preview.html", problems=problem.problems, key=None, pages=[])
    return render_template("_preview.html", key=key, pages=files["pages"], problems=[])


@blueprint.route("/du-thao/<int:draft_id>.<any(docx, pdf, yaml):kind>")
@roles_required(*DRAFTING_ROLES)
def draft_file(draft_id, kind):
    d = _draft(draft_id)
    name = f"du-thao-{d.id}-{d.template}.{kind}"
    if kind == "yaml":
        return send_file(io.BytesIO(d.text.encode("utf-8")), mimetype="text/yaml; charset=utf-8", as_attachment=True,
                         download_name=name)
    _, files = RENDERED.get(d.text)
    mimetype = "application/pdf" if kind == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return send_file(io.BytesIO(files[kind]), mimetype=mimetype, as_attachment=True, download_name=name)


@blueprint.route("/du-thao/<int:draft_id>/sua", methods=["GET", "POST"])
@roles_required(*DRAFTING_ROLES)
def edit(draft_id):
    d = _draft(draft_id, edit=True)
    template = _template(d.template)
    if not d.editable:
        flash(f"Dự thảo đang ở trạng thái '{d.state_name}', không sửa được; hãy sao chép thành dự thảo mới.", "error")
        return redirect(url_for("drafting.draft", draft_id=d.id))
    if request.method == "GET":
        return _form_page(template, forms.answers(template, d.data), draft=d)
    return _answer(template, d)


@blueprint.route("/du-thao/<int:draft_id>/sao-chep", methods=["POST"])
@roles_required(*DRAFTING_ROLES)
def copy(draft_id):
    d = _draft(draft_id)
    twin = drafts.copy(d.id, g.person.username, home(), library())
    flash(f"Đã sao chép dự thảo {d.id} thành dự thảo mới số {twin.id} (chưa có số, chưa có ngày).", "ok")
    return redirect(url_for("drafting.draft", draft_id=twin.id))


@blueprint.route("/du-thao/nhap", methods=["POST"])
@roles_required(*DRAFTING_ROLES)
def import_record():
    upload = request.files.get("file")
    if upload is None or not upload.filename.lower().endswith((".yaml", ".yml")):
        flash("Hãy chọn một tệp bản ghi .yaml (như tệp 'vanthu new' tạo ra).", "error")
        return redirect(url_for("drafting.draft_list"))
    raw = upload.read(MAX_YAML + 1)
    try:
        if len(raw) > MAX_YAML:
            raise VanthuError(f"tệp lớn quá {MAX_YAML // 1024} KB")
        text = raw.decode("utf-8")
        saved = drafts.create(text, g.person.username, home(), library())
    except UnicodeDecodeError:
        flash("Tệp không phải UTF-8; không có gì được lưu.", "error")
        return redirect(url_for("drafting.draft_list"))
    except VanthuError as problem:
        for p in problem.problems:
            flash(f"{upload.filename}: {p}", "error")
        return redirect(url_for("drafting.draft_list"))
    flash(f"Đã nhập {upload.filename} thành dự thảo số {saved.id}.", "ok")
    return redirect(url_for("drafting.draft", draft_id=saved.id))


# The core's refusals name the CLI's options; on the web they are the boxes beside the button.
_WEB_WORDS = {"thêm --again": "đánh dấu ô \"Ban hành lại dù trùng nội dung\" rồi bấm Ban hành",
              "thêm --other-year": "đánh dấu ô \"Ngày thuộc năm khác là đúng\" rồi bấm Ban hành",
              "thêm --paper": "bấm \"Ban hành bản giấy\""}


def in_web_words(message):
    for option, words in _WEB_WORDS.items():
        message = message.replace(option, words)
    return message


@blueprint.route("/du-thao/<int:draft_id>/ban-hanh", methods=["POST"])
@roles_required(people.CLERK)
def issue(draft_id):
    """The văn thư issues the draft: number and date taken now, files archived."""
    d = _draft(draft_id)
    warnings = []
    try:
        done = signoff.issue_on_paper(d.id, g.person.username, home(), library(), warn=warnings.append,
                                      again=request.form.get("again") == "1",
                                      other_year=request.form.get("other_year") == "1")
    except VanthuError as problem:
        for p in problem.problems:
            flash(f"Không ban hành được: {in_web_words(p.message)}", "error")
        return redirect(url_for("drafting.draft", draft_id=d.id))
    for warning in warnings:
        flash(f"Cảnh báo: {warning}", "warn")
    flash(f"Đã ban hành số {done.number} ngày {short_date(done.date)}.", "ok")
    return redirect(url_for("pages.document", document_id=done.id, moi=1))
