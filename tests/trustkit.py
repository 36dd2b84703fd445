"""Helpers for the hostile tests of issue 9: records to issue again and again, sqlite3 behind vanthu's back."""
import os
import re
import subprocess
from pathlib import Path

DATA = Path(__file__).parent / "data"


def write_record(folder, n, extra=""):
    """The seed dispatch without its number and date (vanthu numbers it, dated today), subject made unique."""
    text = (DATA / "4482-SYT-VP.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^(number|date): .*\n", "", text, flags=re.M)
    text = text.replace("subject: triển khai", f"subject: đợt {n} triển khai", 1) + extra
    path = Path(folder) / f"cv-{n}.yaml"
    path.write_text(text, encoding="utf-8")
    return path.name


def sqlite(home, *statements):
    """Run SQL with the sqlite3 program, as someone editing the database behind vanthu's back would
    (on PostgreSQL, with a superuser's session: statements only, no dot commands)."""
    if os.environ.get("VANTHU_DB"):
        return _on_server(home, statements)
    script = "".join(s + "\n" if s.startswith(".") else s + ";\n" for s in statements)  # dot commands end at the line
    result = subprocess.run(["sqlite3", str(Path(home) / "vanthu.sqlite3")], input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _on_server(home, statements):
    import archivekit
    conn = archivekit.database(home)
    try:
        printed = []
        for statement in statements:
            assert not statement.startswith("."), f"{statement}: a sqlite3 dot command (mark the test sqlite_only)"
            printed += ["|".join("" if v is None else str(v) for v in row) for row in conn.execute(statement).fetchall()]
        return "".join(line + "\n" for line in printed)
    finally:
        conn.close()


class Run:
    def __init__(self, result):
        self.code, self.out, self.err = result.returncode, result.stdout, result.stderr

    @property
    def err_lines(self):
        return [line for line in self.err.splitlines() if line.strip()]


def vanthu(home, *args, cwd=None, env=None, timeout=300):
    """``vanthu ARGS`` in a process of its own (nothing cached between commands, as a clerk runs it)."""
    import os
    import sys
    full_env = {**os.environ, "VANTHU_HOME": str(home), **(env or {})}
    result = subprocess.run([sys.executable, "-m", "vanthu.cli", *map(str, args)], cwd=cwd or Path(home).parent,
                            env=full_env, capture_output=True, text=True, timeout=timeout)
    return Run(result)
