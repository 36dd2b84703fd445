"""Did you mean (có phải bạn muốn tìm): words the index does not have, corrected from its own vocabulary.

A word whose folded form is in no document (``rubela``) is replaced by the
nearest folded word of the index (``rubella``): Whoosh's spelling corrector
over the ``fold`` field, one edit away first, then two, the most frequent
first. A word typed with diacritics that no document has as typed, though
its folded form is there (``tiếm`` for ``tiêm``: the mark shifted), is
replaced by the nearest exact word of the index with the same folded form.
"""
import re

from .analysis import fold, has_marks, normalize
from .issuers import is_abbreviation
from .schema import EXACT, FOLDED

_WORD = re.compile(r"(?<![\w:])[^\W\d_]{2,}(?![\w:])")  # letters only, not a field name
_OPERATORS = {"OR", "NOT"}


def suggestion(searcher, text):
    """The query with its unknown words corrected, or None if every word is known."""
    reader, changed = searcher.reader(), False
    pieces, at = [], 0
    for match in _WORD.finditer(text or ""):
        word = match.group()
        better = None if word in _OPERATORS or is_abbreviation(word) else _better(searcher, reader, word)
        if better:
            pieces += [text[at:match.start()], better]
            at, changed = match.end(), True
    return "".join(pieces + [text[at:]]) if changed else None


def _better(searcher, reader, word):
    exact = normalize(word)
    folded = fold(exact)
    if (FOLDED, folded) not in reader:
        return _nearest(searcher, FOLDED, folded, lambda s: True)
    if has_marks(exact) and (EXACT, exact) not in reader:
        return _nearest(searcher, EXACT, exact, lambda s: fold(s) == folded)
    return None


def _nearest(searcher, fieldname, text, keep):
    corrector = searcher.corrector(fieldname)
    for distance in (1, 2):
        found = [s for s in corrector.suggest(text, limit=5, maxdist=distance) if keep(s)]
        if found:
            return found[0]
    return None
