"""An attachment in a file of its own (Phụ lục I mục II.8.b): signed by the organisation, no image,
its number, time and organisation at the top right of the first page in Times New Roman 10, black."""
import io
import re
import subprocess

from vanthu.docnumber import DocumentNumber
from vanthu.signing import sign, signers

import signkit
from test_signing_flow import validate


def _blank_pdf():
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595.28, 841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_attachment_is_signed_with_its_information_top_right(tmp_path):
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    root = signkit.make_root()
    org = signkit.make_user(root, "Sở Y tế tỉnh Đồng Nai").p12(tmp_path / "syt.p12", ca=root)
    signer = signers._p12_signer(org, signkit.PASSWORD, "SYT")
    signed = sign.sign_attachment(_blank_pdf(), signer, DocumentNumber(4482, "SYT-VP"))
    (result_sig, status), = validate(signed, x509.Certificate.load(root.cert.public_bytes(Encoding.DER)))
    assert status.intact and status.valid and status.trusted
    text = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=signed, capture_output=True, check=True).stdout.decode()
    lines = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', text)
    (box, line), = [(tuple(float(v) for v in w[:4]), w[4]) for w in lines]
    assert re.fullmatch(r"4482/SYT-VP; 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00; Sở Y tế tỉnh Đồng Nai", line)
    right_margin = 595.28 - 15 / 25.4 * 72
    assert right_margin - 2 < box[2] <= right_margin + 1 and box[1] < 40  # flush right at the top of page 1
    assert 9 <= box[3] - box[1] <= 13  # 10 pt text (poppler's box is the font's ascent to descent)
    (tmp_path / "kem-theo.pdf").write_bytes(signed)
    fonts = subprocess.run(["pdffonts", tmp_path / "kem-theo.pdf"], capture_output=True, text=True).stdout
    assert "LiberationSerif" in fonts
    assert "/Subtype /Image" not in signed.decode("latin1")  # no image (II.8.b: Không hiển thị)
