"""Every signature of a PDF, validated (kiểm tra chữ ký số): the core of ``vanthu signatures``.

For each signature: who signed, who issued the certificate, when, whether
the signed bytes are intact, what changed in the file after it (nothing,
form filling such as the number and date, later signatures, or anything
else), and whether the certificate chains to a root the office trusts
(``<home>/keys/trust``). pyHanko does the validation, offline.
"""
import io
import logging
from dataclasses import dataclass
from typing import Optional

from ..errors import VanthuError
from .certs import common_name, vn_time

CHANGES = {  # pyHanko's modification levels, as a clerk reads them
    "NONE": "không có thay đổi sau khi ký",
    "LTA_UPDATES": "chỉ thêm thông tin kiểm tra chữ ký (DSS, dấu thời gian)",
    "FORM_FILLING": "chỉ điền biểu mẫu và ký tiếp (số, ngày, chữ ký số sau)",
    "ANNOTATIONS": "thêm chú thích (annotation)",
    "OTHER": "nội dung đã bị thay đổi sau khi ký",
}


@dataclass(frozen=True)
class SignatureReport:
    """One signature as checked (kết quả kiểm tra một chữ ký số)."""

    field: str
    signer: str
    issuer: str
    signed_at: Optional[object]
    intact: bool
    valid: bool
    trusted: bool
    changes: str
    change_level: str
    docmdp_ok: Optional[bool]
    certified: bool
    revision: int
    timestamped: bool
    problem: str = ""

    @property
    def ok(self):
        """Intact, cryptographically valid, trusted and not changed beyond what it allows."""
        return self.intact and self.valid and self.trusted and self.docmdp_ok is not False

    @property
    def why(self):
        """Why it is not ok, as a clerk reads it ('' when it is)."""
        if not (self.intact and self.valid):
            return "dữ liệu đã ký bị thay đổi"
        if self.docmdp_ok is False:
            return self.changes
        return "" if self.trusted else "chứng thư không dẫn tới gốc tin cậy nào đã cấu hình"

    def as_dict(self):
        return {"field": self.field, "signer": self.signer, "issuer": self.issuer,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None, "intact": self.intact,
                "valid": self.valid, "trusted": self.trusted, "changes": self.changes,
                "change_level": self.change_level, "certified": self.certified, "revision": self.revision,
                "timestamped": self.timestamped, "ok": self.ok}

    def lines(self):
        """The Vietnamese lines ``vanthu signatures`` prints for it."""
        when = vn_time(self.signed_at) if self.signed_at else "không rõ"
        kind = "chứng nhận (chỉ cho phép điền biểu mẫu)" if self.certified else "phê duyệt"
        yield f"Chữ ký '{self.field}' ({kind}), lần sửa {self.revision}"
        yield f"  Người ký: {self.signer}"
        yield f"  Tổ chức cấp chứng thư: {self.issuer}"
        yield f"  Thời gian ký: {when}" + (" (có dấu thời gian)" if self.timestamped else "")
        yield "  Toàn vẹn: " + ("có" if self.intact and self.valid else "KHÔNG: dữ liệu đã ký bị thay đổi")
        yield f"  Thay đổi sau khi ký: {self.changes}"
        yield "  Tin cậy: " + ("có, chứng thư dẫn tới gốc tin cậy của cơ quan" if self.trusted
                                else "KHÔNG: chứng thư không dẫn tới gốc tin cậy nào đã cấu hình")
        if self.problem:
            yield f"  Lỗi: {self.problem}"


def signatures(pdf, trust_roots=(), name="tệp PDF"):
    """A :class:`SignatureReport` for every signature of ``pdf`` (bytes), oldest first."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:
        raise VanthuError(f"{name}: không đọc được PDF ({error})") from None
    return [report(sig, trust_roots) for sig in embedded]


def report(sig, trust_roots):
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
    quiet = logging.getLogger("pyhanko")
    level, quiet.level = quiet.level, logging.CRITICAL  # pyHanko logs every failed check; we report them
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as error:
        return _broken(sig, error)
    finally:
        quiet.setLevel(level)
    return _from_status(sig, status)


def _from_status(sig, status):
    level = status.modification_level.name if status.modification_level is not None else "OTHER"
    intact = bool(status.intact) and status.coverage is not None and status.coverage.name in (
        "ENTIRE_FILE", "ENTIRE_REVISION")
    when = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
    cert = status.signing_cert
    return SignatureReport(sig.field_name, common_name(cert.subject), common_name(cert.issuer), when, intact,
                           bool(status.valid), bool(status.trusted), CHANGES.get(level, level), level,
                           status.docmdp_ok, sig.docmdp_level is not None, sig.signed_revision,
                           status.timestamp_validity is not None)


def _broken(sig, error):
    signer = issuer = "không rõ"
    try:
        signer, issuer = common_name(sig.signer_cert.subject), common_name(sig.signer_cert.issuer)
    except Exception:
        pass
    return SignatureReport(sig.field_name, signer, issuer, None, False, False, False, CHANGES["OTHER"], "OTHER",
                           False, False, getattr(sig, "signed_revision", -1), False, str(error))


def stored_problems(home_root, rows):
    """``vanthu verify``: every signature of every archived PDF re-validated; Vietnamese problem lines.

    ``rows``: the archive's file rows (path, number, symbol). Only PDFs that
    carry a signature are opened with pyHanko. A certificate that does not
    chain to a trusted root counts only once the office has configured roots.
    """
    from .keys import trust_roots
    problems, roots = [], None
    for row in rows:
        path = home_root / row["path"]
        if not row["path"].lower().endswith(".pdf") or not path.is_file():
            continue
        data = path.read_bytes()
        if b"/ByteRange" not in data:
            continue
        roots = trust_roots(home_root) if roots is None else roots
        problems += _stored_file_problems(row["path"], data, roots)
    return problems


def _stored_file_problems(path, data, roots):
    try:
        found = signatures(data, roots, path)
    except VanthuError as error:
        return [str(p) for p in error.problems]
    problems = []
    for r in found:
        if not (r.intact and r.valid):
            problems.append(f"chữ ký số '{r.field}' ({r.signer}) của tệp {path} không còn toàn vẹn")
        elif r.docmdp_ok is False or r.change_level == "OTHER":
            problems.append(f"tệp {path} bị sửa sau chữ ký số '{r.field}' ({r.signer}) quá mức chữ ký cho phép")
        elif roots and not r.trusted:
            problems.append(f"chữ ký số '{r.field}' của tệp {path}: chứng thư của {r.signer} không dẫn tới gốc tin cậy")
    return problems


def file_lines(home_root, path):
    """The signature lines of one file, for ``import`` and ``show``; none for an unsigned file."""
    from .keys import trust_roots
    data = path.read_bytes() if str(path).lower().endswith(".pdf") else b""
    if b"/ByteRange" not in data:
        return []
    found = signatures(data, trust_roots(home_root), str(path))
    return [f"Chữ ký số của {path.name}:"] + [f"  {line}" for r in found for line in r.lines()]
