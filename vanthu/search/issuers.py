"""Issuers by name or abbreviation (cơ quan ban hành, tên viết tắt).

Clerks write ``SYT`` for Sở Y tế, ``PGD&ĐT`` or ``PGDĐT`` for Phòng Giáo
dục và Đào tạo, ``UBND`` for Ủy ban nhân dân. The index holds, beside the
words of an issuer's name, its *compact* abbreviation: the initials of the
name's syllables up to the place name (``và`` skipped), and the issuer's
code with ``&``, case and diacritics dropped. A query word that reads as an
abbreviation is looked up there and also expanded back to the words of a
name (``byt`` -> ``bộ y tế``), so ``--issuer BYT`` finds "Bộ Y tế".
"""
import re
from functools import lru_cache

from .analysis import fold, folded_syllables

# Where the name of the body ends and the place begins: "Sở Y tế | tỉnh Đồng Nai".
_PLACE = {"tinh", "huyen", "thanh", "quan", "thi", "xa", "phuong", "tp"}
_SKIPPED = {"va"}
# Abbreviations of the head of a body (cơ quan) and of its field (lĩnh vực).
HEADS = {"s": "sở", "b": "bộ", "p": "phòng", "tt": "trung tâm", "c": "cục", "cc": "chi cục", "ub": "ủy ban"}
WHOLE = {"ubnd": "ủy ban nhân dân", "hdnd": "hội đồng nhân dân", "ttg": "thủ tướng chính phủ",
         "cp": "chính phủ"}
DOMAINS = {
    "yt": "y tế", "gddt": "giáo dục và đào tạo", "gd": "giáo dục", "tc": "tài chính", "nv": "nội vụ",
    "tp": "tư pháp", "ct": "công thương", "xd": "xây dựng", "gtvt": "giao thông vận tải",
    "tnmt": "tài nguyên và môi trường", "khdt": "kế hoạch và đầu tư", "ldtbxh": "lao động thương binh và xã hội",
    "vhttdl": "văn hóa thể thao và du lịch", "tttt": "thông tin và truyền thông", "khcn": "khoa học và công nghệ",
    "nnptnt": "nông nghiệp và phát triển nông thôn", "ca": "công an", "ksbt": "kiểm soát bệnh tật",
}
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=4096)
def compact(text):
    """``PGD&ĐT`` -> ``pgddt``: folded, case, ``&``, dots and spaces dropped."""
    return _NOT_LETTERS.sub("", fold(text))


def initials(name):
    """``Sở Giáo dục và Đào tạo tỉnh Bắc Giang`` -> ``sgddt`` (None for a one-word name)."""
    letters = []
    for syllable in folded_syllables(name):
        if syllable in _PLACE and letters:
            break
        if syllable not in _SKIPPED:
            letters.append(syllable[0])
    return "".join(letters) if len(letters) > 1 else None


@lru_cache(maxsize=1024)  # an archive has few issuers: computed once each in a rebuild
def index_terms(name, code):
    """The compact abbreviations an issuer is found by: its initials and its code."""
    found = [initials(name), compact(code) if code else None]
    return " ".join(dict.fromkeys(t for t in found if t))


def expand(word):
    """The name an abbreviation stands for (``syt`` -> ``sở y tế``), or None."""
    key = compact(word)
    if key in WHOLE:
        return WHOLE[key]
    for head in sorted(HEADS, key=len, reverse=True):
        if key.startswith(head) and key[len(head):] in DOMAINS:
            return f"{HEADS[head]} {DOMAINS[key[len(head):]]}"
    return None


def is_abbreviation(word):
    """Whether a typed word reads as an issuer's abbreviation (``SYT``, ``pgd&đt``)."""
    return expand(word) is not None


_NAMES = sorted({f"{head} {name}" for head in map(fold, HEADS.values()) for domain in DOMAINS.values()
                 for name in (fold(domain), fold(domain).replace(" va ", " "))}
                | {fold(n) for n in WHOLE.values()} | {"ubnd", "hdnd"}, key=lambda n: -len(n))


def name_in(folded_words):
    """``(start, end)`` of the first issuer name in a run of folded syllables, or None.

    A name is a head and a field (``so y te``, ``phong giao duc va dao tao``),
    or a body of its own (``uy ban nhan dan``).
    """
    text = f" {' '.join(folded_words)} "
    for name in _NAMES:
        at = text.find(f" {name} ")
        if at >= 0:
            start = text[:at].count(" ")
            return start, start + name.count(" ") + 1
    return None
