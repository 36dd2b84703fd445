"""Seals of hồ sơ and Danh mục rows (niêm phong hồ sơ): as :mod:`.seal` does for documents.

Every event that creates or changes a hồ sơ carries ``detail["dossier_row"]``,
the SHA-256 of the row and of the documents filed in it (their order
numbers); an event about a year's Danh mục carries ``detail["plan_row"]``,
the hash of the plan and its headings. ``vanthu verify`` re-derives both, so a
hồ sơ retitled, a document slipped into a transferred hồ sơ or a retention
changed with ``sqlite3`` behind vanthu's back is reported by name.
"""
import hashlib
import json

from . import events

DOSSIER_COLUMNS = ("id", "year", "code", "position", "heading_id", "in_plan", "title", "retention", "keeper", "rights",
                   "language", "description", "state", "opened_at", "closed_at", "transferred_at", "package")
ITEM_COLUMNS = ("ordinal", "document_id", "draft_id", "added_at", "added_by")
PLAN_COLUMNS = ("year", "organ_name", "parent_name", "decision", "numbering", "copied_from", "state", "approved_by",
                "approved_at", "created_at")
HEADING_COLUMNS = ("id", "position", "label", "code", "title", "parent_id")


def _hash(content):
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def dossier_digest(row, items):
    """The seal of one hồ sơ: its row and its filed documents."""
    return _hash([[row[c] for c in DOSSIER_COLUMNS], sorted([[i[c] for c in ITEM_COLUMNS] for i in items],
                                                            key=lambda x: x[0])])


def plan_digest(row, headings):
    """The seal of one year's Danh mục hồ sơ: the plan and its headings."""
    return _hash([[row[c] for c in PLAN_COLUMNS], sorted([[h[c] for c in HEADING_COLUMNS] for h in headings])])


def of_dossier(conn, dossier_id):
    row = conn.execute("SELECT * FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
    items = conn.execute("SELECT * FROM dossier_items WHERE dossier_id = ?", (dossier_id,)).fetchall()
    return dossier_digest(row, items)


def of_plan(conn, year):
    row = conn.execute("SELECT * FROM dossier_plans WHERE year = ?", (year,)).fetchone()
    headings = conn.execute("SELECT * FROM dossier_headings WHERE year = ?", (year,)).fetchall()
    return plan_digest(row, headings)


def problems(conn):
    """Every hồ sơ and Danh mục whose rows differ from their last sealed event, in Vietnamese."""
    logged_dossiers, logged_plans = _logged(conn)
    found = _dossier_problems(conn, logged_dossiers)
    return found + _plan_problems(conn, logged_plans)


def _logged(conn):
    """``({dossier id: (event id, seal, code)}, {year: (event id, seal)})`` from the newest event of each."""
    dossiers, plans = {}, {}
    # a range, not LIKE: SQLite reads it from the events_action index (verify is a benchmarked path)
    for event in conn.execute("SELECT id, detail FROM events WHERE action >= 'dossier' AND action < 'dossies'"
                              " ORDER BY id"):
        detail = events.parsed_detail(event["detail"])
        if "dossier_row" in detail:
            dossiers[detail.get("dossier")] = (event["id"], detail["dossier_row"], detail.get("code", "?"))
        for dossier_id, (code, digest) in (detail.get("dossier_rows") or {}).items():  # a plan's hồ sơ, one event
            if digest is None:  # removed with the draft plan it belonged to
                dossiers.pop(int(dossier_id), None)
            else:
                dossiers[int(dossier_id)] = (event["id"], digest, code)
        if "plan_row" in detail:
            plans[detail.get("plan")] = (event["id"], detail["plan_row"])
    return dossiers, plans


def _dossier_problems(conn, logged):
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM dossiers")}
    items = {}
    for item in conn.execute("SELECT * FROM dossier_items"):
        items.setdefault(item["dossier_id"], []).append(item)
    found = []
    for dossier_id, row in sorted(rows.items()):
        name = f"hồ sơ {row['code']} năm {row['year']}"
        if dossier_id not in logged:
            found.append(f"{name} (mục {dossier_id}) không có mục nào trong nhật ký: được thêm vào ngoài vanthu")
        elif dossier_digest(row, items.get(dossier_id, ())) != logged[dossier_id][1]:
            found.append(f"{name}: nội dung hoặc văn bản trong hồ sơ khác với nhật ký mục {logged[dossier_id][0]} "
                         "(đã bị sửa ngoài vanthu)")
    found += [f"hồ sơ {code} (nhật ký mục {event_id}) không còn trong cơ sở dữ liệu (đã bị xóa ngoài vanthu)"
              for dossier_id, (event_id, _, code) in sorted(logged.items()) if dossier_id not in rows]
    return found


def _plan_problems(conn, logged):
    found = []
    years = [r["year"] for r in conn.execute("SELECT year FROM dossier_plans ORDER BY year")]
    for year in years:
        if year not in logged:
            found.append(f"Danh mục hồ sơ năm {year} không có mục nào trong nhật ký: được thêm vào ngoài vanthu")
        elif of_plan(conn, year) != logged[year][1]:
            found.append(f"Danh mục hồ sơ năm {year}: khác với nhật ký mục {logged[year][0]} (đã bị sửa ngoài vanthu)")
    found += [f"Danh mục hồ sơ năm {year} (nhật ký mục {event_id}) không còn trong cơ sở dữ liệu (đã bị xóa)"
              for year, (event_id, _) in sorted(logged.items()) if year not in years]
    return found


