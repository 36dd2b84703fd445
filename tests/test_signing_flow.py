"""Trình ký to phát hành with real keys: the seed 4482/SYT-VP drafted, submitted, approved, signed and issued.

A test CA made here signs the leader's and the organisation's certificates;
the result is validated by pyHanko itself against that root: two signatures,
intact and trusted, the leader's revision made before the number was filled,
only form filling after it, the number and date in the final text, and the
seal over the left third of the signature (annotation rectangles).
"""
import io
import json
import sqlite3
import subprocess

import pytest

from vanthu.archive import people

import signkit
from conftest import DATA, run_cli

pytestmark = pytest.mark.pdf
SEED = DATA / "4482-SYT-VP.yaml"
PIN = signkit.PASSWORD


class Office:
    """An archive home with four people, their keys, and the test CA as the trusted root."""

    def __init__(self, folder, token=False):
        self.folder, self.home = folder, folder / "kho"
        self.root = signkit.make_root()
        self.leader = signkit.make_user(self.root, "Phan Huy Anh Vũ")
        self.org = signkit.make_user(self.root, "Sở Y tế tỉnh Đồng Nai")
        for name, roles, full in (("hoa", ["chuyen-vien"], "Trần Thị Hoa"), ("minh", ["chuyen-vien"], "Lê Văn Minh"),
                                  ("vu", ["lanh-dao"], "Phan Huy Anh Vũ"), ("lan", ["van-thu"], "Nguyễn Thị Lan"),
                                  ("tuan", ["lanh-dao"], "Đỗ Minh Tuấn")):
            people.add(name, "mat-khau-dai-1", roles, self.home, full)
        self.image = signkit.signature_png(folder / "chu-ky-vu.png")
        self.seal = signkit.seal_png(folder / "dau-syt.png")
        (folder / "goc.pem").write_bytes(self.root.pem_cert())
        assert self.cli("key", "trust", folder / "goc.pem").code == 0
        self.add_leader_key(token)
        org_p12 = self.org.p12(folder / "syt.p12", ca=self.root)
        r = self.cli("key", "add", "--org", "SYT", "--p12", org_p12, "--seal", self.seal, "--pin-stdin", stdin=PIN)
        assert r.code == 0, r.err

    def add_leader_key(self, token):
        if token:
            lib = signkit.softhsm_token(self.folder / "hsm", self.leader, label="vu-token", pin="654321")
            r = self.cli("key", "add", "--user", "vu", "--pkcs11", lib, "--label", "vu-token", "--image", self.image,
                         "--pin-stdin", stdin="654321")
            self.leader_pin = "654321"
        else:
            p12 = self.leader.p12(self.folder / "vu.p12", ca=self.root)
            r = self.cli("key", "add", "--user", "vu", "--p12", p12, "--image", self.image, "--pin-stdin", stdin=PIN)
            self.leader_pin = PIN
        assert r.code == 0, r.err

    def cli(self, *args, stdin=""):
        import sys
        old = sys.stdin
        sys.stdin = io.StringIO(stdin + "\n")
        try:
            return run_cli("--home", self.home, *args)
        finally:
            sys.stdin = old

    def ok(self, *args, stdin=""):
        result = self.cli(*args, stdin=stdin)
        assert result.code == 0, result.err
        return result

    def draft(self, record=SEED):
        return int(self.ok("draft", record, "--as", "hoa").out.splitlines()[-1])

    def signed_draft(self, record=SEED):
        draft = self.draft(record)
        self.ok("submit", draft, "--to", "vu", "--via", "minh", "--as", "hoa")
        self.ok("approve", draft, "--as", "minh", "--comment", "Đồng ý nội dung")
        self.ok("approve", draft, "--as", "vu")
        self.ok("sign", draft, "--as", "vu", "--pin-stdin", stdin=self.leader_pin)
        return draft

    def issued_pdf(self):
        draft = self.signed_draft()
        out = self.ok("issue", str(draft), "--as", "lan", "--pin-stdin", stdin=PIN).out
        path = next(line.strip() for line in out.splitlines() if line.strip().endswith(".pdf"))
        return draft, path, open(path, "rb").read()

    def events(self):
        conn = sqlite3.connect(self.home / "vanthu.sqlite3")
        return conn.execute("SELECT user, action, detail, checksum FROM events ORDER BY id").fetchall()

    def trust(self):
        from asn1crypto import x509
        from cryptography.hazmat.primitives.serialization import Encoding
        return x509.Certificate.load(self.root.cert.public_bytes(Encoding.DER))


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return Office(tmp_path_factory.mktemp("ky-so"))


