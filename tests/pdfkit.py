"""Helpers for the PDF tests: leftover soffice processes, fonts, signing.

Every PDF test module runs its LibreOffice profiles under one private temp
folder (the ``private_tmp`` fixture of ``conftest.py``), so "no soffice left
behind" can be checked exactly, whatever else runs on the machine.
"""
import datetime as dt
import io
import time
from pathlib import Path

from pypdf import PdfReader

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def live_processes(marker):
    """Live (not zombie) LibreOffice processes whose profile path mentions ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # it ended while we looked
        if marker in cmdline and "-env:UserInstallation" in cmdline and state != "Z":
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def assert_no_soffice(marker, grace=2.0):
    """No soffice process whose profile is under ``marker``, allowing ``grace`` seconds to exit."""
    deadline = time.monotonic() + grace
    while (left := live_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"soffice left behind: {left}"


def reader_of(data):
    return PdfReader(io.BytesIO(data)) if isinstance(data, bytes) else PdfReader(data)


def fonts_of(reader):
    """Every font dictionary used by the pages, including those inside form XObjects."""
    fonts, seen = [], set()

    def walk(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                fonts.append(font)
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return fonts


def unembedded_fonts(reader):
    """Names of fonts without an embedded font program (FontFile*)."""
    missing = []
    for font in fonts_of(reader):
        descriptors = [font.get("/FontDescriptor")]
        descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []]
        descriptors = [d.get_object() for d in descriptors if d is not None]
        if font.get("/Subtype") == "/Type3":
            continue  # drawn with PDF operators: nothing to embed
        if not any(key in d for d in descriptors for key in FONT_FILES):
            missing.append(str(font.get("/BaseFont")))
    return missing


def self_signed_certificate(name="Phan Huy Anh Vũ"):
    """An ECDSA key and a self-signed signing certificate, as pyHanko wants them (asn1crypto)."""
    from asn1crypto import keys, x509 as ax509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(usage, critical=True)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    der_cert = cert.public_bytes(serialization.Encoding.DER)
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return ax509.Certificate.load(der_cert), keys.PrivateKeyInfo.load(der_key)


def sign_field(pdf_bytes, field, cert, key):
    """Sign the existing empty field ``field`` with pyHanko; the signed file's bytes."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs([cert]))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    # existing_fields_only: fail rather than silently create a new field somewhere else
    meta = signers.PdfSignatureMetadata(field_name=field)
    pdf_signer = signers.PdfSigner(meta, signer=signer, new_field_spec=None)
    out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
    return out.getvalue()


def validate_signatures(signed_bytes, cert):
    """pyHanko's verdict on every signature of the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(signed_bytes))
    return [(sig.field_name, validate_pdf_signature(sig, ValidationContext(trust_roots=[cert])))
            for sig in reader.embedded_signatures]


def pages_of_outline(reader):
    """(title, first page, end page) of every top-level outline entry."""
    starts = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline
              if not isinstance(item, list)]
    ends = [s for _, s in starts[1:]] + [len(reader.pages)]
    return [(title, start, end) for (title, start), end in zip(starts, ends)]


def text_of_pages(reader, start, end):
    return "\n".join(reader.pages[i].extract_text() or "" for i in range(start, end))


def mm(points):
    return points * 25.4 / 72


def hide_soffice(monkeypatch, tmp_path):
    """Make soffice impossible to find for the rest of the test."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("VANTHU_SOFFICE", "")
