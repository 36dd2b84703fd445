"""Opening a key to sign (mở khóa): the PKCS#12 password or the token PIN, asked at each use.

A wrong password or PIN, a missing token, or a certificate out of its
validity dates is a :class:`~vanthu.errors.VanthuError` naming the key.
"""
from contextlib import contextmanager
from pathlib import Path

from ..errors import VanthuError
from . import certs, keys


@contextmanager
def opened(key, pin, now=None):
    """A pyHanko signer for ``key`` unlocked with ``pin``; a token's session closes afterwards."""
    if key.kind == keys.P12:
        signer = _p12_signer(key.p12, pin, key.owner)
        certs.check_valid(signer.signing_cert, now)
        yield signer
        return
    with _token_signer(key.library, key.label, key.key_label, pin) as signer:
        certs.check_valid(signer.signing_cert, now)
        yield signer


def _p12_signer(path, pin, owner):
    from pyhanko.sign import signers
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise VanthuError(f"không đọc được tệp khóa của '{owner}': {error.strerror}") from None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, (), passphrase=(pin or "").encode("utf-8"))
    except ValueError:
        raise VanthuError(f"mật khẩu tệp khóa PKCS#12 của '{owner}' không đúng") from None


def p12_certificate(path, pin, owner=""):
    """The certificate of a PKCS#12 file (opened with its password), for ``key add``."""
    return _p12_signer(path, pin, owner or Path(path).name).signing_cert


@contextmanager
def _token_signer(library, label, key_label, pin):
    from pyhanko.sign.pkcs11 import PKCS11Signer
    session = _open_session(library, label, pin)
    try:
        # raw mechanism: the digest is made here and the token only signs it (CKM_RSA_PKCS, CKM_ECDSA),
        # which every token has; many lack the combined hash-and-sign mechanisms
        signer = PKCS11Signer(session, key_label=key_label or None, cert_label=key_label or None,
                              key_id=None if key_label else _only_key_id(session, label), use_raw_mechanism=True)
        _ = signer.signing_cert  # loads the certificate now: a token without one fails here, clearly
        yield signer
    except VanthuError:
        raise
    except Exception as error:
        raise VanthuError(f"thiết bị ký '{label}': không dùng được khóa ({error})") from None
    finally:
        session.close()


def _open_session(library, label, pin):
    import pkcs11
    from pyhanko.sign.pkcs11 import open_pkcs11_session
    from pyhanko.config.pkcs11 import TokenCriteria
    if not Path(library).exists():
        raise VanthuError(f"không thấy thư viện PKCS#11 '{library}' của thiết bị ký")
    try:
        return open_pkcs11_session(library, token_criteria=TokenCriteria(label=label), user_pin=pin or "")
    except pkcs11.exceptions.PinIncorrect:
        raise VanthuError(f"mã PIN của thiết bị ký '{label}' không đúng") from None
    except pkcs11.exceptions.PinLocked:
        raise VanthuError(f"thiết bị ký '{label}' đã bị khóa PIN") from None
    except (pkcs11.exceptions.PKCS11Error, pkcs11.exceptions.NoSuchToken, Exception) as error:
        raise VanthuError(f"không mở được thiết bị ký '{label}': {type(error).__name__} {error}") from None


def _only_key_id(session, label):
    """The id of the token's one private key (a USB token of a Vietnamese CA holds one)."""
    from pkcs11 import Attribute, ObjectClass
    ids = [obj[Attribute.ID] for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})]
    if len(ids) != 1:
        raise VanthuError(f"thiết bị ký '{label}' có {len(ids)} khóa; chọn một bằng --key-label")
    return ids[0]


@contextmanager
def token_certificate(library, label, key_label, pin):
    with _token_signer(library, label, key_label, pin) as signer:
        yield signer.signing_cert


def register(home_root, role, owner, pin, *, p12=None, library="", label="", key_label="", picture=None, now=None):
    """``vanthu key add``: check the key opens with ``pin``, its certificate is valid now, the picture is a PNG;
    then store it (the password or PIN itself is not kept)."""
    from . import stamps
    if bool(p12) == bool(library):
        raise VanthuError("chọn một loại khóa: --p12 TỆP hoặc --pkcs11 THƯ_VIỆN --label NHÃN")
    if library and not label:
        raise VanthuError("thiết bị ký PKCS#11 cần --label (nhãn của thiết bị)")
    if picture is not None:
        stamps.png(picture)
    if p12:
        cert = p12_certificate(p12, pin, owner)
    else:
        with token_certificate(library, label, key_label, pin) as token_cert:
            cert = token_cert
    info = certs.check_valid(cert, now)
    key = keys.Key(owner, role, keys.PKCS11 if library else keys.P12, keys.folder_of(home_root, role, owner), library,
                   label, key_label)
    return keys.add(home_root, key, p12_file=p12, picture=picture, info=info)