@pytest.fixture(scope="module")
def issued(office):
    return office.issued_pdf()


def validate(pdf, root):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    reader = PdfFileReader(io.BytesIO(pdf))
    return [(sig, validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False)))
            for sig in reader.embedded_signatures]


def pdf_text(pdf, first=1, last=1, layout=False):
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-f", str(first), "-l", str(last), "-", "-"],
                          input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(text.split())


def rects(pdf):
    from pypdf import PdfReader
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found = {}
    for annot in page.get("/Annots") or ():
        annot = annot.get_object()
        found[str(annot.get("/T"))] = [float(v) for v in annot["/Rect"]]
    return found


# --- the whole flow, PKCS#12 ----------------------------------------------------------------

def test_two_signatures_both_intact_and_trusted_against_the_test_root(office, issued):
    results = validate(issued[2], office.trust())
    assert [sig.field_name for sig, _ in results] == ["chu-ky-lanh-dao", "chu-ky-co-quan"]
    for sig, status in results:
        assert status.intact and status.valid and status.trusted, (sig.field_name, status.pretty_print_details())
    leader, org = (status for _, status in results)
    assert leader.signing_cert.subject.native["common_name"] == "Phan Huy Anh Vũ"
    assert org.signing_cert.subject.native["common_name"] == "Sở Y tế tỉnh Đồng Nai"


def test_the_leader_certified_before_the_number_and_after_it_only_form_filling(office, issued):
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.diff_analysis import ModificationLevel
    (leader_sig, leader), (org_sig, org) = validate(issued[2], office.trust())
    assert leader_sig.docmdp_level == MDPPerm.FILL_FORMS
    assert leader.modification_level == ModificationLevel.FORM_FILLING and leader.docmdp_ok
    assert leader.coverage.name == "ENTIRE_REVISION" and org.coverage.name == "ENTIRE_FILE"
    assert leader_sig.signed_revision < org_sig.signed_revision
    start, length = leader_sig.byte_range[2], leader_sig.byte_range[3]
    signed_revision = issued[2][:start + length]
    assert "4482" not in pdf_text(signed_revision) and "ngày tháng năm" in pdf_text(signed_revision)


def test_number_and_date_are_in_the_final_text(issued):
    import re
    text = pdf_text(issued[2], layout=True)
    assert re.search(r"Số:\s+4482/SYT-VP", text)  # the number right-aligned in its blank, against the symbol
    assert "Đồng Nai, ngày 06 tháng 8 năm 2020" in text


def test_the_seal_covers_about_the_left_third_of_the_signature(issued):
    boxes = rects(issued[2])
    sig, seal = boxes["chu-ky-lanh-dao"], boxes["chu-ky-co-quan"]
    width = sig[2] - sig[0]
    overlap = seal[2] - sig[0]
    assert 0.25 * width <= overlap <= 0.4 * width
    assert seal[0] < sig[0]  # on the left
    assert seal[1] < (sig[1] + sig[3]) / 2 < seal[3]  # level with it
    seal_width_mm = (seal[2] - seal[0]) / 72 * 25.4
    assert 35 <= seal_width_mm <= 37  # the test seal is 36 mm at 300 dpi: shown at its real size


def test_the_seal_line_names_the_organisation_and_the_time_in_iso_8601_vietnam_time(issued):
    import re
    text = pdf_text(issued[2])
    assert "Sở Y tế tỉnh Đồng Nai" in text
    assert re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text)


def test_vanthu_signatures_reports_both_signatures(office, issued):
    r = office.cli("signatures", issued[1])
    assert r.code == 0, r.err
    assert r.out.count("Toàn vẹn: có") == 2 and r.out.count("Tin cậy: có") == 2
    assert "Người ký: Phan Huy Anh Vũ" in r.out and "Người ký: Sở Y tế tỉnh Đồng Nai" in r.out
    assert "chỉ điền biểu mẫu" in r.out
    data = json.loads(office.cli("signatures", issued[1], "--json").out)
    assert [d["ok"] for d in data] == [True, True]


