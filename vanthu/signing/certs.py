"""Certificates (chứng thư số): who they name, who issued them, and whether they are valid now."""
import datetime as _dt
from dataclasses import dataclass

from ..errors import VanthuError


@dataclass(frozen=True)
class CertInfo:
    """What a clerk reads of a certificate: subject, issuer, validity dates."""

    subject: str
    issuer: str
    not_before: _dt.datetime
    not_after: _dt.datetime
    serial: int

    @classmethod
    def of(cls, cert):
        """From an asn1crypto certificate (as pyHanko holds them)."""
        return cls(common_name(cert.subject), common_name(cert.issuer), cert.not_valid_before,
                   cert.not_valid_after, cert.serial_number)

    def as_dict(self):
        return {"subject": self.subject, "issuer": self.issuer, "not_before": self.not_before.isoformat(),
                "not_after": self.not_after.isoformat(), "serial": str(self.serial)}


def common_name(name):
    """``CN`` of an X.509 name, else its human-friendly form."""
    native = name.native
    return native.get("common_name") or name.human_friendly


def vn_time(moment):
    """``06/08/2020 10:15:00`` in Vietnam time (UTC+7), for messages."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


VIETNAM = _dt.timezone(_dt.timedelta(hours=7), "ICT")


def check_valid(cert, now=None):
    """Refuse a certificate that is expired or not yet valid, saying its dates."""
    info = CertInfo.of(cert)
    now = now or _dt.datetime.now(_dt.timezone.utc)
    if now < info.not_before:
        raise VanthuError(f"chứng thư số của '{info.subject}' chưa có hiệu lực: hiệu lực từ "
                          f"{vn_time(info.not_before)} đến {vn_time(info.not_after)}")
    if now > info.not_after:
        raise VanthuError(f"chứng thư số của '{info.subject}' đã hết hạn: hiệu lực từ "
                          f"{vn_time(info.not_before)} đến {vn_time(info.not_after)}")
    return info


def same_name(a, b):
    """Two spellings of one person's name: NFC, case and spacing ignored (``Phan Huy Anh Vũ``)."""
    import unicodedata

    def key(text):
        return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())
    return bool(key(a)) and key(a) == key(b)
