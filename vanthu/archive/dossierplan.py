"""Danh mục hồ sơ (the year's file plan), Nghị định 30 Điều 28 and Phụ lục V mục I–II.

Written as YAML (its format in docs/dossiers.md), copied from last year's,
loaded as a draft (replaced as often as needed while no hồ sơ of it is open),
then approved by the head of the body: only then are its hồ sơ opened.
Headings are numbered I, II, … and their sub-headings 1, 2, …; each hồ sơ
gets its number and the heading's abbreviation (``01.TCCB``), counted through
the whole plan or within each heading (Phụ lục V I.2).
"""
import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlfile
from ..errors import Problem, VanthuError
from ..files import write_atomic
from ..vndate import checked_year
from . import dossiers, dossierseal, events
from .dossiers import Retention, changing

NUMBERINGS = {"de-muc": "trong từng đề mục lớn", "toan-danh-muc": "liên tục trong toàn Danh mục"}
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number):
    """``4`` -> ``IV``: the big headings' numbers (Phụ lục V I.1)."""
    out = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


@dataclass
class PlannedDossier:
    code: str
    title: str
    retention: Retention
    keeper: str = ""
    note: str = ""


@dataclass
class Heading:
    """Đề mục: a big heading (label ``I``) or a sub-heading (``I.1``), with its hồ sơ."""

    label: str
    title: str
    code: str = ""
    dossiers: list = field(default_factory=list)
    sections: list = field(default_factory=list)

    @property
    def number(self):
        """As printed: ``I.`` for a big heading, ``1.`` for a sub-heading."""
        return f"{self.label.split('.')[-1]}."


@dataclass
class Plan:
    """One year's Danh mục hồ sơ."""

    year: int
    organ: str = ""
    parent: str = ""
    decision: str = ""
    numbering: str = "de-muc"
    headings: list = field(default_factory=list)
    state: str = "du-thao"
    approved_by: str = ""
    approved_at: str = ""
    copied_from: object = None

    def all_dossiers(self):
        for heading in self.headings:
            yield from heading.dossiers
            for section in heading.sections:
                yield from section.dossiers

    def counts(self):
        """(all, permanent, limited-term): the model's closing lines."""
        found = list(self.all_dossiers())
        permanent = sum(1 for d in found if d.retention.permanent)
        return len(found), permanent, len(found) - permanent


# --- reading the YAML -----------------------------------------------------------------


def parse(path):
    """A :class:`Plan` from the clerk's YAML file; every problem found, with its line."""
    return parse_data(yamlfile.load(path), str(path))


def parse_text(text, name="Danh mục hồ sơ"):
    """A :class:`Plan` from YAML text (the web app's form)."""
    if len(text.encode("utf-8")) > yamlfile.MAX_BYTES:
        raise VanthuError("Danh mục hồ sơ quá dài")
    return parse_data(yamlfile.loads(text, name), name)


def parse_data(data, name):
    problems = []
    if not isinstance(data, dict):
        raise VanthuError(Problem("Danh mục hồ sơ phải là một bảng có year, organ, headings", name, 1))
    plan = Plan(_year(data, problems, name), _text(data, "organ", 200), _text(data, "parent", 200),
                _text(data, "decision", 300), str(data.get("numbering") or "de-muc"))
    copied = data.get("copied_from")
    plan.copied_from = copied if isinstance(copied, int) else None
    if plan.numbering not in NUMBERINGS:
        problems.append(Problem(f"numbering phải là de-muc hoặc toan-danh-muc, không phải '{plan.numbering}'", name,
                                yamlfile.line_of(data, "numbering"), "numbering"))
    headings = data.get("headings")
    if not isinstance(headings, list) or not headings:
        problems.append(Problem("cần ít nhất một đề mục (headings)", name, yamlfile.line_of(data, "headings"), "headings"))
        headings = []
    counter = _Counter(plan.numbering)
    plan.headings = [_heading(h, i, counter, problems, name) for i, h in enumerate(headings, start=1)]
    _refuse_repeated_codes(plan, problems, name)
    VanthuError.collect(problems)
    return plan


