"""A generated archive of Vietnamese administrative documents, for bench/search.py.

Documents are drawn from a fixed vocabulary of administrative words with a
Zipf-like law (few words very common, most rare), about 300 syllables each,
with the metadata of real registers: number, date, type, issuer, signer.
The same seed gives the same archive, lazily, one document at a time.

``borrowed`` texts (real documents) make look-alikes: part of each subject
and body is then runs of words cut from them, so that the real documents
hide among others that use the same words (tests/relevancekit.py).
"""
import datetime as dt
import random

from vanthu.archive.document import INCOMING, OUTGOING, ArchivedDocument
from vanthu.docnumber import DocumentNumber

WORDS = """
thực hiện|công văn|của|bộ|y tế|về việc|triển khai|cài đặt|và|sử dụng|ứng dụng|giám đốc|sở|đề nghị|các|đơn vị|
trực thuộc|một số|nội dung|sau|tuyên truyền|phổ biến|khuyến khích|cán bộ|người dân|đến|cơ sở|từ ngày|trung tâm|
kiểm soát|bệnh tật|bệnh nhân|nhiễm|kể từ|cung cấp|số điện thoại|di động|đang|khai báo|có|không|nếu|thì|quy trình|
truy vết|người|nghi nhiễm|kèm theo|gửi|thông tin|đầu mối|quản lý|tài khoản|hệ thống|trong|văn phòng|để|nhận|
mật khẩu|dữ liệu|do|cục|tin học hóa|thông tin và truyền thông|khởi tạo|bản|đăng ký|khẩn trương|theo|sự|chỉ đạo|
ủy ban nhân dân|tỉnh|huyện|xã|phường|thị trấn|hội đồng|nhân dân|quyết định|thông báo|kế hoạch|báo cáo|tờ trình|
giấy mời|công điện|phòng|giáo dục|đào tạo|trường|học sinh|giáo viên|năm học|kiểm tra|đánh giá|kết quả|tổng hợp|
chỉ tiêu|nhiệm vụ|giải pháp|phòng chống|dịch bệnh|covid|an toàn|vệ sinh|môi trường|tài chính|ngân sách|kinh phí|
dự toán|quyết toán|thanh tra|khiếu nại|tố cáo|tiếp công dân|lịch|hội nghị|triệu tập|tập huấn|bồi dưỡng|chuyên môn|
nghiệp vụ|tổ chức|cá nhân|trách nhiệm|phối hợp|chủ trì|hướng dẫn|quy định|pháp luật|nghị định|thông tư|điều|khoản|
hiệu lực|ban hành|thi hành|chủ tịch|phó chủ tịch|trưởng phòng|phó giám đốc|thủ trưởng|lãnh đạo|ban|bàn|bản|bạn|
bán|hòa|hoà|thủy lợi|thuỷ sản|nông nghiệp|phát triển|nông thôn|đất đai|xây dựng|giao thông|vận tải|công thương|
lao động|thương binh|xã hội|văn hóa|thể thao|du lịch|nội vụ|tư pháp|kế hoạch và đầu tư|khoa học|công nghệ|
ngoại vụ|dân tộc|tôn giáo|thi đua|khen thưởng|kỷ luật|biên chế|tuyển dụng|hợp đồng|viên chức|công chức|
cải cách hành chính|một cửa|dịch vụ công|trực tuyến|chữ ký số|văn bản điện tử|lưu trữ|văn thư|hồ sơ|tài liệu|
ý kiến|ở|an|can|to|may|ý|ơ|e|đi|ra|vào|lên|xuống|được|bị|cho|với|tại|trên|dưới|giữa|ngoài|cùng|đã|sẽ|
chưa|rất|nhiều|ít|tất cả|mỗi|từng|những|này|đó|kia|nào|gì|sao|bao giờ|ngay|kịp thời|nghiêm túc|đầy đủ|
chính xác|hiệu quả|thường xuyên|định kỳ|đột xuất|khẩn|thượng khẩn|hỏa tốc|mật|tối mật|nơi nhận|như trên|
lưu|vt|vp|bảo đảm|tăng cường|đẩy mạnh|nâng cao|chất lượng|rà soát|bổ sung|sửa đổi|thay thế|bãi bỏ|
đình chỉ|thu hồi|cấp|giấy phép|chứng chỉ|chứng nhận|hộ kinh doanh|doanh nghiệp|hợp tác xã|thuế|phí|lệ phí|
bảo hiểm|y tế cơ sở|trạm y tế|bệnh viện|tiêm chủng|vắc xin|xét nghiệm|cách ly|giám sát|điều tra|dịch tễ|
""".replace("\n", "").strip("|").split("|")

