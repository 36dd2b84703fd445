"""The one error type a user (the clerk) sees.

Every problem the user can fix raises :class:`VanthuError`. Only ``cli.py``
prints it: one Vietnamese line per problem, exit status 1. Anything else is a
bug and shows a traceback only with ``--traceback``.
"""
import errno
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input (lỗi), located as ``file:line: key: message``."""

    message: str
    file: str = ""
    line: int = 0
    key: str = ""

    def __str__(self):
        where = [self.file] if self.file else []
        if self.file and self.line:
            where.append(str(self.line))
        if self.key:
            where.append(self.key)
        return ": ".join([":".join(where[:2])] + where[2:] + [self.message]) if where else self.message


class VanthuError(Exception):
    """A user error (lỗi người dùng): bad input, missing file, refused action."""

    def __init__(self, *problems):
        self.problems = [p if isinstance(p, Problem) else Problem(str(p)) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def collect(cls, problems):
        """Raise one error carrying every problem, if there is any."""
        if problems:
            raise cls(*problems)


_SYSTEM = {  # errno -> what the clerk reads; the action was all or nothing, so running it again is safe
    errno.ENOSPC: "đĩa đầy", errno.EDQUOT: "hết hạn mức đĩa", errno.EROFS: "ổ đĩa chỉ đọc",
    errno.EACCES: "không có quyền", errno.EPERM: "không có quyền", errno.EFBIG: "tệp quá lớn cho ổ đĩa",
}
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_SQLITE = {"database or disk is full": errno.ENOSPC, "attempt to write a readonly database": errno.EROFS}


def from_system(error):
    """A system error the clerk can act on (đĩa đầy, chỉ đọc, không có quyền) as a :class:`VanthuError`, else None.

    Looks through the chain of causes: a library may wrap the OSError.
    """
    while error is not None:
        code = getattr(error, "errno", None) if isinstance(error, OSError) else _SQLITE.get(str(error))
        if code in _SYSTEM:
            where = f" ({error.filename})" if getattr(error, "filename", None) else ""
            remedy = "giải phóng chỗ trống" if code in _FULL else "dùng thư mục ghi được (hoặc xin quyền)"
            return VanthuError(f"{_SYSTEM[code]}{where}: việc đang làm đã dừng, không có gì ghi dở; {remedy} rồi chạy lại")
        error = error.__cause__ or error.__context__
    return None
