"""The environment (môi trường chạy): every setting vanthu takes from outside, in one place.

Each setting has an environment variable; the CLI's options (``--home``,
``--templates``, ``--traceback``) override it for one run, and a web skin
passes its own :class:`Environment`. Nothing else in the package reads
``os.environ`` for these (the README lists them). Values are read when asked
for, so a variable set by a test or a wrapper script counts.
"""
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .errors import VanthuError

DEFAULT_HOME = "vanthu-data"

# attribute -> variable
VARIABLES = {
    "home": "VANTHU_HOME",            # the archive home: database, files, index
    "templates": "VANTHU_TEMPLATES",  # the clerk's own templates, before HOME/templates and the built-ins
    "soffice": "VANTHU_SOFFICE",      # the LibreOffice program, else soffice / libreoffice on PATH
    "cache": "VANTHU_CACHE",          # where the LibreOffice template profile is kept
    "workers": "VANTHU_PDF_WORKERS",  # at most this many LibreOffice processes (default: one per core)
    "traceback": "VANTHU_TRACEBACK",  # non-empty: an internal error prints its whole traceback
    "user": "VANTHU_USER",            # who acts on the command line (--as), else the operating-system user
    "database": "VANTHU_DB",          # postgresql://...: the register on a server (else the home's SQLite file)
}


@dataclass(frozen=True)
class Environment:
    """What one run of vanthu works with (thư mục kho, mẫu, LibreOffice, ...)."""

    home: str = DEFAULT_HOME
    templates: Optional[str] = None
    soffice: Optional[str] = None
    cache: Path = None
    workers: int = 0  # 0: one per core
    traceback: bool = False
    user: Optional[str] = None
    database: Optional[str] = None

    @classmethod
    def read(cls, environ=None):
        """The environment from ``environ`` (default: the process's variables)."""
        get = (os.environ if environ is None else environ).get
        values = {name: get(variable) or None for name, variable in VARIABLES.items()}
        return cls(home=values["home"] or DEFAULT_HOME, templates=values["templates"], soffice=values["soffice"],
                   cache=Path(values["cache"] or _user_cache(get)), workers=_count(values["workers"]),
                   traceback=bool(values["traceback"]), user=values["user"], database=values["database"])

    def given(self, **options):
        """This environment with the options that were given (not None) put in."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def current():
    """The process's environment, read now."""
    return Environment.read()


def _count(text):
    if text is None:
        return 0
    if not text.strip().isdigit():
        raise VanthuError(f"{VARIABLES['workers']}={text}: cần một số nguyên dương")
    return int(text)


def _user_cache(get):
    return os.path.join(get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vanthu")
