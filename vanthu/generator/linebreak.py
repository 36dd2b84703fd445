"""Line breaking the Vietnamese way (ngắt dòng) for the header, ô 4, the trích yếu and the title.

Vietnamese writes a word of two or more syllables with spaces between them
(``ĐÀO TẠO``, ``Hồ Chí Minh``), so a renderer that breaks at any space splits
words a văn thư keeps together ("PHÒNG GIÁO DỤC VÀ ĐÀO / TẠO"). Here the text
is cut into unbreakable units (the compounds of :data:`COMPOUNDS`, and every
space-free token whole, so ``2020-2021`` and ``30/2020/NĐ-CP`` never break
after their hyphen or slash), then broken into the fewest lines that fit the
column, as even as possible ("ỦY BAN NHÂN DÂN / HUYỆN HIỆP HÒA"). The breaks
are explicit (``\\n``, a Word line break): every line fits, so LibreOffice and
Word never break it again. A clerk forces a break by writing a line break in the
value (see docs/record-format.md).
"""
import unicodedata
from functools import lru_cache

from .measure import text_width

FORCED_BREAK = "\n"
SAFETY = 0.985  # lines are measured with the fonts' advance widths; keep a hair of room

# Words of two or more syllables that administrative names and trích yếu use.
# Sources: the names of the ministries and the provincial departments (sở) of
# Nghị định 107/2020/NĐ-CP and 108/2020/NĐ-CP, the 63 provinces and their usual
# districts, the national name and motto, the document types of Điều 7 of
# Nghị định 30/2020/NĐ-CP, and the words of the trích yếu in ../shared/corpus.
COMPOUNDS = """
ủy ban|nhân dân|hội đồng|thành phố|thị xã|thị trấn|tỉnh ủy|huyện ủy|quận ủy|thành ủy|ban chỉ đạo|ban quản lý
giáo dục|đào tạo|y tế|truyền thông|thông tin|tài chính|kế hoạch|đầu tư|tư pháp|nội vụ|ngoại vụ|công thương
xây dựng|giao thông|vận tải|tài nguyên|môi trường|lao động|thương binh|xã hội|văn hóa|văn hoá|thể thao|du lịch
khoa học|công nghệ|nông nghiệp|phát triển|nông thôn|thanh tra|dân tộc|tôn giáo|quốc phòng|công an|ngân hàng
nhà nước|kiểm toán|văn phòng|chính phủ|quốc hội|trung ương|trung tâm|kiểm soát|bệnh tật|phòng chống|dịch bệnh
y tế dự phòng|bệnh viện|đa khoa|sở|phòng|chi cục|cục|tổng cục|học viện|đại học|cao đẳng|trung học|phổ thông
cơ sở|tiểu học|mầm non|thường xuyên|nghề nghiệp|giáo dục thường xuyên|dân tộc nội trú|chất lượng cao
cộng hòa|cộng hoà|chủ nghĩa|việt nam|độc lập|tự do|hạnh phúc
hồ chí minh|hà nội|hải phòng|đà nẵng|cần thơ|bắc giang|hà giang|hiệp hòa|hiệp hoà|đồng nai|bắc ninh|bắc kạn
cao bằng|lạng sơn|lào cai|yên bái|tuyên quang|thái nguyên|phú thọ|vĩnh phúc|quảng ninh|hải dương|hưng yên
thái bình|hà nam|nam định|ninh bình|thanh hóa|thanh hoá|nghệ an|hà tĩnh|quảng bình|quảng trị|thừa thiên huế
quảng nam|quảng ngãi|bình định|phú yên|khánh hòa|khánh hoà|ninh thuận|bình thuận|kon tum|gia lai|đắk lắk
đắk nông|lâm đồng|bình phước|tây ninh|bình dương|bà rịa|vũng tàu|long an|tiền giang|bến tre|trà vinh
vĩnh long|đồng tháp|an giang|kiên giang|hậu giang|sóc trăng|bạc liêu|cà mau|điện biên|lai châu|sơn la|hòa bình
hoà bình|bà rịa - vũng tàu|biên hòa|biên hoà|thủ đức|việt yên|lạng giang|yên thế|tân yên|lục nam|sơn động
quyết định|nghị quyết|chỉ thị|quy chế|quy định|thông báo|thông cáo|hướng dẫn|chương trình|kế hoạch|phương án
đề án|dự án|báo cáo|tờ trình|hợp đồng|công văn|công điện|biên bản|giấy mời|giấy giới thiệu|giấy nghỉ phép
giấy ủy quyền|phiếu gửi|phiếu chuyển|phiếu báo|bản ghi nhớ|bản thỏa thuận|văn bản|văn thư|lưu trữ
ứng dụng|triển khai|thực hiện|tổ chức|công tác|chữ ký số|chuyển đổi số|phần mềm|hệ thống|quản lý|dữ liệu
năm học|tuyển sinh|học sinh|sinh viên|giáo viên|cán bộ|công chức|viên chức|người lao động|kiểm tra|đánh giá
điều chỉnh|nội dung|dạy học|phân phối|tiếp công dân|công dân|ban hành|thành lập|ban tổ chức|giải quyết
phê duyệt|tăng cường|đẩy mạnh|kiện toàn|sửa đổi|bổ sung|thay thế|bãi bỏ|nghị định|thông tư|luật|pháp luật
an toàn|an ninh|trật tự|phòng cháy|chữa cháy|thiên tai|lũ lụt|cờ vua|hội nghị|hội thảo|tập huấn|bồi dưỡng
""".split("|")
COMPOUNDS = tuple(sorted({" ".join(c.split()) for line in COMPOUNDS for c in line.split("\n") if " " in c.strip()}))


