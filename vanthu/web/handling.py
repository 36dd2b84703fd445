"""Handling incoming documents in the browser (giải quyết văn bản đến): assign, acknowledge, report, follow up.

A thin skin over :mod:`vanthu.archive.handling`, like the ``vanthu incoming``
commands. The leader (or the văn thư writing down the leader's slip) assigns;
the handler acknowledges and reports; ``/theo-doi`` is the follow-up book with
the overdue and due-soon documents first.
"""
import datetime as _dt

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..archive import handling, lookup, people
from ..docnumber import printed
from ..errors import VanthuError
from .auth import home, roles_required

blueprint = Blueprint("handling", __name__)
ASSIGNERS = (people.LEADER, people.CLERK)
FOLLOWERS = (people.LEADER, people.CLERK)


@blueprint.app_template_global("handling_of")
def handling_of(document):
    """The handling of an incoming document, or None (for the document page)."""
    try:
        return handling.get(document.arrival_number, home(), year=document.arrival_date.year)
    except VanthuError:
        return None


@blueprint.app_template_global("my_incoming")
def my_incoming():
    """(mine, overdue, due soon) for the dashboard: what I handle, and for leaders and clerks what is late."""
    today = _dt.date.today()
    open_items = handling.listing(home(), today=today)
    mine = [h for h in open_items if h.handler == g.person.username]
    if not g.person.has(*FOLLOWERS):
        return mine, [], []
    return mine, [h for h in open_items if h.overdue(today)], [h for h in open_items if h.due_soon(today)]


@blueprint.app_template_global("today_date")
def today_date():
    return _dt.date.today()


@blueprint.app_template_global("handler_choices")
def handler_choices():
    return [p for p in people.everyone(home()) if p.active]


def _incoming(document_id):
    try:
        entry = lookup.entry_by_id(document_id, home())
    except VanthuError:
        abort(404)
    if entry.document.direction != "in":
        abort(404)
    return entry.document


def _back(document_id, message):
    flash(message, "ok")
    return redirect(url_for("pages.document", document_id=document_id) + "#giai-quyet")


def _refused(document_id, problem):
    flash("; ".join(p.message for p in problem.problems), "error")
    return redirect(url_for("pages.document", document_id=document_id) + "#giai-quyet")


@blueprint.route("/van-ban/<int:document_id>/giao", methods=["POST"])
@roles_required(*ASSIGNERS)
def assign(document_id):
    d = _incoming(document_id)
    form = request.form
    co = [line.strip() for line in form.get("co_handlers", "").replace(";", "\n").splitlines() if line.strip()]
    try:
        done = handling.assign(d.arrival_number, form.get("handler", "").strip(), home(), year=d.arrival_date.year,
                               co_handlers=co, deadline=form.get("deadline", "").strip() or None,
                               instructions=form.get("instructions", "")[:4000], leader=g.person.display)
    except VanthuError as problem:
        return _refused(document_id, problem)
    return _back(document_id, f"Đã giao văn bản đến số {printed(done.arrival_number)} cho {done.handler_name}.")


def _may_work(item):
    return g.person.has(*FOLLOWERS) or item.handler == g.person.username


def _work(document_id, act, message):
    """A step of the handler's own (đã nhận, xong): only the handler, or those who follow up, may take it."""
    d = _incoming(document_id)
    item = handling_of(d)
    if item is None or not _may_work(item):
        abort(403)
    try:
        act(d)
    except VanthuError as problem:
        return _refused(document_id, problem)
    return _back(document_id, message)


@blueprint.route("/van-ban/<int:document_id>/da-nhan", methods=["POST"])
def acknowledge(document_id):
    return _work(document_id, lambda d: handling.acknowledge(d.arrival_number, home(), year=d.arrival_date.year),
                 "Đã nhận văn bản để giải quyết.")


@blueprint.route("/van-ban/<int:document_id>/xong", methods=["POST"])
def finish(document_id):
    return _work(document_id, lambda d: handling.finish(
        d.arrival_number, request.form.get("result", "")[:4000], home(), year=d.arrival_date.year,
        reply=request.form.get("reply", "").strip()[:200]), "Đã báo kết quả giải quyết.")


@blueprint.route("/theo-doi")
@roles_required(*FOLLOWERS)
def follow_up():
    today = _dt.date.today()
    show = request.args.get("loc", "")
    items = handling.listing(home(), overdue=show == "qua-han", due_soon=3 if show == "sap-den-han" else None,
                             include_done=show == "tat-ca", today=today)
    rows = list(zip(items, handling.follow_up_rows(items, today)))
    return render_template("follow_up.html", rows=rows, show=show, columns=handling.FOLLOW_UP_COLUMNS, today=today)
