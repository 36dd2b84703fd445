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

VERSION = 1
COLUMNS = ("id", "direction", "year", "series", "serial", "number", "symbol", "number_key", "date", "template",
           "type_name", "title", "issuer_name", "issuer_key", "issuer_code", "issuer_parent", "subject", "body",
           "signer", "signer_title", "recipients", "copy_holders", "confidentiality", "urgency", "arrival_number",
           "arrival_date", "metadata")


def digest(row, files, links):
    """The seal of one row: ``row`` (a documents row), its ``files`` and ``links`` rows."""
    content = [[row[name] for name in COLUMNS],
               sorted([f["role"], f["path"], f["sha256"], f["size"]] for f in files),
               sorted([link["kind"], link["target_id"]] for link in links)]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


def of_document(conn, document_id):
    """The seal of one document, read back from the database (inside the transaction that wrote it)."""
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
    files = conn.execute("SELECT * FROM files WHERE document_id = ?", (document_id,)).fetchall()
    links = conn.execute("SELECT * FROM links WHERE document_id = ?", (document_id,)).fetchall()
    return digest(row, files, links)


def of_all(conn):
    """``{document id: (row, seal)}`` of the whole register, in three queries."""
    files, links = _grouped(conn, "files"), _grouped(conn, "links")
    return {row["id"]: (row, digest(row, files.get(row["id"], ()), links.get(row["id"], ())))
            for row in conn.execute("SELECT * FROM documents")}


def _grouped(conn, table):
    grouped = {}
    for row in conn.execute(f"SELECT * FROM {table}"):
        grouped.setdefault(row["document_id"], []).append(row)
    return grouped