TYPES = [("Công văn", ""), ("Quyết định", "QĐ"), ("Thông báo", "TB"), ("Kế hoạch", "KH"),
         ("Báo cáo", "BC"), ("Tờ trình", "TTr"), ("Giấy mời", "GM")]
ISSUERS = [("Sở Y tế tỉnh Đồng Nai", "SYT"), ("Phòng Giáo dục và Đào tạo huyện Hiệp Hòa", "PGDĐT"),
           ("Ủy ban nhân dân huyện Hiệp Hòa", "UBND"), ("Sở Giáo dục và Đào tạo tỉnh Bắc Giang", "SGDĐT"),
           ("Sở Tài chính tỉnh Hà Giang", "STC"), ("Bộ Y tế", "BYT"), ("Sở Nội vụ tỉnh Đồng Nai", "SNV"),
           ("Trung tâm Kiểm soát bệnh tật tỉnh Đồng Nai", "CDC")]
SIGNERS = ["Phan Huy Anh Vũ", "Phạm Văn Hà", "Nguyễn Thị Thủy", "Trần Văn Hòa", "Lê Minh Đức", "Hoàng Thị Lan"]
START = dt.date(2015, 1, 1)
DAYS = (dt.date(2024, 12, 31) - START).days + 1


def _zipf_weights(n):
    return [1.0 / (rank + 8) for rank in range(n)]


class Corpus:
    """``n`` generated archived documents, the same for the same seed."""

    def __init__(self, n, seed=2020, syllables=300, borrowed=(), first_id=1):
        self.n, self.seed, self.syllables, self.first_id = n, seed, syllables, first_id
        order = random.Random(seed).sample(WORDS, len(WORDS))
        self.words, self.weights = order, _zipf_weights(len(order))
        self.borrowed = [text.split() for text in borrowed if len(text.split()) > 12]

    def __len__(self):
        return self.n

    def __iter__(self):
        rng = random.Random(self.seed)
        for i in range(1, self.n + 1):
            yield self.document(i, rng)

    def _chunk(self, rng):
        """12 words of the vocabulary, or (with borrowed texts, half the time) a run cut from one."""
        if self.borrowed and rng.random() < 0.5:
            words = rng.choice(self.borrowed)
            start = rng.randrange(len(words) - 12)
            return words[start:start + rng.randint(3, 12)]
        return rng.choices(self.words, self.weights, k=12)

    def text(self, rng, syllables):
        out, count = [], 0
        while count < syllables:
            chunk = self._chunk(rng)
            out.append(" ".join(chunk) + rng.choice([",", ".", ";", ""]))
            count += sum(w.count(" ") + 1 for w in chunk)
        return " ".join(out)

    def document(self, i, rng):
        type_name, type_code = TYPES[rng.randrange(len(TYPES))]
        issuer, code = ISSUERS[rng.randrange(len(ISSUERS))]
        symbol = f"{type_code}-{code}" if type_code else f"{code}-VP"
        secret = rng.random() < 0.02
        return ArchivedDocument(
            id=self.first_id + i - 1, direction=OUTGOING if rng.random() < 0.6 else INCOMING,
            number=DocumentNumber(i, symbol), date=START + dt.timedelta(days=rng.randrange(DAYS)),
            type_name=type_name, issuer_name=issuer, issuer_code=code,
            subject=self.text(rng, 12).rstrip(",.;"), body=self.text(rng, self.syllables),
            signer=rng.choice(SIGNERS), recipients=["Như trên", "Lưu: VT, VP"],
            confidentiality="mật" if secret else None)
