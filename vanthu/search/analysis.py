"""Vietnamese text analysis for the index (phân tích văn bản tiếng Việt).

Three views of a text, all lower case, with no stop words and one-letter
syllables kept ("ý", "ở" and "an", "can", "to" are Vietnamese words):

* exact (chính xác): NFC, tone marks in one canonical place (``hòa`` and
  ``hoà``, ``thủy`` and ``thuỷ`` are the same syllable written in the old and
  the new style);
* folded (bỏ dấu): the exact syllable without diacritics, ``đ`` -> ``d``;
* pairs (cặp âm tiết): folded syllable bigrams ``"truy vet"``, so that a
  two-syllable word or a phrase is answered from single terms.

Plain regular expressions and ``str`` methods over the whole text: analysing
30 million syllables must take seconds, not minutes.
"""
import re
import unicodedata
from collections import Counter

_SYLLABLE = re.compile(r"\w+")

# Open syllables "oa", "oe", "uy": the old style marks the first vowel (hòa,
# thủy), the new style the second (hoà, thuỷ). The new style is canonical.
_TONED = {"o": "òóỏõọ", "u": "ùúủũụ"}
_OLD_STYLE = re.compile(r"([òóỏõọ])([ae])(?!\w)|([ùúủũụ])(y)(?!\w)")


def _tone_table():
    table = {}
    for base, marked in _TONED.items():
        for tone, letter in zip("\u0300\u0301\u0309\u0303\u0323", marked):
            table[letter] = (base, tone)
    return table


_TONE_OF = _tone_table()


def _move_tone(match):
    letter, vowel = (match[1], match[2]) if match[1] else (match[3], match[4])
    base, tone = _TONE_OF[letter]
    return base + unicodedata.normalize("NFC", vowel + tone)


def normalize(text):
    """The exact form of a text: NFC, lower case, tone marks in the new style."""
    return _OLD_STYLE.sub(_move_tone, lowered_nfc(text))


_MARKS = re.compile("[\u0300-\u036f]")


def fold(text):
    """The folded form (không dấu): no diacritics, ``đ`` -> ``d``, lower case."""
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))
    return bare.replace("đ", "d")


def syllables(text):
    """The exact syllables (âm tiết) of a text, in order."""
    return _SYLLABLE.findall(normalize(text))


def folded_syllables(text):
    return _SYLLABLE.findall(fold(normalize(text)))


def has_marks(syllable):
    """Whether a syllable carries diacritics (so that its exact form matters)."""
    return fold(syllable) != syllable


def pairs(folded):
    """Consecutive folded syllables joined by a space: the bigram terms."""
    return list(map(" ".join, zip(folded, folded[1:])))


class _Forms(dict):
    """A cache of one form of syllables, read at C speed through ``map(forms.__getitem__, ...)``."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, syllable):
        form = self[syllable] = self.make(syllable)
        return form


class Vocabulary:
    """Exact and folded forms of syllables, cached: a text has few distinct ones.

    Tone placement is a property of one syllable, so it is canonicalised here,
    once per distinct syllable, rather than over the whole text.
    """

    def __init__(self):
        self.exact = _Forms(lambda syllable: _OLD_STYLE.sub(_move_tone, syllable)).__getitem__
        self.folded = _Forms(fold).__getitem__


_VOCABULARY = Vocabulary()


def folded_form(word):
    """The folded form of one word as it appears in a text (any case), cached."""
    return _VOCABULARY.folded(_VOCABULARY.exact(word.lower()))


def lowered_nfc(text):
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.lower()


def meta_terms(text, vocabulary=_VOCABULARY):
    """Folded syllables and pairs of a short text (a subject, a name), counted."""
    exact = map(vocabulary.exact, _SYLLABLE.findall(lowered_nfc(text)))
    folded = list(map(vocabulary.folded, exact))
    return Counter(folded + pairs(folded))


def exact_terms(text, vocabulary=_VOCABULARY):
    """Exact syllables of a short text (a subject), counted: ``bàn`` and ``bản`` apart."""
    return Counter(map(vocabulary.exact, _SYLLABLE.findall(lowered_nfc(text))))


class TermCounts:
    """The terms of one text in the three views, each with its frequency."""

    def __init__(self, text, vocabulary=_VOCABULARY):
        exact = list(map(vocabulary.exact, _SYLLABLE.findall(lowered_nfc(text))))
        folded = list(map(vocabulary.folded, exact))
        self.length = len(exact)
        self.exact = Counter(exact)
        self.folded = Counter(folded)
        self.pairs = Counter(pairs(folded))