def test_each_step_is_an_event_naming_the_person_and_the_hash(office, issued):
    import hashlib
    draft, path, pdf = issued
    mine = [(u, a, json.loads(d), c) for u, a, d, c in office.events() if json.loads(d).get("draft") == draft]
    steps = [(u, a) for u, a, _, _ in mine if a != "draft-state"]
    assert steps == [("hoa", "draft-create"), ("hoa", "submit"), ("minh", "approve"), ("vu", "approve"),
                     ("vu", "sign"), ("lan", "sign-org")]
    sign_org = next(c for _, a, _, c in mine if a == "sign-org")
    assert sign_org == hashlib.sha256(pdf).hexdigest()
    assert all(len(c) == 64 for _, a, _, c in mine if a in ("submit", "approve", "sign", "sign-org"))


def test_the_register_has_the_issued_number(office, issued):
    r = office.ok("show", "4482/SYT-VP")
    assert "4482/SYT-VP" in r.out


# --- the same with a PKCS#11 token ---------------------------------------------------------------

def test_the_same_flow_with_a_softhsm_token(tmp_path, monkeypatch):
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    token_office = Office(tmp_path, token=True)
    _, _, pdf = token_office.issued_pdf()
    results = validate(pdf, token_office.trust())
    assert len(results) == 2 and all(s.intact and s.valid and s.trusted for _, s in results)
    assert results[0][1].signing_cert.subject.native["common_name"] == "Phan Huy Anh Vũ"
    assert "4482/SYT-VP" in pdf_text(pdf)


# --- what the page looks like (docs/signing.md) ----------------------------------------------------

def _page_image(pdf, folder, name, dpi, crop=None):
    """Page 1 as PNG through poppler (what a reader sees); ``crop`` in points (left, top, width, height)."""
    from PIL import Image
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    args = ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", "-png"]
    if crop:
        scale = dpi / 72
        args += ["-x", str(int(crop[0] * scale)), "-y", str(int(crop[1] * scale)),
                 "-W", str(int(crop[2] * scale)), "-H", str(int(crop[3] * scale))]
    subprocess.run(args + [str(source), str(folder / name)], check=True)
    return Image.open(folder / f"{name}.png").convert("RGB")


def test_page_images_show_the_blue_signature_under_the_red_seal(issued, tmp_path):
    """Pixels, not only rectangles: red seal pixels over the signature's left third, blue ones right of it.

    With VANTHU_WRITE_DOCS=1 the images are written to docs/images/ for docs/signing.md.
    """
    import os
    import shutil
    from pypdf import PdfReader
    pdf = issued[2]
    height = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)
    sig = rects(pdf)["chu-ky-lanh-dao"]
    seal = rects(pdf)["chu-ky-co-quan"]
    left, top = seal[0] - 20, height - max(sig[3], seal[3]) - 30
    crop = (left, top, sig[2] - left + 40, max(sig[3], seal[3]) - min(sig[1], seal[1]) + 70)
    area = _page_image(pdf, tmp_path, "vung-chu-ky", 144, crop)
    page = _page_image(pdf, tmp_path, "trang-1", 60)
    scale = 144 / 72

    def colour_in(x0, x1, test):
        y0, y1 = (height - sig[3] - top) * scale, (height - sig[1] - top) * scale
        return sum(test(area.getpixel((x, y))) for x in range(int((x0 - left) * scale), int((x1 - left) * scale))
                   for y in range(int(y0), int(y1), 2))
    red = lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90  # noqa: E731
    blue = lambda p: p[2] > 120 and p[0] < 90  # noqa: E731
    third = sig[0] + (sig[2] - sig[0]) / 3
    assert colour_in(sig[0], third, red) > 50          # the seal lies over the left third
    assert colour_in(third + 5, sig[2], red) == 0      # and not beyond it
    assert colour_in(third + 5, sig[2], blue) > 50     # the signature shows to its right
    assert page.size[0] > 400
    if os.environ.get("VANTHU_WRITE_DOCS"):
        images = DATA.parent.parent / "docs" / "images"
        images.mkdir(exist_ok=True)
        for name in ("vung-chu-ky", "trang-1"):
            shutil.copyfile(tmp_path / f"{name}.png", images / f"ky-so-{name}.png")


def test_the_document_page_shows_the_signatures(office, issued):
    out = office.ok("show", "4482/SYT-VP").out
    assert "Chữ ký số của 4482-SYT-VP.pdf:" in out
    assert "Người ký: Phan Huy Anh Vũ" in out and out.count("Toàn vẹn: có") == 2


