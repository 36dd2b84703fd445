"""Copies on the web (sao văn bản, Điều 25): the văn thư's "Sao văn bản" form on a document's page.

One POST calls the core's :func:`vanthu.archive.copying.make_copy`, as
``vanthu copy NUMBER --kind …`` does; the core numbers, makes, stores and
refuses. The page only says the core's refusals in web words (its boxes for
the CLI's options) and goes to the new copy's page.
"""
import re

from flask import Blueprint, flash, g, redirect, request, url_for

from ..archive import people
from ..errors import VanthuError
from ..vndate import short_date
from .auth import home, roles_required
from .pages import readable_entry

blueprint = Blueprint("copies", __name__)
KINDS = (("sao-y", "Sao y"), ("sao-luc", "Sao lục (từ một bản sao y)"), ("trich-sao", "Trích sao (một số trang)"))
# The core's refusals name the CLI's options; on the web they are the form's boxes.
_WEB_WORDS = ((re.compile(r"Sao y trước: vanthu copy \S+ --kind sao-y, rồi"), "Sao y trước (chọn Sao y), rồi"),
              (re.compile(r"thì dùng --kind sao-luc"), "thì chọn Sao lục"),
              (re.compile(r"thêm --secret"), "đánh dấu ô \"Người có thẩm quyền cho sao văn bản mật\""),
              (re.compile(r"--pages"), "Trang"), (re.compile(r"--signer"), "ô Người ký"),
              (re.compile(r"--title"), "ô Chức vụ"), (re.compile(r"--place"), "địa danh"),
              (re.compile(r"ghi trên dòng lệnh hoặc"), "ghi vào ô trên trang hoặc"))


@blueprint.app_template_global("copy_kinds")
def copy_kinds():
    return KINDS


@blueprint.app_template_global("copy_signer")
def copy_signer():
    """Who usually signs copies (``defaults.signer`` of settings.yaml), to fill the form with."""
    from ..archive.home import settings_of
    signer = settings_of(home()).defaults.get("signer") or {}
    return {"name": signer.get("name", ""), "title": signer.get("title", "")}


def in_web_words(message):
    for option, words in _WEB_WORDS:
        message = option.sub(words, message)
    return message


@blueprint.route("/van-ban/<int:document_id>/sao", methods=["POST"])
@roles_required(people.CLERK)
def make(document_id):
    """The văn thư copies the document: its own number in the series of copies, files, log, link."""
    from ..archive.copying import make_copy
    d, form = readable_entry(document_id).document, request.form
    try:
        done = make_copy(str(d.number), form.get("kind", ""), home(), pages=form.get("pages", "").strip()[:100] or None,
                         signer=form.get("signer", "").strip()[:200] or None,
                         title=form.get("title", "").strip()[:200] or None, year=d.year, secret=d.is_secret,
                         allow_secret=form.get("allow_secret") == "1")
    except VanthuError as problem:
        for p in problem.problems:
            flash(f"Không sao được: {in_web_words(p.message)}", "error")
        return redirect(url_for("pages.document", document_id=document_id))
    flash(f"Đã sao số {done.number} ngày {short_date(done.date)} (bản sao của văn bản {d.number}).", "ok")
    return redirect(url_for("pages.document", document_id=done.id))
