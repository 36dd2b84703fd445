"""Hồ sơ on the web (issue 16): the Danh mục hồ sơ, opening, filing, closing and printing, over the same core
functions as ``vanthu dossier`` (:mod:`vanthu.archive.dossiers`, :mod:`vanthu.archive.dossierplan`).

The clerk (văn thư) loads and prints the Danh mục, a leader approves it; any
drafter, clerk or leader opens hồ sơ and files documents. The transfer package
is written by ``vanthu dossier export`` (a folder on the archive's disk), not
from a browser. The dashboard shows the hồ sơ due for transfer (``_dossier_boxes.html``).
"""
import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from ..archive import access, dossierdocx, dossierplan, dossierprint, dossiers, people
from ..errors import VanthuError
from .auth import home, roles_required

blueprint = Blueprint("dossier_pages", __name__)
WORKERS = (people.DRAFTER, people.CLERK, people.LEADER)


@blueprint.app_context_processor
def _due_box():
    """``dossiers_due()`` for the dashboard: hồ sơ due for transfer within 30 days (Phụ lục VI III.5.b)."""
    return {"dossiers_due": lambda: dossiers.listing(home(), due=True)}


def _flash_problems(error, prefix):
    for problem in error.problems:
        flash(f"{prefix}: {problem}", "error")


@blueprint.route("/ho-so")
@roles_required(*WORKERS, people.ADMIN)
def dossier_list():
    year = request.args.get("nam", type=int)
    return render_template("dossiers.html", dossiers=dossiers.listing(home(), year=year),
                           due=dossiers.listing(home(), due=True), plans=dossierplan.plans(home()), year=year)


@blueprint.route("/ho-so/danh-muc", methods=["POST"])
@roles_required(people.CLERK)
def load_plan():
    try:
        plan = dossierplan.store(dossierplan.parse_text(request.form.get("yaml", "")), home())
        flash(f"Đã nạp Danh mục hồ sơ năm {plan.year} (dự thảo): {plan.counts()[0]} hồ sơ.", "ok")
    except VanthuError as error:
        _flash_problems(error, "Không nạp được Danh mục")
    return redirect(url_for("dossier_pages.dossier_list"))


@blueprint.route("/ho-so/danh-muc/<int:year>/duyet", methods=["POST"])
@roles_required(people.LEADER)
def approve_plan(year):
    try:
        plan = dossierplan.approve(year, g.person.display, home(), request.form.get("decision") or None)
        flash(f"Đã duyệt Danh mục hồ sơ năm {plan.year}.", "ok")
    except VanthuError as error:
        _flash_problems(error, "Không duyệt được")
    return redirect(url_for("dossier_pages.dossier_list"))


@blueprint.route("/ho-so/danh-muc/<int:year>.<kind>")
@roles_required(*WORKERS, people.ADMIN)
def print_plan(year, kind):
    return _printout(str(year), kind, f"danh-muc-ho-so-{year}")


@blueprint.route("/ho-so/mo", methods=["POST"])
@roles_required(*WORKERS)
def open_dossier():
    form = request.form
    try:
        found = dossiers.open_dossier(form.get("code", ""), home(), title=form.get("title") or None,
                                      retention=form.get("retention") or None, year=form.get("year", type=int),
                                      keeper=form.get("keeper") or g.person.display)
        flash(f"Đã mở hồ sơ {found.code} năm {found.year}.", "ok")
        return redirect(url_for("dossier_pages.dossier_page", dossier_id=found.id))
    except VanthuError as error:
        _flash_problems(error, "Không mở được hồ sơ")
    return redirect(url_for("dossier_pages.dossier_list"))


def _dossier(dossier_id):
    try:
        return dossiers.load_by_id(dossier_id, home())
    except VanthuError:
        abort(404)


@blueprint.route("/ho-so/<int:dossier_id>")
@roles_required(*WORKERS, people.ADMIN)
def dossier_page(dossier_id):
    dossier = _dossier(dossier_id)
    return render_template("dossier.html", dossier=dossier, starts=dossiers.page_starts(dossier),
                           metadata=dossiers.metadata(dossier))


@blueprint.route("/ho-so/<int:dossier_id>/them", methods=["POST"])
@roles_required(*WORKERS)
def add(dossier_id):
    dossier = _dossier(dossier_id)
    numbers = request.form.get("numbers", "").replace(",", " ").split()
    try:
        dossiers.add(dossier.code, numbers, home(), year=dossier.year)
        flash(f"Đã đưa {len(numbers)} văn bản vào hồ sơ {dossier.code}.", "ok")
    except VanthuError as error:
        _flash_problems(error, "Không thêm được")
    return redirect(url_for("dossier_pages.dossier_page", dossier_id=dossier_id))


@blueprint.route("/ho-so/<int:dossier_id>/bo", methods=["POST"])
@roles_required(*WORKERS)
def remove(dossier_id):
    dossier = _dossier(dossier_id)
    try:
        dossiers.remove(dossier.code, [request.form.get("number", "")], home(), year=dossier.year)
        flash(f"Đã bỏ {request.form.get('number')} khỏi hồ sơ {dossier.code}.", "ok")
    except VanthuError as error:
        _flash_problems(error, "Không bỏ được")
    return redirect(url_for("dossier_pages.dossier_page", dossier_id=dossier_id))


@blueprint.route("/ho-so/<int:dossier_id>/ket-thuc", methods=["POST"])
@roles_required(*WORKERS)
def close(dossier_id):
    dossier = _dossier(dossier_id)
    try:
        review = dossiers.close(dossier.code, home(), year=dossier.year, retention=request.form.get("retention") or None)
        flash(review.text(), "ok")
    except VanthuError as error:
        _flash_problems(error, "Không kết thúc được")
    return redirect(url_for("dossier_pages.dossier_page", dossier_id=dossier_id))


@blueprint.route("/ho-so/<int:dossier_id>/muc-luc.<kind>")
@roles_required(*WORKERS, people.ADMIN)
def print_index(dossier_id, kind):
    dossier = _dossier(dossier_id)
    return _printout(dossier.code, kind, f"muc-luc-van-ban-{dossier.code}-{dossier.year}", dossier.year)


def _printout(target, kind, name, year=None):
    """A Danh mục or Mục lục as DOCX or PDF, marked with who printed it and when; logged (``print``)."""
    if kind not in ("docx", "pdf"):
        abort(404)
    try:
        dossierprint.render(target, home(), year)  # a wrong target is refused before the printing is logged
    except VanthuError as error:
        _flash_problems(error, "Không in được")
        return redirect(url_for("dossier_pages.dossier_list"))
    access.note(home(), "print", what=f"{target} ra {name}.{kind}")
    data, _ = dossierprint.render(target, home(), year, access.mark_line(g.person.display))
    data = dossierprint.to_pdf(data) if kind == "pdf" else data
    mimetype = "application/pdf" if kind == "pdf" else dossierdocx.DOCX_TYPE
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=f"{name}.{kind}")