def test_an_incoming_signed_pdf_is_stored_byte_for_byte_and_its_signatures_shown(office, issued, tmp_path):
    received = tmp_path / "cong-van-den.pdf"
    received.write_bytes(issued[2])
    r = office.ok("import", received, "--number", "4482/SYT-VP", "--date", "06/8/2020", "--issuer", "Sở Y tế Đồng Nai",
                  "--received", "07/8/2020")
    stored = next(line.strip() for line in r.out.splitlines() if line.strip().endswith(".pdf"))
    assert open(stored, "rb").read() == issued[2]
    assert "Người ký: Sở Y tế tỉnh Đồng Nai" in r.out and r.out.count("Tin cậy: có") == 2
    assert office.ok("verify").code == 0


def test_the_seal_line_letters_are_spaced_as_times_new_roman(issued, tmp_path):
    """pyHanko #459 and the 2048-units trap: each word of the stamp as wide as Liberation Serif makes it."""
    import html
    import re
    from vanthu.generator.measure import text_width
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=issued[2], capture_output=True,
                         check=True).stdout.decode("utf-8")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out)
    widths = [float(right) - float(left) for left, right, text in found if html.unescape(text) == "Sở Y tế tỉnh Đồng Nai"]
    expected = text_width("Sở Y tế tỉnh Đồng Nai", 9) / 20  # the seal line is 9 pt; unscaled it would be 2.048x
    assert len(widths) == 1 and abs(widths[0] - expected) < 0.1 * expected, (widths, expected)


# --- the same flow in the web app ---------------------------------------------------------------------

def test_the_web_app_takes_a_draft_from_submit_to_issue(tmp_path):
    """Each person logged in, each button posted; the core decides whose turn it is."""
    from vanthu.web import create_app
    from vanthu.workflow import drafts
    from webkit import csrf, login
    web_office = Office(tmp_path)
    app = create_app(web_office.home)
    app.config["TESTING"] = True
    draft = drafts.create(SEED.read_text(encoding="utf-8"), "hoa", web_office.home)
    page = f"/du-thao/{draft.id}"

    def as_person(name, action, **form):
        client = app.test_client()
        assert login(client, name, "mat-khau-dai-1").status_code == 302
        return client, client.post(f"{page}/{action}", data={**form, "csrf_token": csrf(client, page)},
                                   follow_redirects=True)

    _, answer = as_person("hoa", "trinh-ky", to="vu", via="minh")
    assert "Đã trình ký." in answer.get_data(as_text=True)
    _, answer = as_person("vu", "ky-so", pin=PIN)  # not his turn yet: the reviewer first
    assert "không đang chờ &#39;vu&#39;" in answer.get_data(as_text=True)
    _, answer = as_person("minh", "dong-y", comment="Được")
    assert "Đã đồng ý." in answer.get_data(as_text=True)
    vu = app.test_client()
    login(vu, "vu", "mat-khau-dai-1")
    assert f"Dự thảo {draft.id}" in vu.get("/").get_data(as_text=True)  # waiting for him on /
    _, answer = as_person("vu", "ky-so", pin="sai")
    assert "không đúng" in answer.get_data(as_text=True)
    _, answer = as_person("vu", "ky-so", pin=PIN)
    assert "Đã ký số" in answer.get_data(as_text=True)
    _, answer = as_person("lan", "ban-hanh-ky-so", pin=PIN)
    text = answer.get_data(as_text=True)
    assert "Đã ban hành số 4482/SYT-VP" in text, text[-2000:]
    pdf = next(web_office.home.rglob("4482-SYT-VP.pdf")).read_bytes()
    results = validate(pdf, web_office.trust())
    assert len(results) == 2 and all(s.intact and s.trusted for _, s in results)
    lan = app.test_client()
    login(lan, "lan", "mat-khau-dai-1")
    document = answer.request.path  # the issue redirected to the document page
    page_text = lan.get(document).get_data(as_text=True)
    assert "Chữ ký số" in page_text and page_text.count("toàn vẹn") >= 2 and "Phan Huy Anh Vũ" in page_text
    hoa = app.test_client()
    login(hoa, "hoa", "mat-khau-dai-1")
    refused = hoa.post(f"{document}/thu-hoi", data={"reason": "thử", "csrf_token": csrf(hoa, document)},
                       follow_redirects=True)
    assert "Chỉ văn thư thu hồi" in refused.get_data(as_text=True)
    done = lan.post(f"{document}/thu-hoi", data={"reason": "Gửi nhầm", "csrf_token": csrf(lan, document)},
                    follow_redirects=True)
    assert "Đã thu hồi ngày" in done.get_data(as_text=True) and "Gửi nhầm" in done.get_data(as_text=True)
