"""Search results (kết quả tìm kiếm) and their highlighted snippets (đoạn trích)."""
import datetime as _dt
import json
import re
import unicodedata
from itertools import islice
from dataclasses import dataclass
from typing import Optional

from ..vndate import short_date
from .analysis import folded_form

SNIPPET_WORDS = 28
SECRET_MARKS = {"mat": "mật", "toi-mat": "tối mật", "tuyet-mat": "tuyệt mật"}  # the index's keyword -> as printed
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    """An extract of a document: ``(text, is_match)`` fragments, in order."""

    fragments: tuple

    def text(self, mark=lambda word: f"«{word}»"):
        return "".join(mark(t) if hit else t for t, hit in self.fragments)

    @property
    def plain(self):
        return "".join(t for t, _ in self.fragments)


@dataclass(frozen=True)
class Result:
    """One document found (văn bản tìm thấy)."""

    number: str
    date: _dt.date
    type_name: str
    subject: str
    issuer: str
    direction: str
    snippet: Snippet
    score: Optional[float]
    doc_id: int
    status: str = ""  # "Đã thu hồi ngày ...: lý do" (Điều 18), from the archive, not the index
    confidentiality: Optional[str] = None  # độ mật, as printed: a secret document is marked

    @property
    def mark(self):
        """`` [MẬT: tối mật]`` after a secret document's number (its own series: ``show NUMBER --secret``)."""
        return f" [MẬT: {self.confidentiality}]" if self.confidentiality else ""

    def as_json(self):
        return {"number": self.number, "date": self.date.isoformat(), "type": self.type_name,
                "subject": self.subject, "issuer": self.issuer, "direction": self.direction,
                "snippet": self.snippet.plain, "highlighted": self.snippet.text(),
                "score": None if self.score is None else round(self.score, 4), "id": self.doc_id,
                "status": self.status, "confidentiality": self.confidentiality}


@dataclass(frozen=True)
class Outcome:
    """What a search gives back: the results, warnings for the clerk, and a suggestion.

    ``suggestion`` is the query with the words no document has corrected from
    the index's vocabulary (``rubela`` -> ``rubella``), or None.
    """

    results: list
    warnings: list
    suggestion: Optional[str] = None

    @property
    def did_you_mean(self):
        """The suggestion as a clerk reads it, or None."""
        return f"Có phải bạn muốn tìm: {self.suggestion}" if self.suggestion else None

    def lines(self, mark=None):
        """The results as a clerk reads them: a heading line and a snippet each."""
        hint = [self.did_you_mean] if self.suggestion else []
        if not self.results:
            return ["Không tìm thấy văn bản nào.", *hint]
        out = hint
        for rank, r in enumerate(self.results, 1):
            kind = "đến" if r.direction == "in" else "đi"
            status = f"  [{r.status}]" if r.status else ""
            out.append(f"{rank}. {r.number}{r.mark}  {short_date(r.date)}  {r.type_name} ({kind})  {r.subject}{status}")
            if r.snippet.fragments:
                out.append("   " + (r.snippet.text(mark) if mark else r.snippet.text()))
        return out

    def json_lines(self):
        """One JSON object per result, one a line (JSON Lines)."""
        return [json.dumps(r.as_json(), ensure_ascii=False) for r in self.results]


def make_snippet(text, words, size=SNIPPET_WORDS):
    """The ``size`` words of ``text`` around most of the query's words, matches marked."""
    text = unicodedata.normalize("NFC", text)
    tokens = list(_WORD.finditer(text)) if words else list(islice(_WORD.finditer(text), size + 1))
    if not tokens:
        return Snippet(())
    folded = list(map(folded_form, (t.group() for t in tokens)))
    hits = [f in words for f in folded]
    start = _best_start(hits, folded, words, size)
    end = min(len(tokens), start + size)
    return Snippet(tuple(_fragments(text, tokens, hits, start, end)))


def _best_start(hits, folded, words, size):
    """Start a few words before the match that has the most query words after it."""
    best, best_count = 0, 0
    for i, hit in enumerate(hits):
        if hit:
            seen = {f for f, h in zip(folded[i:i + size], hits[i:i + size]) if h}
            if len(seen) > best_count:
                best, best_count = i, len(seen)
                if best_count == len(words):
                    break
    return max(0, best - 4) if best_count else 0


def _fragments(text, tokens, hits, start, end):
    if start > 0:
        yield "…", False
    for i in range(start, end):
        if i > start:
            yield _gap(text[tokens[i - 1].end():tokens[i].start()]), False
        yield tokens[i].group(), hits[i]
    tail = text[tokens[end - 1].end():tokens[end].start() if end < len(tokens) else len(text)].strip()
    yield (tail[:1] if tail[:1] in ".,;:)" else ""), False
    if end < len(tokens):
        yield " …", False


def _gap(between):
    """The text between two words as printed, line breaks and runs of spaces made one space."""
    return _SPACES.sub(" ", between)