def _key(word):
    return unicodedata.normalize("NFC", word).casefold()


@lru_cache(maxsize=None)
def _compounds():
    """Each compound as a tuple of folded syllables, longest first."""
    return sorted({tuple(_key(w) for w in c.split()) for c in COMPOUNDS}, key=len, reverse=True)


@lru_cache(maxsize=None)
def _by_first():
    """The compounds by their first syllable, longest first: a lookup per word, not a scan of the list."""
    index = {}
    for compound in _compounds():
        index.setdefault(compound[0], []).append(compound)
    return index


GLUE_NEXT = {"và", "của", "về", "v/v", "tại", "với", "cho", "các", "số"}  # a line never ends with these


def units(text):
    """The text cut where a line may break: compounds and tokens kept whole, in order."""
    words, out, i = text.split(), [], 0
    keys = [_key(w.strip(",.;:()")) for w in words]
    while i < len(words):
        size = next((len(c) for c in _by_first().get(keys[i], ()) if tuple(keys[i:i + len(c)]) == c), 1)
        out.append(" ".join(words[i:i + size]))
        i += size
    return _glued(out)


def _glued(parts):
    """``và``, ``của``, ``V/v``... joined to the unit after them."""
    out, carry = [], ""
    for part in parts:
        if _key(part) in GLUE_NEXT:
            carry += part + " "
        else:
            out.append(carry + part)
            carry = ""
    return out + [carry.strip()] if carry else out


def inside_compound(before, after):
    """Whether a line ending in ``before`` and the next starting with ``after`` split a compound."""
    left, right = [_key(w.strip(",.;:()")) for w in before.split()], [_key(w.strip(",.;:()")) for w in after.split()]
    for c in _compounds():
        for cut in range(1, len(c)):
            if tuple(left[-cut:]) == c[:cut] and tuple(right[:len(c) - cut]) == c[cut:]:
                return True
    return False


def fits(text, width, size, bold=False, italic=False):
    return text_width(text, size, bold, italic) <= width * SAFETY


def balanced(text, width, size, bold=False, italic=False):
    """The fewest lines of whole units that fit ``width`` (twips), the longest as short as can be.

    A line break in the text forces a break there. A unit too long for a line stands alone on its line.
    """
    lines = []
    for part in text.split(FORCED_BREAK):
        lines += _balanced(units(part), width, size, bold, italic)
    return lines


def _balanced(parts, width, size, bold, italic):
    if not parts:
        return []
    # widths add up: a line of parts[i:j] is their widths plus the spaces between (one lookup each, not a re-measure)
    sums, space = [0], text_width(" ", size, bold, italic)
    for part in parts:
        sums.append(sums[-1] + text_width(part, size, bold, italic))
    measure = lambda i, j: sums[j] - sums[i] + space * (j - i - 1)
    if measure(0, len(parts)) <= width * SAFETY:
        return [" ".join(parts)]
    for count in range(2, len(parts) + 1):
        best = _best_split(parts, count, measure, width * SAFETY)
        if best is not None:
            return best
    return parts


def _best_split(parts, count, measure, width):
    """``parts`` in ``count`` lines, each fitting ``width``, minimising the longest; None if none fits."""
    n = len(parts)

    @lru_cache(maxsize=None)
    def best(start, lines):  # (longest line, cut points) for parts[start:] in ``lines`` lines
        if lines == 1:
            w = measure(start, n)
            return (w, (n,)) if w <= width else None
        options = [(max(measure(start, end), rest[0]), (end,) + rest[1])
                   for end in range(start + 1, n - lines + 2)
                   if measure(start, end) <= width and (rest := best(end, lines - 1)) is not None]
        return min(options) if options else None

    found = best(0, count)
    if found is None:
        return None
    cuts = (0,) + found[1]
    return [" ".join(parts[a:b]) for a, b in zip(cuts, cuts[1:])]


def fitted(text, width, sizes, bold=False, italic=False):
    """(size, lines): the first of ``sizes`` at which the text is one line, else balanced lines at the first."""
    for size in sizes:
        if FORCED_BREAK not in text and fits(text, width, size, bold, italic):
            return size, [text]
    return sizes[0], balanced(text, width, sizes[0], bold, italic)
