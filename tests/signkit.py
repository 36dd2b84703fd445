"""A test certificate authority made by the tests themselves (cryptography), and test images.

A root CA signs a leader's certificate and an organisation's certificate;
each is written as a PKCS#12 file with a password. Signature and seal PNGs
are drawn with Pillow: a blue scribble and a red ring, both transparent.
"""
import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mat-khau-1"
NOW = dt.datetime.now(dt.timezone.utc)


@dataclass
class Identity:
    """A key and its certificate (cryptography objects)."""

    key: object
    cert: object

    def pem_cert(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def p12(self, path, password=PASSWORD, ca=None):
        data = pkcs12.serialize_key_and_certificates(
            b"key", self.key, self.cert, [ca.cert] if ca else None,
            serialization.BestAvailableEncryption(password.encode()))
        Path(path).write_bytes(data)
        return Path(path)

    def pkcs8_pem(self):
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


def _name(common, org="Sở Y tế tỉnh Đồng Nai"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _usage(ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_root(name="CA thử nghiệm vanthu"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, "vanthu test")
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=10)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(_usage(True), critical=True)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(key, cert)


def make_user(root, name, *, days_from=-1, days_to=365, org="Sở Y tế tỉnh Đồng Nai"):
    """A signing certificate issued by ``root``, valid from ``days_from`` to ``days_to`` days from now."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(name, org)).issuer_name(root.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW + dt.timedelta(days=days_from)).not_valid_after(NOW + dt.timedelta(days=days_to))
            .add_extension(_usage(False), critical=True)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
            .sign(root.key, hashes.SHA256()))
    return Identity(key, cert)


def signature_png(path, size=(360, 150)):
    """A blue handwritten-looking scribble on a transparent background (II.7.d)."""
    from PIL import Image, ImageDraw
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    points = [(int(w * (0.05 + 0.9 * t / 40)), int(h * (0.5 + 0.35 * ((-1) ** t) * (t % 7) / 7))) for t in range(41)]
    draw.line(points, fill=(20, 40, 200, 255), width=6)
    image.save(path, dpi=(300, 300))
    return Path(path)


def seal_png(path, pixels=425, dpi=300):
    """A red ring seal, 36 mm across at 300 dpi, transparent outside and inside the ring."""
    from PIL import Image, ImageDraw
    image = Image.new("RGBA", (pixels, pixels), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, pixels - 4, pixels - 4), outline=(220, 0, 0, 255), width=14)
    draw.ellipse((60, 60, pixels - 60, pixels - 60), outline=(220, 0, 0, 255), width=6)
    draw.regular_polygon((pixels // 2, pixels // 2, 50), 5, fill=(220, 0, 0, 255))
    image.save(path, dpi=(dpi, dpi))
    return Path(path)


SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


def softhsm_token(folder, identity, label="lanh-dao", pin="123456", so_pin="12345678"):
    """A SoftHSM2 token initialised here with ``identity``'s key and certificate; sets SOFTHSM2_CONF."""
    folder = Path(folder)
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    util = shutil.which("softhsm2-util")
    subprocess.run([util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin],
                   check=True, capture_output=True)
    key_file = folder / "key.pem"
    key_file.write_bytes(identity.pkcs8_pem())
    subprocess.run([util, "--import", str(key_file), "--token", label, "--label", label, "--id", "01",
                    "--pin", pin], check=True, capture_output=True)
    key_file.unlink()
    _reload_softhsm()  # after the token is made: SoftHSM lists its tokens when it is initialised
    _store_certificate(label, pin, identity)
    return SOFTHSM_LIB


def _reload_softhsm():
    """SoftHSM reads SOFTHSM2_CONF once per process, when it is initialised: a second token folder in the
    same test run needs it initialised again, or its tokens are those of the first folder."""
    import pkcs11
    library = pkcs11.lib(SOFTHSM_LIB)
    if library.initialized:
        library.reinitialize()


def _store_certificate(label, pin, identity):
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    token = pkcs11.lib(SOFTHSM_LIB).get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: b"\x01",
            Attribute.SUBJECT: identity.cert.subject.public_bytes(),
            Attribute.VALUE: identity.cert.public_bytes(serialization.Encoding.DER)})


def make_tsa(root, name="TSA thử nghiệm vanthu"):
    """A timestamping certificate (EKU time stamping, critical) issued by ``root``; RSA (pyHanko's test TSA)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(name, "vanthu test")).issuer_name(root.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
            .add_extension(_usage(False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
            .sign(root.key, hashes.SHA256()))
    return Identity(key, cert)


def tsa_server(identity):
    """An RFC 3161 timestamp server on localhost (pyHanko's DummyTimeStamper behind http.server); its URL."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from asn1crypto import keys as akeys, tsp, x509 as ax509
    from pyhanko.sign.timestamps import DummyTimeStamper
    stamper = DummyTimeStamper(
        tsa_cert=ax509.Certificate.load(identity.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=akeys.PrivateKeyInfo.load(identity.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
