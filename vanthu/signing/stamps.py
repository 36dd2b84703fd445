"""What a signature shows (hình ảnh chữ ký số): images and information lines, in Times New Roman.

pyHanko measures glyphs in units of 1/1000 em, but Liberation Serif (the
metric twin of Times New Roman) has 2048 units per em: its letters would come
out widely spaced (seen with pyHanko 0.38). The font is rescaled once to 1000
units with fontTools, cut down to the Latin and Vietnamese letters (a stamp
loads it in a third of the time) and kept in a cache folder; Vietnamese
letters are shaped by HarfBuzz (pyHanko's ``opentype`` extra), so
``Đồng Nai`` prints as written.
"""
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .. import environment
from ..errors import VanthuError
from ..files import write_atomic

FONT_FILES = {"regular": "LiberationSerif-Regular.ttf", "italic": "LiberationSerif-Italic.ttf"}
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
BLACK = (0, 0, 0)
# Basic Latin, Latin-1, Latin Extended-A/B (ơ, ư), combining tone marks, Vietnamese precomposed, punctuation
LETTERS = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x323), (0x1EA0, 0x1EF9), (0x2010, 0x2027))
VERSION = 2  # of the cached font's making: a new way of making it gets a new file name


def _source_font(style):
    for folder in FONT_DIRS:
        path = Path(folder) / FONT_FILES[style]
        if path.exists():
            return path
    found = shutil.which("fc-match") and subprocess.run(
        ["fc-match", "-f", "%{file}", f"Liberation Serif:style={style.title()}"], capture_output=True, text=True).stdout
    if found and Path(found).exists():
        return Path(found)
    raise VanthuError("không thấy phông Liberation Serif (gói fonts-liberation2) để trình bày chữ ký số")


def cache_folder():
    return environment.current().cache / "fonts"


@lru_cache(maxsize=None)
def font_file(style="regular"):
    """Liberation Serif rescaled to 1000 units per em, made once and cached."""
    source = _source_font(style)
    target = cache_folder() / f"{source.stem}-1000upem-v{VERSION}.ttf"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        _rescale(source, target)
    return str(target)


def _rescale(source, target):
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem
    font = TTFont(str(source))
    if "FFTM" in font:
        del font["FFTM"]  # FontForge's own table: fontTools cannot subset it and says so on every stamp
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    _keep_letters(font)
    out = io.BytesIO()
    font.save(out)
    write_atomic(target, out.getvalue())  # another process may be writing the same font: the last rename wins, whole


def _keep_letters(font):
    from fontTools import subset
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline = ["*"], ["*"], True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for first, last in LETTERS for c in range(first, last + 1)])
    subsetter.subset(font)


def _shared_factory(path, size):
    """A font factory that gives one writer one engine per font and size: all the fields and
    stamps of a revision share one embedded subset (each engine costs ~30 ms to load)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    class SharedFont(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            engines = writer.__dict__.setdefault("_vanthu_fonts", {})
            key = (self.font_file, self.font_size)
            if key not in engines:
                engines[key] = super().create_font_engine(writer, obj_stream)
            return engines[key]
    return SharedFont(path, font_size=size)


def text_style(size, style="regular", align="left", baseline=None):
    """A pyHanko text box style in Times New Roman ``size`` pt, black, no border.

    ``baseline``: the text's baseline this far above the box's bottom (a form
    field level with the printed line); else the text is centred vertically.
    """
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    x_align = {"left": layout.AxisAlignment.ALIGN_MIN, "right": layout.AxisAlignment.ALIGN_MAX,
               "center": layout.AxisAlignment.ALIGN_MID}[align]
    y_align = layout.AxisAlignment.ALIGN_MID if baseline is None else layout.AxisAlignment.ALIGN_MIN
    rule = layout.SimpleBoxLayoutRule(x_align=x_align, y_align=y_align,
                                      margins=layout.Margins(0, 0, 0, baseline or 0),
                                      inner_content_scaling=layout.InnerScaling.NO_SCALING)
    return TextBoxStyle(font=_shared_factory(font_file(style), size), font_size=size,
                        border_width=0, box_layout_rule=rule, text_color=BLACK)


def png(path):
    """A PNG as pyHanko image content; a clear error for a file that is not one."""
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    try:
        image = Image.open(path)
        image.load()
    except (OSError, ValueError) as error:
        raise VanthuError(f"'{path}' không phải ảnh PNG đọc được ({error})") from None
    if image.format != "PNG":
        raise VanthuError(f"'{path}' phải là ảnh PNG nền trong suốt (Phụ lục I mục II.7.d, II.8.a)")
    return PdfImage(image.convert("RGBA"), writer=None)


def image_only(path):
    """The leader's signature: the image only, fitted to the box, no border, opaque."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle
    fit = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                                     margins=layout.Margins.uniform(0),
                                     inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
    return StaticStampStyle(background=png(path), border_width=0, background_layout=fit, background_opacity=1.0)


def seal_with_line(path):
    """The organisation's seal with its information line under it (tên cơ quan, thời gian ký)."""
    from pyhanko.pdf_utils import layout
    from .placement import INFO_ROOM, INFO_SIZE as info_size
    from pyhanko.stamp import TextStampStyle
    top = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MAX,
                                     margins=layout.Margins(0, 0, 0, INFO_ROOM),
                                     inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
    bottom = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                        y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins.uniform(0),
                                        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
    return TextStampStyle(background=png(path), border_width=0, background_layout=top, background_opacity=1.0,
                          stamp_text="%(org)s\n%(when)s", text_box_style=text_style(info_size, align="center"),
                          inner_content_layout=bottom)


def info_line(size=10):
    """An attachment's information, no image (II.8.b): number, time, organisation; TNR 10, black."""
    from pyhanko.stamp import TextStampStyle
    from pyhanko.pdf_utils import layout
    right = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MAX, y_align=layout.AxisAlignment.ALIGN_MAX,
                                       margins=layout.Margins.uniform(0),
                                       inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
    # one line: pyHanko aligns the box, not the lines within it, and the decree wants it flush right
    return TextStampStyle(border_width=0, stamp_text="%(number)s; %(when)s; %(org)s",
                          text_box_style=text_style(size, align="right"), inner_content_layout=right)


def line_only(size=10):
    """One information line, no image, flush right: ô 14 of an electronic copy (Phụ lục I Phần II.I.3)."""
    style = info_line(size)
    return type(style)(border_width=0, stamp_text="%(line)s", text_box_style=style.text_box_style,
                       inner_content_layout=style.inner_content_layout)


def printed_line(pdf, text, box, size=10):
    """``text`` printed into ``box`` (a :class:`~vanthu.generator.signing.Box`) of the first page, flush right,
    TNR ``size``: the information line of an electronic copy (ô 14) when no key signs it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import TextStamp
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    width, height = box.right - box.left, box.top - box.bottom
    stamp = TextStamp(writer, line_only(size), {"line": text}, box=BoxConstraints(width=width, height=height))
    stamp.apply(0, box.left, box.bottom)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
