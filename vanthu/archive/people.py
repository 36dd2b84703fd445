"""People and roles (người dùng, vai trò) of the web app, kept in the archive database.

Passwords are stored only as argon2 hashes. Repeated failed logins lock the
account for a time that doubles with each failure, so guessing is slow while
the owner who mistyped twice is not bothered. Every change is an event in the
archive's log, naming who made it.
"""
import datetime as _dt
import json
import re
import unicodedata
from dataclasses import dataclass

from ..errors import VanthuError
from . import db, events
from .home import opened

ADMIN, CLERK, DRAFTER, LEADER = "quan-tri", "van-thu", "chuyen-vien", "lanh-dao"
ROLES = {ADMIN: "Quản trị", CLERK: "Văn thư", DRAFTER: "Chuyên viên", LEADER: "Lãnh đạo"}
SECRET_ROLES = (CLERK, LEADER)  # who may read a secret document by default (web.md)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length; a megabyte "password" is an attack, not a person
FREE_FAILURES = 3    # mistakes allowed before the account is slowed down
MAX_LOCK_SECONDS = 15 * 60
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@dataclass(frozen=True)
class Person:
    """One user (người dùng): login name, full name, title, roles."""

    username: str
    full_name: str = ""
    title: str = ""
    roles: tuple = ()
    active: bool = True

    def has(self, *roles):
        return any(role in self.roles for role in roles)

    @property
    def display(self):
        return self.full_name or self.username

    @property
    def role_names(self):
        return ", ".join(ROLES[r] for r in self.roles if r in ROLES)


class LoginRefused(VanthuError):
    """Wrong name or password, a disabled account, or one locked after repeated failures."""


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def _now():
    return _dt.datetime.now(_dt.timezone.utc)


def check_username(name):
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    if not _USERNAME.match(name):
        raise VanthuError(f"tên đăng nhập '{name}' không hợp lệ: 2-32 ký tự a-z, 0-9, dấu . _ -, "
                          "bắt đầu bằng chữ hoặc số (ví dụ lan.nt)")
    return name


def check_roles(roles):
    roles = tuple(dict.fromkeys(r.strip() for r in roles if r and r.strip()))
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise VanthuError(f"vai trò '{', '.join(unknown) or '(trống)'}' không có; dùng: {', '.join(ROLES)}")
    return roles


