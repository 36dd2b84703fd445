"""The administrator's page (quản trị): the people who use the web app and their roles."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ..archive import people
from ..errors import VanthuError
from .auth import home, roles_required

blueprint = Blueprint("people_admin", __name__)


@blueprint.route("/nguoi-dung", methods=["GET", "POST"])
@roles_required(people.ADMIN)
def people_page():
    if request.method == "POST":
        form = request.form
        try:
            person = people.add(form.get("username", ""), form.get("password", ""), form.getlist("roles"), home(),
                                form.get("full_name", "")[:200], form.get("title", "")[:200])
            flash(f"Đã thêm {person.username} ({person.role_names}).", "ok")
        except VanthuError as problem:
            for p in problem.problems:
                flash(f"Không thêm được: {p.message}", "error")
        return redirect(url_for("people_admin.people_page"))
    return render_template("people.html", people=people.everyone(home()))


@blueprint.route("/nguoi-dung/<username>/khoa", methods=["POST"])
@roles_required(people.ADMIN)
def disable(username):
    if username == g.person.username:
        flash("Không tự khóa tài khoản của mình được.", "error")
    else:
        try:
            people.disable(username, home())
            flash(f"Đã khóa {username}.", "ok")
        except VanthuError as problem:
            flash(problem.problems[0].message, "error")
    return redirect(url_for("people_admin.people_page"))