class _Counter:
    """Số của hồ sơ: from 01 through the whole plan, or from 01 within each big heading."""

    def __init__(self, numbering):
        self.numbering, self.count = numbering, 0

    def heading(self):
        if self.numbering == "de-muc":
            self.count = 0

    def next(self, code):
        self.count += 1
        return f"{self.count:02d}.{code}"


def _year(data, problems, name):
    year = data.get("year")
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        problems.append(Problem(f"year phải là năm, ví dụ 2021 (không phải '{year}')", name, yamlfile.line_of(data, "year"),
                                "year"))
        return 0
    return year


def _text(data, key, limit):
    return " ".join(str(data.get(key) or "").split())[:limit]


def _heading(data, index, counter, problems, name):
    if not isinstance(data, dict) or not _text(data, "title", 300):
        problems.append(Problem(f"đề mục {index} cần title", name, yamlfile.line_of(data) if isinstance(data, dict) else 1))
        return Heading(roman(index), "")
    code = _text(data, "code", 12)
    if not code or not code.replace("-", "").isalnum():
        problems.append(Problem(f"đề mục {index} ({_text(data, 'title', 60)}) cần code: chữ viết tắt, ví dụ TCCB",
                                name, yamlfile.line_of(data), "code"))
        code = "?"
    counter.heading()
    heading = Heading(roman(index), _text(data, "title", 300), code)
    heading.dossiers = _dossiers(data.get("dossiers"), code, counter, problems, name)
    for number, section in enumerate(data.get("sections") or [], start=1):
        if not isinstance(section, dict) or not _text(section, "title", 300):
            problems.append(Problem(f"đề mục nhỏ {number} của đề mục {heading.label} cần title", name, 1))
            continue
        sub = Heading(f"{heading.label}.{number}", _text(section, "title", 300), code)
        sub.dossiers = _dossiers(section.get("dossiers"), code, counter, problems, name)
        heading.sections.append(sub)
    return heading


def _dossiers(items, code, counter, problems, name):
    found = []
    for item in items or []:
        line = yamlfile.line_of(item) if isinstance(item, dict) else 1
        if not isinstance(item, dict) or not _text(item, "title", 500):
            problems.append(Problem("mỗi hồ sơ cần title (tiêu đề hồ sơ)", name, line))
            continue
        try:
            retention = Retention.parse(item.get("retention", ""))
        except VanthuError as error:
            problems.append(Problem(str(error), name, yamlfile.line_of(item, "retention"), "retention"))
            continue
        found.append(PlannedDossier(counter.next(code), _text(item, "title", 500), retention,
                                    _text(item, "keeper", 30), _text(item, "note", 500)))
    return found


def _refuse_repeated_codes(plan, problems, name):
    codes = [d.code for d in plan.all_dossiers()]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        problems.append(Problem(f"số, ký hiệu hồ sơ lặp lại: {', '.join(repeated)} (hai đề mục cùng chữ viết tắt?)", name))


# --- storing ----------------------------------------------------------------------------


def load_plan(path, home=None):
    """``vanthu dossier plan FILE.yaml``: the year's Danh mục stored as a draft (replacing an earlier draft)."""
    return store(parse(path), home)


