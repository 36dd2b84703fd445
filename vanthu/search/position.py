"""The archive position an index has applied (mốc nhật ký đã áp dụng).

The index records which log entry of which home it reflects; the archive's
feed (:class:`vanthu.archive.feed.Feed`) says where the log is now.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A point in one home's log (mốc nhật ký): the home's identity, the entry's id and hash."""

    home: str
    event: int
    hash: str

    def as_dict(self):
        return {"home": self.home, "event": self.event, "hash": self.hash}

    @classmethod
    def from_dict(cls, data):
        return cls(str(data["home"]), int(data["event"]), str(data["hash"]))
