"""The clock is read when it is needed, never when a module is imported.

A "today" fixed at import is wrong the next day: for ``vanthu serve`` left
running overnight (an overdue count one day late), and for a test suite whose
run crosses midnight (its expected dates one day behind vanthu's). So no
module of vanthu or of its tests may read the clock at import time: at module
level, in a class body, in a default argument or in a decorator's arguments.
Tests take the ``today`` / ``day`` fixtures (conftest.py) instead.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
CLOCK = {"today", "now", "utcnow", "time", "localtime", "gmtime", "time_ns"}
# An anchor the test certificates' validity is built from and compared with, never with a date: one instant is right.
ALLOWED = {("tests/signkit.py", "dt.datetime.now(dt.timezone.utc)")}


class _ImportTimeCalls(ast.NodeVisitor):
    """Calls of ``x.today()``, ``x.now()``, ``time.time()`` … that run when the module is imported."""

    def __init__(self):
        self.found, self.depth = [], 0

    def visit_FunctionDef(self, node):
        for evaluated_now in node.args.defaults + node.args.kw_defaults + node.decorator_list:
            if evaluated_now is not None:
                self.visit(evaluated_now)
        self.depth += 1
        for statement in node.body:
            self.visit(statement)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        for evaluated_now in node.args.defaults:
            self.visit(evaluated_now)

    def visit_Call(self, node):
        if not self.depth and isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK:
            self.found.append((node.lineno, ast.unparse(node)))
        self.generic_visit(node)


def import_time_clock_reads(path):
    visitor = _ImportTimeCalls()
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return visitor.found


def test_no_module_reads_the_clock_at_import():
    found = []
    for folder in ("vanthu", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            found += [f"{name}:{line}: {call}" for line, call in import_time_clock_reads(path)
                      if (name, call) not in ALLOWED]
    assert found == []


def test_the_scan_finds_each_way_of_fixing_the_clock_at_import(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import datetime as dt\nimport time\nTODAY = dt.date.today()\n"
                      "def f(day=dt.date.today()):\n    return dt.datetime.now()\n"
                      "class C:\n    started = time.time()\n"
                      "@decorate(dt.datetime.utcnow())\ndef g():\n    pass\n"
                      "h = lambda at=dt.datetime.now(): at\n", encoding="utf-8")
    assert import_time_clock_reads(source) == [(3, "dt.date.today()"), (4, "dt.date.today()"), (7, "time.time()"),
                                               (8, "dt.datetime.utcnow()"), (11, "dt.datetime.now()")]
