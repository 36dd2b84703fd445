"""The web app (ứng dụng web): the second thin skin over the core, beside ``cli.py``.

Flask with server-rendered Jinja pages and a vendored htmx for the partial
updates (preview, search results). No document, numbering, archive or search
logic lives here: every page calls the same core functions the CLI calls.
Only this package imports Flask.
"""
import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from ..archive.home import Home

MAX_UPLOAD = 50 * 1024 * 1024      # a scanned dispatch is a few MB; more is a mistake
MAX_FORM_FIELD = 1024 * 1024       # one form field: a long document is 100 KB of text


def create_app(home=None, library=None, *, max_upload=MAX_UPLOAD, secure_cookies=False):
    """The Flask app serving the archive home ``home`` (``library``: the template library)."""
    from ..templates import TemplateLibrary
    root = Home.locate(home).root
    Home(root).prepare()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(root), VANTHU_HOME=str(root),
        VANTHU_LIBRARY=library or TemplateLibrary([root / "templates"]),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="vanthu_session", PERMANENT_SESSION_LIFETIME=12 * 3600,
        MAX_CONTENT_LENGTH=max_upload, MAX_FORM_MEMORY_SIZE=MAX_FORM_FIELD, MAX_FORM_PARTS=2000,
        WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=False)
    app.json.ensure_ascii = False  # Vietnamese as it is, like `vanthu search --json`
    CSRFProtect(app)
    from . import auth, copy_pages, dossier_pages, drafting, handling, pages, people_admin, records_pages, signoff_pages
    for module in (auth, pages, drafting, people_admin, signoff_pages, handling, records_pages, dossier_pages,
                   copy_pages):
        app.register_blueprint(module.blueprint)
    auth.install(app)
    return app


def _secret_key(root):
    """The key that signs session cookies: made once per home, readable by its owner only."""
    path = Path(root) / "web-secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
