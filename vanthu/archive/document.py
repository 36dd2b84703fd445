"""An archived document (văn bản lưu trữ), as the archive hands it to others.

The search index maps exactly this to its fields; the register prints it.
"""
import datetime as _dt
from dataclasses import dataclass, field
from typing import Optional

from ..docnumber import DocumentNumber

OUTGOING = "out"  # văn bản đi
INCOMING = "in"   # văn bản đến
SECRET_LEVELS = ("mật", "tối mật", "tuyệt mật")  # độ mật


@dataclass
class ArchivedDocument:
    """One document of the archive: outgoing (issued here) or incoming (received)."""

    id: int
    direction: str                 # OUTGOING or INCOMING
    number: DocumentNumber         # số, ký hiệu
    date: _dt.date                 # ngày ban hành
    type_name: str                 # tên loại: "Công văn", "Quyết định"
    issuer_name: str               # cơ quan ban hành
    issuer_code: str = ""          # viết tắt: "SYT"
    subject: str = ""              # trích yếu
    body: str = ""                 # full text (nội dung), extracted for incoming
    signer: str = ""               # người ký
    signer_title: str = ""         # chức vụ
    recipients: list = field(default_factory=list)  # nơi nhận
    confidentiality: Optional[str] = None  # độ mật
    urgency: Optional[str] = None          # độ khẩn
    arrival_number: Optional[int] = None   # số đến (incoming only)
    arrival_date: Optional[_dt.date] = None

    @property
    def year(self):
        return self.date.year

    @property
    def serial(self):
        """The number in our own series (số trong sổ): số đi for outgoing, số đến for incoming."""
        return self.arrival_number if self.direction == INCOMING else self.number.number

    @property
    def is_secret(self):
        return self.confidentiality in SECRET_LEVELS