def store(plan, home=None):
    """Store a parsed :class:`Plan` as the year's draft Danh mục (replacing an earlier draft)."""
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    with changing(home) as archive:
        conn = archive.conn
        old = conn.execute("SELECT * FROM dossier_plans WHERE year = ?", (plan.year,)).fetchone()
        removed = _drop_draft(conn, old, plan.year) if old else {}
        conn.execute("INSERT INTO dossier_plans (year, organ_name, parent_name, decision, numbering, copied_from, state,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?, 'du-thao', ?)",
                     (plan.year, plan.organ, plan.parent, plan.decision, plan.numbering, plan.copied_from, now))
        rows = _store_headings(conn, plan)
        sealed = {**removed, **{str(i): [code, dossierseal.of_dossier(conn, i)] for i, code in rows}}
        events.append(conn, "dossier-plan", {"plan": plan.year, "dossiers": len(rows), "replaced": bool(old),
                                             "plan_row": dossierseal.of_plan(conn, plan.year), "dossier_rows": sealed},
                      head=events.read_head(archive.home.log_head))
    return plan


def _drop_draft(conn, old, year):
    """A draft plan may be replaced while none of its hồ sơ is open; returns the removed rows for the log."""
    if old["state"] == "da-duyet":
        raise VanthuError(f"Danh mục hồ sơ năm {year} đã được duyệt ngày {old['approved_at'][:10]}: không thay được. "
                          "Hồ sơ mới ngoài Danh mục mở bằng 'vanthu dossier open MÃ --title … --retention …'")
    rows = conn.execute("SELECT id, code, state FROM dossiers WHERE year = ? AND in_plan = 1", (year,)).fetchall()
    if any(r["state"] != dossiers.PLANNED for r in rows):
        raise VanthuError(f"Danh mục hồ sơ năm {year} có hồ sơ đã mở: không thay được")
    conn.execute("DELETE FROM dossiers WHERE year = ? AND in_plan = 1", (year,))
    conn.execute("DELETE FROM dossier_headings WHERE year = ?", (year,))
    conn.execute("DELETE FROM dossier_plans WHERE year = ?", (year,))
    return {str(r["id"]): [r["code"], None] for r in rows}


def _store_headings(conn, plan):
    rows, position = [], 0
    for heading in plan.headings:
        position += 1
        parent = _insert_heading(conn, plan.year, position, heading, None)
        rows += _insert_dossiers(conn, plan.year, parent, heading.dossiers, len(rows))
        for section in heading.sections:
            position += 1
            sub = _insert_heading(conn, plan.year, position, section, parent)
            rows += _insert_dossiers(conn, plan.year, sub, section.dossiers, len(rows))
    return rows


def _insert_heading(conn, year, position, heading, parent):
    return conn.execute("INSERT INTO dossier_headings (year, position, label, code, title, parent_id) VALUES"
                        " (?, ?, ?, ?, ?, ?)", (year, position, heading.label, heading.code, heading.title,
                                                parent)).lastrowid


def _insert_dossiers(conn, year, heading_id, planned, before):
    rows = []
    for offset, d in enumerate(planned, start=1):
        cursor = conn.execute("INSERT INTO dossiers (year, code, position, heading_id, in_plan, title, retention, keeper,"
                              " description, state) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                              (year, d.code, before + offset, heading_id, d.title, d.retention.key, d.keeper, d.note,
                               dossiers.PLANNED))
        rows.append((cursor.lastrowid, d.code))
    return rows


def approve(year, by, home=None, decision=None):
    """``vanthu dossier approve YEAR --by NAME``: the head of the body approves the Danh mục (Điều 28)."""
    year = checked_year(year)
    if not str(by or "").strip():
        raise VanthuError("--by: ghi người phê duyệt (người đứng đầu cơ quan), ví dụ --by \"Giám đốc Nguyễn Văn A\"")
    with changing(home) as archive:
        row = _plan_row(archive.conn, year)
        if row["state"] == "da-duyet":
            raise VanthuError(f"Danh mục hồ sơ năm {year} đã được duyệt ngày {row['approved_at'][:10]} ({row['approved_by']})")
        archive.conn.execute("UPDATE dossier_plans SET state = 'da-duyet', approved_by = ?, approved_at = ?, decision = ?"
                             " WHERE year = ?", (" ".join(by.split())[:100], _dt.date.today().isoformat(),
                                                 " ".join((decision or row["decision"]).split())[:300], year))
        events.append(archive.conn, "dossier-plan-approve", {"plan": year, "by": by,
                                                              "plan_row": dossierseal.of_plan(archive.conn, year)},
                      head=events.read_head(archive.home.log_head))
    return read(year, home)