def check_password(password):
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise VanthuError(f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    if len(password) > MAX_PASSWORD:
        raise VanthuError(f"mật khẩu dài quá {MAX_PASSWORD} ký tự")
    return password


def _person(row):
    return Person(row["username"], row["full_name"], row["title"], tuple(json.loads(row["roles"])), bool(row["active"]))


def _row(conn, username):
    return conn.execute("SELECT * FROM people WHERE username = ?", (username,)).fetchone()


def _log(archive, action, detail):
    archive.log(action, detail)


def add(username, password, roles, home=None, full_name="", title=""):
    """Add a person; returns the :class:`Person`. A taken name is refused."""
    username, roles = check_username(username), check_roles(roles)
    hashed = _hasher().hash(check_password(password))
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            if _row(archive.conn, username):
                raise VanthuError(f"đã có người dùng '{username}'")
            archive.conn.execute(
                "INSERT INTO people (username, full_name, title, roles, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (username, full_name.strip(), title.strip(), json.dumps(roles), hashed, _now().isoformat()))
            _log(archive, "user-add", {"username": username, "roles": list(roles)})
        archive.remember_log_head()
    return Person(username, full_name.strip(), title.strip(), roles)


def everyone(home=None):
    """Every person, by login name."""
    with opened(home) as archive:
        return [_person(r) for r in archive.conn.execute("SELECT * FROM people ORDER BY username")]


def count_active(home=None):
    with opened(home) as archive:
        return archive.conn.execute("SELECT count(*) FROM people WHERE active = 1").fetchone()[0]


def get(username, home=None):
    """The person called ``username`` (active or not), else a VanthuError."""
    with opened(home) as archive:
        row = _row(archive.conn, str(username))
    if row is None:
        raise VanthuError(f"không có người dùng '{username}'; xem danh sách: vanthu user list")
    return _person(row)


def _change(username, home, action, sql, args, detail=None):
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            if not _row(archive.conn, username):
                raise VanthuError(f"không có người dùng '{username}'; xem danh sách: vanthu user list")
            archive.conn.execute(sql, (*args, username))
            _log(archive, action, {"username": username, **(detail or {})})
        archive.remember_log_head()


def set_password(username, password, home=None):
    """A new password; also lifts a lock from failed logins."""
    hashed = _hasher().hash(check_password(password))
    _change(username, home, "user-passwd",
            "UPDATE people SET password_hash = ?, failed_logins = 0, locked_until = '' WHERE username = ?", (hashed,))


def disable(username, home=None):
    """The person can no longer log in; their name stays in the log and on their documents."""
    _change(username, home, "user-disable", "UPDATE people SET active = 0 WHERE username = ?", ())


def set_roles(username, roles, home=None):
    roles = check_roles(roles)
    _change(username, home, "user-roles", "UPDATE people SET roles = ? WHERE username = ?", (json.dumps(roles),),
            {"roles": list(roles)})


_DUMMY_HASH = None


def _dummy_verify(password):
    """Spend the same time for an unknown name as for a wrong password (no user enumeration)."""
    global _DUMMY_HASH
    from argon2.exceptions import VerificationError
    _DUMMY_HASH = _DUMMY_HASH or _hasher().hash("not a real password")
    try:
        _hasher().verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def lock_seconds(failures):
    """How long the account waits after ``failures`` wrong passwords in a row: 0, then 2, 4, 8 s ... up to 15 min."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES + 1), MAX_LOCK_SECONDS)


def authenticate(username, password, home=None):
    """The :class:`Person` if ``password`` is theirs; else :class:`LoginRefused` (one message for every cause)."""
    username = str(username or "").strip().lower()
    password = str(password or "")[:MAX_PASSWORD + 1]
    with opened(home) as archive:
        row = _row(archive.conn, username)
        if row is None or not row["active"]:
            _dummy_verify(password)
            raise LoginRefused("sai tên đăng nhập hoặc mật khẩu")
        _refuse_if_locked(row)
        if not _verify(row["password_hash"], password):
            _count_failure(archive, row)
            raise LoginRefused("sai tên đăng nhập hoặc mật khẩu")
        _reset(archive, row)
    return _person(row)


def _refuse_if_locked(row):
    if row["locked_until"] and _dt.datetime.fromisoformat(row["locked_until"]) > _now():
        wait = int((_dt.datetime.fromisoformat(row["locked_until"]) - _now()).total_seconds()) + 1
        raise LoginRefused(f"đăng nhập sai nhiều lần; hãy thử lại sau {wait} giây")


def _verify(hashed, password):
    from argon2.exceptions import InvalidHashError, VerificationError
    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(archive, row):
    failures = row["failed_logins"] + 1
    until = _now() + _dt.timedelta(seconds=lock_seconds(failures))
    with db.write_transaction(archive.conn):
        archive.conn.execute("UPDATE people SET failed_logins = ?, locked_until = ? WHERE username = ?",
                             (failures, until.isoformat() if lock_seconds(failures) else "", row["username"]))
        _log(archive, "login-failed", {"username": row["username"], "failures": failures})
    archive.remember_log_head()


def _reset(archive, row):
    with db.write_transaction(archive.conn):
        if row["failed_logins"]:
            archive.conn.execute("UPDATE people SET failed_logins = 0, locked_until = '' WHERE username = ?",
                                 (row["username"],))
        with events.acting_as(row["username"]):
            _log(archive, "login", {"username": row["username"]})
    archive.remember_log_head()


def logged_out(username, home=None):
    """Log a logout (đăng xuất), naming the person."""
    with opened(home) as archive:
        with db.write_transaction(archive.conn), events.acting_as(username):
            _log(archive, "logout", {"username": username})
        archive.remember_log_head()


def may_see_secret(person, settings=None):
    """May this person read a secret document's subject, body and files (độ mật)?"""
    allowed = getattr(settings, "secret_roles", None) or SECRET_ROLES
    return person is not None and person.has(*allowed)
