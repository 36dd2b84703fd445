"""Electronic-document metadata (thông tin đầu vào), Nghị định 30 Phụ lục VI Part II.

Field names as the decree gives them (``OrganId``, ``SignerInfo`` spelled
with a capital I). The decree fixes neither the ``Priority`` codes nor the
date format; we use 0-3 for thường, khẩn, thượng khẩn, hỏa tốc and ISO dates.
"""
PRIORITY = {None: 0, "khẩn": 1, "thượng khẩn": 2, "hỏa tốc": 3}
LANGUAGE = "Tiếng Việt"


def _common(document, organ_id, pages):
    """Fields 1-11, shared by outgoing and incoming documents."""
    return {
        "FileCode": {"OrganId": organ_id[:13], "FileCatalog": document.year, "FileNotation": ""},
        "DocOrdinal": None,  # set when the document is put in a case file (hồ sơ)
        "TypeName": document.type_name[:100],
        "CodeNumber": document.number.printed_number,
        "CodeNotation": document.number.symbol[:30],
        "IssuedDate": document.date.isoformat(),
        "OrganName": document.issuer_name[:200],
        "Subject": document.subject[:500],
        "Language": LANGUAGE,
        "PageAmount": pages,
        "Description": "",
    }


def outgoing(document, organ_id="", pages=None, copies=None):
    """Metadata of an issued document (văn bản đi), fields 1-16."""
    return {
        **_common(document, organ_id, pages),
        "SignerInfo": {"Position": document.signer_title[:100], "FullName": document.signer[:50]},
        "To": [{"OrganId": "", "OrganName": name[:200]} for name in document.recipients],
        "Priority": PRIORITY.get(document.urgency, 0),
        "IssuedAmount": copies,
        "DueDate": None,
    }


def incoming(document, organ_id="", pages=None):
    """Metadata of a received document (văn bản đến), fields 1-18."""
    return {
        **_common(document, organ_id, pages),
        "ArrivalDate": document.arrival_date.isoformat(),
        "ArrivalNumber": document.arrival_number,
        "SignerInfo": {"Position": document.signer_title[:100], "FullName": document.signer[:50]},
        "Priority": PRIORITY.get(document.urgency, 0),
        "ToPlaces": "",
        "TraceHeaderList": "",
        "DueDate": None,
    }
