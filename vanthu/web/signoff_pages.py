"""Trình ký on the web (the sign-off actions of a draft's page): submit, approve, return, sign, issue signed.

Each button posts to one of these views, which call :mod:`vanthu.workflow.signoff`
as the logged-in person; the core decides whose turn it is. The password or
PIN of a key is typed into the form for that one request and never kept.
"""
from pathlib import Path

from flask import Blueprint, flash, g, redirect, request, url_for

from ..archive import people
from ..errors import VanthuError
from ..vndate import short_date
from ..workflow import drafts, signoff
from .auth import home, library

blueprint = Blueprint("signoff", __name__)


@blueprint.app_template_global()
def signoff_view(draft):
    """What the draft page shows of trình ký: the route, the history, who may do what now."""
    me, route = g.person, signoff.route(draft.id, home())
    turn = next((s for s in route if s.state == signoff.WAITING), None)
    leader_step = next((s for s in route if s.duty == signoff.SIGN), None)
    mine = (turn is not None and turn.person == me.username) or (
        draft.state == signoff.APPROVED and leader_step and leader_step.person == me.username)
    leaders = [p for p in people.everyone(home()) if p.active and p.has(people.LEADER)]
    return {"route": route, "history": signoff.history(draft.id, home()), "leaders": leaders,
            "reviewers": [p for p in people.everyone(home()) if p.active and p.username != draft.owner],
            "may_submit": draft.owner == me.username and draft.state in (drafts.DRAFT, signoff.RETURNED),
            "may_review": bool(mine), "may_sign": bool(mine) and (turn is None or turn.duty == signoff.SIGN),
            "may_issue_signed": me.has(people.CLERK) and draft.state == signoff.SIGNED}


@blueprint.app_template_global()
def signatures_of(entry):
    """Each signature of the document's PDF, validated now against the office's roots."""
    from ..signing.inspect import signatures
    from ..signing.keys import trust_roots
    root = Path(home())
    found = []
    for f in entry.files:
        data = (root / f.path).read_bytes() if f.path.lower().endswith(".pdf") and (root / f.path).exists() else b""
        if b"/ByteRange" in data:
            try:
                found += signatures(data, trust_roots(root), f.path)
            except VanthuError:
                continue
    return found


@blueprint.app_template_filter("gio")
def vietnam_time(moment):
    from ..signing.certs import vn_time
    return vn_time(moment)


@blueprint.route("/van-ban/<int:document_id>/thu-hoi", methods=["POST"])
def withdraw(document_id):
    from ..archive import lookup
    from ..workflow import withdrawal
    if not g.person.has(people.CLERK):
        flash("Chỉ văn thư thu hồi văn bản.", "error")
        return redirect(url_for("pages.document", document_id=document_id))
    d = lookup.entry_by_id(document_id, home()).document
    try:
        withdrawal.withdraw(str(d.number), request.form.get("reason", "")[:2000], g.person.username, home(), d.date.year)
        flash(f"Đã thu hồi văn bản số {d.number}; số vẫn giữ.", "ok")
    except VanthuError as problem:
        for p in problem.problems:
            flash(f"Không thu hồi được: {p.message}", "error")
    return redirect(url_for("pages.document", document_id=document_id))


def _back(draft_id):
    return redirect(url_for("drafting.draft", draft_id=draft_id))


def _act(draft_id, done_message, action):
    try:
        action()
    except VanthuError as problem:
        for p in problem.problems:
            flash(f"Không thực hiện được: {p.message}", "error")
        return _back(draft_id)
    flash(done_message, "ok")
    return _back(draft_id)


@blueprint.route("/du-thao/<int:draft_id>/trinh-ky", methods=["POST"])
def submit(draft_id):
    via = [name for name in request.form.getlist("via") if name]
    return _act(draft_id, "Đã trình ký.", lambda: signoff.submit(draft_id, request.form.get("to", ""), via,
                                                                  g.person.username, home()))


@blueprint.route("/du-thao/<int:draft_id>/dong-y", methods=["POST"])
def approve(draft_id):
    comment = request.form.get("comment", "")[:2000]
    return _act(draft_id, "Đã đồng ý.", lambda: signoff.approve(draft_id, g.person.username, comment, home()))


@blueprint.route("/du-thao/<int:draft_id>/tra-lai", methods=["POST"])
def return_draft(draft_id):
    comment = request.form.get("comment", "")[:2000]
    return _act(draft_id, "Đã trả lại cho người soạn.",
                lambda: signoff.return_draft(draft_id, g.person.username, comment, home()))


@blueprint.route("/du-thao/<int:draft_id>/ky-so", methods=["POST"])
def sign(draft_id):
    pin = request.form.get("pin", "")
    return _act(draft_id, "Đã ký số; chờ văn thư cấp số, ban hành.",
                lambda: signoff.sign(draft_id, g.person.username, pin, home(), library()))


@blueprint.route("/du-thao/<int:draft_id>/ban-hanh-ky-so", methods=["POST"])
def issue(draft_id):
    if not g.person.has(people.CLERK):
        flash("Chỉ văn thư ban hành văn bản.", "error")
        return _back(draft_id)
    pin, warnings = request.form.get("pin", ""), []
    try:
        done = signoff.issue(draft_id, g.person.username, pin, home(), library(), warn=warnings.append,
                             again=request.form.get("again") == "1", other_year=request.form.get("other_year") == "1")
    except VanthuError as problem:
        from .drafting import in_web_words
        for p in problem.problems:
            flash(f"Không ban hành được: {in_web_words(p.message)}", "error")
        return _back(draft_id)
    for warning in warnings:
        flash(f"Cảnh báo: {warning}", "warn")
    flash(f"Đã ban hành số {done.number} ngày {short_date(done.date)}, đã ký số của cơ quan.", "ok")
    return redirect(url_for("pages.document", document_id=done.id, moi=1))
