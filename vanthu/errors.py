"""The one error type a user (the clerk) sees.

Every problem the user can fix raises :class:`VanthuError`. Only ``cli.py``
prints it: one Vietnamese line per problem, exit status 1. Anything else is a
bug and shows a traceback only with ``--traceback``.
"""
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
