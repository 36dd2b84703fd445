"""Signing keys in the home (khóa ký số): per person a PKCS#12 file or a PKCS#11 token, per organisation its seal.

``<home>/keys/users/<name>/`` and ``<home>/keys/orgs/<CODE>/`` hold
``key.json`` (what the key is, the certificate's dates), the PKCS#12 file
copied with mode 0600 (its password is never stored: it is asked at each
use) or the PKCS#11 library and token label, and the signature image or the
seal. ``<home>/keys/trust/*.pem`` are the root certificates the office
trusts. A certificate that is expired or not yet valid is refused, with its
dates, when the key is added and again when it signs.
"""
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import VanthuError
from . import certs

P12 = "p12"
PKCS11 = "pkcs11"


def keys_root(home_root):
    return Path(home_root) / "keys"


def slug(name):
    """A folder name for a person or an organisation: NFC, no slashes, readable."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    safe = re.sub(r"[^\w.@-]+", "_", text).strip("._")
    if not safe:
        raise VanthuError(f"tên '{name}' không dùng làm tên khóa được")
    return safe


@dataclass(frozen=True)
class Key:
    """One signing key (khóa ký): whose, what kind, where, and its picture (chữ ký hoặc dấu)."""

    owner: str
    role: str            # "user" or "org"
    kind: str            # P12 or PKCS11
    folder: Path
    library: str = ""    # PKCS#11 module (.so) of the token
    label: str = ""      # the token's label
    key_label: str = ""  # the key's label on the token, when it has several
    image: Optional[Path] = None
    subject: str = ""
    issuer: str = ""
    not_after: str = ""

    @property
    def p12(self):
        return self.folder / "key.p12"

    def as_dict(self):
        return {"owner": self.owner, "role": self.role, "kind": self.kind, "library": self.library,
                "label": self.label, "key_label": self.key_label,
                "image": self.image.name if self.image else "", "subject": self.subject,
                "issuer": self.issuer, "not_after": self.not_after}

    @classmethod
    def read(cls, folder):
        data = json.loads((folder / "key.json").read_text(encoding="utf-8"))
        image = folder / data["image"] if data.get("image") else None
        return cls(data["owner"], data["role"], data["kind"], folder, data.get("library", ""),
                   data.get("label", ""), data.get("key_label", ""), image, data.get("subject", ""),
                   data.get("issuer", ""), data.get("not_after", ""))


def folder_of(home_root, role, owner):
    return keys_root(home_root) / ("users" if role == "user" else "orgs") / slug(owner)


def find(home_root, role, owner):
    """The key of a person (``role="user"``) or an organisation (``"org"``, by issuer code)."""
    folder = folder_of(home_root, role, owner)
    if not (folder / "key.json").exists():
        who = f"người dùng '{owner}'" if role == "user" else f"cơ quan có mã '{owner}'"
        raise VanthuError(f"chưa có khóa ký số của {who}; quản trị thêm bằng 'vanthu key add'")
    return Key.read(folder)


def find_optional(home_root, role, owner):
    try:
        return find(home_root, role, owner)
    except VanthuError:
        return None


def add(home_root, key, *, p12_file=None, picture=None, info):
    """Store ``key`` (checked already: ``info`` is its certificate's :class:`~.certs.CertInfo`).

    Written to a new folder then renamed over the old one: a failure leaves the old key.
    """
    from ..files import private_files
    with private_files():  # keys, pictures and their folders for the owner only (0700, 0600)
        return _add(home_root, key, p12_file, picture, info)


def _add(home_root, key, p12_file, picture, info):
    final = key.folder
    temp = final.with_name(final.name + ".moi")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    if p12_file is not None:
        _copy_private(p12_file, temp / "key.p12")
    image = None
    if picture is not None:
        image = temp / ("con-dau.png" if key.role == "org" else "chu-ky.png")
        shutil.copyfile(picture, image)
    stored = Key(key.owner, key.role, key.kind, final, key.library, key.label, key.key_label,
                 final / image.name if image else None, info.subject, info.issuer, info.not_after.isoformat())
    (temp / "key.json").write_text(json.dumps(stored.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    _replace_folder(temp, final)
    return stored


def _copy_private(source, target):
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(Path(source).read_bytes())


def _replace_folder(temp, final):
    old = final.with_name(final.name + ".cu")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    temp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def trust_folder(home_root):
    return keys_root(home_root) / "trust"


def trust_roots(home_root):
    """The root certificates the office configured (asn1crypto), from ``keys/trust/*.pem|*.cer|*.crt``."""
    from asn1crypto import pem, x509
    roots = []
    folder = trust_folder(home_root)
    for path in sorted(folder.glob("*")) if folder.exists() else ():
        data = path.read_bytes()
        if pem.detect(data):
            roots += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def add_trust_root(home_root, path):
    """Copy a root certificate (PEM or DER) into the trusted roots; its subject."""
    from asn1crypto import pem, x509
    data = Path(path).read_bytes()
    try:
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        cert = x509.Certificate.load(der)
        subject = certs.common_name(cert.subject)
    except Exception:
        raise VanthuError(f"'{path}' không phải chứng thư số (PEM hoặc DER)") from None
    from ..files import private_files
    with private_files():
        folder = trust_folder(home_root)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug(subject)}-{cert.serial_number:x}.pem").write_bytes(pem.armor("CERTIFICATE", der))
    return subject


def config_file(home_root):
    return keys_root(home_root) / "ky-so.json"


def tsa_url(home_root):
    """The timestamp server the office configured (PAdES B-T), or None (B-B)."""
    path = config_file(home_root)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("tsa_url") or None


def set_tsa_url(home_root, url):
    from ..files import private_files
    path = config_file(home_root)
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["tsa_url"] = url or ""
    with private_files():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def listing(home_root):
    """Every stored key: people's first, then organisations', by name."""
    found = []
    for role, folder in (("user", "users"), ("org", "orgs")):
        base = keys_root(home_root) / folder
        for path in sorted(base.iterdir()) if base.exists() else ():
            if (path / "key.json").exists():
                found.append(Key.read(path))
    return found
