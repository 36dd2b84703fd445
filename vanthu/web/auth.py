"""Logging in and out (đăng nhập), the person of each request, and who may do what.

Every page but the login page needs a session: a page redirects to
``/dang-nhap?next=…``, an ``/api/`` call answers 401. The person is read
again from the archive on every request, so a disabled account stops at once.
Everything a request logs in the archive names that person.
"""
import functools
from urllib.parse import urlparse

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_wtf.csrf import CSRFError

from ..archive import events, people
from ..errors import VanthuError

blueprint = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static"}


def home():
    return current_app.config["VANTHU_HOME"]


def library():
    return current_app.config["VANTHU_LIBRARY"]


def install(app):
    app.before_request(_load_person)
    app.teardown_request(_forget_person)
    app.context_processor(lambda: {"me": g.get("person"), "ROLES": people.ROLES})
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(403, lambda e: _error(403, "Bạn không có quyền xem trang này hoặc làm việc này."))
    app.register_error_handler(404, lambda e: _error(404, "Không có trang này."))
    app.register_error_handler(413, lambda e: _error(413, "Tệp hoặc nội dung gửi lên quá lớn; không có gì được lưu."))
    app.register_error_handler(400, lambda e: _error(400, "Yêu cầu không hợp lệ; không có gì được lưu."))
    app.register_error_handler(VanthuError, _vanthu_error)


def _load_person():
    g.person = None
    name = session.get("user")
    if name:
        try:
            person = people.get(name, home())
        except VanthuError:
            person = None
        if person and person.active:
            g.person = person
            g.acting = events.acting_as(person.username)
            g.acting.__enter__()
        else:
            session.clear()
    if g.person is None and request.endpoint not in OPEN_ENDPOINTS:
        if request.path.startswith("/api/"):
            return jsonify({"error": "cần đăng nhập"}), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def _forget_person(_exc=None):
    acting = g.pop("acting", None)
    if acting is not None:
        acting.__exit__(None, None, None)


def _error(code, message):
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), code
    return render_template("error.html", code=code, message=message), code


def _csrf_refused(error):
    return _error(400, "Phiên làm việc đã hết hạn hoặc biểu mẫu thiếu mã bảo vệ (CSRF); "
                       "hãy tải lại trang rồi làm lại. Không có gì được lưu.")


def _vanthu_error(error):
    return _error(400, "; ".join(p.message for p in error.problems))


def roles_required(*roles):
    """The view only for people holding one of ``roles`` (403 for others)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not g.person.has(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def may_see_secret():
    from ..archive.home import settings_of
    return people.may_see_secret(g.person, settings_of(home()))


def _safe_next(target):
    """Only a path of this site (no open redirect to another host)."""
    parsed = urlparse(target or "")
    if parsed.scheme or parsed.netloc or not (target or "").startswith("/") or target.startswith("//"):
        return url_for("pages.dashboard")
    return target


@blueprint.route("/dang-nhap", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    try:
        person = people.authenticate(request.form.get("username", ""), request.form.get("password", ""), home())
    except people.LoginRefused as refused:
        flash(refused.problems[0].message.capitalize(), "error")
        return render_template("login.html", next=request.form.get("next", ""),
                               username=request.form.get("username", "")[:64]), 401
    session.clear()  # a new session for the new person (no fixation)
    session["user"] = person.username
    session.permanent = True
    return redirect(_safe_next(request.form.get("next")))


@blueprint.route("/dang-xuat", methods=["POST"])
def logout():
    people.logged_out(g.person.username, home())
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