def _plan_row(conn, year):
    row = conn.execute("SELECT * FROM dossier_plans WHERE year = ?", (year,)).fetchone()
    if row is None:
        raise VanthuError(f"chưa có Danh mục hồ sơ năm {year}: lập bằng 'vanthu dossier plan TỆP.yaml'")
    return row


def read(year, home=None):
    """The stored :class:`Plan` of ``year``."""
    from .home import opened
    with opened(home) as archive:
        return plan_of(archive.conn, year)


def plan_of(conn, year):
    row = _plan_row(conn, checked_year(year))
    plan = Plan(row["year"], row["organ_name"], row["parent_name"], row["decision"], row["numbering"], [], row["state"],
                row["approved_by"], row["approved_at"], row["copied_from"])
    headings = {}
    for h in conn.execute("SELECT * FROM dossier_headings WHERE year = ? ORDER BY position", (year,)):
        headings[h["id"]] = Heading(h["label"], h["title"], h["code"])
        parent = headings.get(h["parent_id"])
        (parent.sections if parent else plan.headings).append(headings[h["id"]])
    for d in conn.execute("SELECT * FROM dossiers WHERE year = ? AND in_plan = 1 ORDER BY position", (year,)):
        headings[d["heading_id"]].dossiers.append(PlannedDossier(d["code"], d["title"], Retention.parse(d["retention"]),
                                                                 d["keeper"], d["description"]))
    return plan


# --- copying last year's ----------------------------------------------------------------


def copy_plan(from_year, to_year, out, home=None):
    """``vanthu dossier plan --copy-from Y -o FILE.yaml``: last year's Danh mục as YAML for next year, to edit.

    The year in titles moves on (``năm 2020`` becomes ``năm 2021``); the
    decision is left empty: the new plan is approved anew.
    """
    plan = read(from_year, home)
    to_year = checked_year(to_year) or plan.year + 1
    write_atomic(Path(out), _yaml(plan, to_year).encode("utf-8"))
    return Path(out)


def _yaml(plan, to_year):
    move = lambda text: text.replace(str(plan.year), str(to_year))  # noqa: E731 - one rule for every title
    data = {"year": to_year, "copied_from": plan.year, "organ": plan.organ, "parent": plan.parent, "decision": "",
            "numbering": plan.numbering,
            "headings": [_heading_data(h, move) for h in plan.headings]}
    header = f"# Danh mục hồ sơ năm {to_year}, chép từ Danh mục năm {plan.year}: sửa, rồi 'vanthu dossier plan TỆP'\n"
    return header + yamlfile.dumps(data)


def _heading_data(heading, move):
    data = {"code": heading.code, "title": move(heading.title)}
    if heading.dossiers:
        data["dossiers"] = [_dossier_data(d, move) for d in heading.dossiers]
    if heading.sections:
        data["sections"] = [{"title": move(s.title), "dossiers": [_dossier_data(d, move) for d in s.dossiers]}
                            for s in heading.sections]
    return data


def _dossier_data(d, move):
    data = {"title": move(d.title), "retention": d.retention.years if d.retention.years else "vinh-vien"}
    if d.keeper:
        data["keeper"] = d.keeper
    if d.note:
        data["note"] = d.note
    return data


def plans(home=None):
    """Every year's Danh mục hồ sơ, newest first."""
    from .home import opened
    with opened(home) as archive:
        years = [r[0] for r in archive.conn.execute("SELECT year FROM dossier_plans ORDER BY year DESC")]
        return [plan_of(archive.conn, year) for year in years]
