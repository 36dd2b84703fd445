"""Text width in Times New Roman (độ dài dòng chữ), to size the decree's rules.

The widths are Liberation Serif's advance widths, metric-compatible with Times
New Roman, read once from the fonts into ``serif_widths.json`` so that no font
file is needed at run time.
"""
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

TWIPS_PER_POINT = 20


@lru_cache(maxsize=None)
def _table(style):
    data = json.loads((Path(__file__).with_name("serif_widths.json")).read_text(encoding="utf-8"))
    return data[style]["units_per_em"], data[style]["widths"]


def _char_width(widths, char):
    if char in widths:
        return widths[char]
    base = unicodedata.normalize("NFD", char)[0]
    return widths.get(base, widths["n"])  # unknown letters: an average lower-case width


def text_width(text, size_pt, bold=False, italic=False):
    """Width of one line of text, in twips (1/20 pt)."""
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    units, widths = _table(style)
    total = sum(_char_width(widths, c) for c in unicodedata.normalize("NFC", text))
    return round(total * size_pt * TWIPS_PER_POINT / units)
