"""Row seals (niêm phong mục sổ): the hash of a register row's canonical content.

Each event that creates or changes a document carries the seal of the row as
it was written (``detail["row"]``). ``vanthu verify`` re-derives the seal of
every row, so a row edited behind vanthu's back (``sqlite3 ... UPDATE``) is
reported, naming the document. The content is everything a reader relies on:
number, dates, issuer, type, subject, body, signer, secrecy, the files'
checksums and the links.
"""
import hashlib
import json

# The sealed columns of each seal version. A new column to seal makes a new version: events keep
# the version they were sealed with, so older rows are still checked against what they sealed.
COLUMNS = {
    1: ("id", "direction", "year", "series", "serial", "number", "symbol", "number_key", "date", "template",
        "type_name", "title", "issuer_name", "issuer_key", "issuer_code", "issuer_parent", "subject", "body",
        "signer", "signer_title", "recipients", "copy_holders", "confidentiality", "urgency", "arrival_number",
        "arrival_date", "metadata", "content_hash"),
}
VERSION = max(COLUMNS)


def digest(row, files, links, version=VERSION):
    """The seal of one row: ``row`` (a documents row), its ``files`` and ``links`` rows."""
    content = [[row[name] for name in COLUMNS[version]],
               sorted([f["role"], f["path"], f["sha256"], f["size"]] for f in files),
               sorted([link["kind"], link["target_id"]] for link in links)]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


def of_document(conn, document_id):
    """The seal of one document, read back from the database (inside the transaction that wrote it)."""
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
    files = conn.execute("SELECT * FROM files WHERE document_id = ?", (document_id,)).fetchall()
    links = conn.execute("SELECT * FROM links WHERE document_id = ?", (document_id,)).fetchall()
    return digest(row, files, links)


def of_all(conn, versions=None):
    """``{document id: (row, seal)}`` of the whole register, in three queries.

    ``versions``: ``{document id: seal version}`` as logged (default: the current one).
    """
    files, links, versions = _grouped(conn, "files"), _grouped(conn, "links"), versions or {}
    return {row["id"]: (row, digest(row, files.get(row["id"], ()), links.get(row["id"], ()),
                                    versions.get(row["id"], VERSION)))
            for row in conn.execute("SELECT * FROM documents")}


def _grouped(conn, table):
    grouped = {}
    for row in conn.execute(f"SELECT * FROM {table}"):
        grouped.setdefault(row["document_id"], []).append(row)
    return grouped
