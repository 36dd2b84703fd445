"""Nộp lưu (transfer to the agency archive): a BagIt package of closed hồ sơ, then frozen (Điều 30; Phụ lục VI III.4.g, III.5).

``vanthu dossier export CODE… -o DIR`` writes one bag (RFC 8493, made and
validated by the Library of Congress ``bagit`` package) holding, for each
hồ sơ, every document's PDF in order (``01.VP/001-4482-SYT-VP.pdf``), its
metadata as XML with the field names of Phụ lục VI Phần II (mục III for the
hồ sơ, mục I or II for each document) and its Mục lục văn bản; for the whole
transfer the Mục lục hồ sơ nộp lưu and the Biên bản giao nhận (Phụ lục V).
The manifest is SHA-256. The bag is built in a hidden folder beside DIR and
renamed into place in the same write transaction that freezes the hồ sơ, so
a failure leaves neither a package nor a frozen hồ sơ. ``vanthu verify DIR``
checks a package (:func:`verify_package`).
"""
import datetime as _dt
import json
import os
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VanthuError
from ..faults import checkpoint
from ..files import ScratchFolder, sweep_scratch
from ..vndate import VietnameseDate
from . import db, dossierdocx, dossierplan, dossierprint, dossiers, dossierseal
from .dossiers import CLOSED, TRANSFERRED
from .home import opened, refuse_output
from .store import sha256_file

SCRATCH = ".vanthu-nop-luu-"  # the hidden folder a package is built in, beside DIR
XML_NAME, INDEX_NAME = "ho-so.xml", "muc-luc-van-ban.docx"
TRANSFER_INDEX, RECEIPT = "muc-luc-ho-so-nop-luu.docx", "bien-ban-giao-nhan.docx"
NAMESPACE = "urn:vanthu:nd30-2020:phu-luc-vi:phan-ii"
KILL_POINTS = ("transfer-built", "transfer-renamed")

# Phụ lục VI Phần II: (name, type, length, children) in the decree's order. OrganId and SignerInfo are spelled
# with a capital I (the decree's text prints "Organld", "Signerlnfo": a lower-case L for the I).
_FILE_CODE = ("FileCode", None, None, (("OrganId", "String", 13), ("FileCatalog", "Number", 4),
                                       ("FileNotation", "String", 20)))
_COMMON = (_FILE_CODE, ("DocOrdinal", "Number", 3), ("TypeName", "String", 100), ("CodeNumber", "String", 11),
           ("CodeNotation", "String", 30), ("IssuedDate", "Date", 10), ("OrganName", "String", 200),
           ("Subject", "String", 500), ("Language", "String", 30), ("PageAmount", "Number", 3),
           ("Description", "String", 500))
_SIGNER = ("SignerInfo", None, None, (("Position", "String", 100), ("FullName", "String", 50)))
OUT_FIELDS = _COMMON + (_SIGNER, ("To", None, None, (("OrganId", "String", 13), ("OrganName", "String", 200))),
                        ("Priority", "Number", 1), ("IssuedAmount", "Number", 3), ("DueDate", "Date", 10))
IN_FIELDS = _COMMON + (("ArrivalDate", "Date", 10), ("ArrivalNumber", "Number", 10), _SIGNER,
                       ("Priority", "Number", 1), ("ToPlaces", "String", 1000), ("TraceHeaderList", "LongText", None),
                       ("DueDate", "Date", 10))
FILE_FIELDS = (_FILE_CODE, ("Title", "String", 500), ("Maintenance", "String", 30), ("Rights", "String", 30),
               ("Creator", "String", 30), ("Language", "String", 50), ("StartDate", "Date", 10),
               ("EndDate", "Date", 10), ("DocTotal", "Number", 4), ("PageTotal", "Number", 4),
               ("Description", "String", 500))


@dataclass
class People:
    """Who hands over and who receives (bên giao, bên nhận) for the Biên bản giao nhận."""

    unit: str = ""
    giver: str = ""
    giver_title: str = ""
    receiver: str = ""
    receiver_title: str = ""


@dataclass
class Transfer:
    """What ``vanthu dossier export`` did."""

    path: Path
    dossiers: list
    files: int
    digest: str  # SHA-256 of the bag's tag manifest: names the package in the log

    def line(self):
        codes = ", ".join(f"{d.code}/{d.year}" for d in self.dossiers)
        return (f"Đã lập gói nộp lưu {self.path} ({len(self.dossiers)} hồ sơ: {codes}; {self.files} tệp văn bản; "
                f"mã gói {self.digest[:16]}). Các hồ sơ đã được đóng băng.")


def export(codes, out, home=None, *, year=None, people=None, today=None, to_pdf=None):
    """Export closed hồ sơ as one transfer package at ``out``, then freeze them."""
    out, today = Path(out).absolute(), today or _dt.date.today()
    refuse_output(home, out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise VanthuError(f"{out} đã có và không trống: chọn thư mục mới cho gói nộp lưu")
    out.parent.mkdir(parents=True, exist_ok=True)
    sweep_scratch(out.parent, SCRATCH)  # what killed exports left here
    with dossiers.changing(home) as archive:  # a frozen hồ sơ's refusal is logged
        found = _transferable(archive, codes, year)
    with opened(home) as archive:
        seals = {d.id: dossierseal.of_dossier(archive.conn, d.id) for d in found}
        organ_id, plan = archive.settings.organ_id, _plan(archive.conn, found)
        with ScratchFolder(f"{SCRATCH}{out.name}-", dir=out.parent) as scratch:
            bag = Path(scratch) / "bag"
            files = _build(archive, bag, found, organ_id, plan, people or People(), today, to_pdf)
            digest = sha256_file(bag / "tagmanifest-sha256.txt")
            checkpoint("transfer-built")
            _freeze(archive, found, seals, bag, out, digest, today)
    return Transfer(out, found, files, digest)


def _transferable(archive, codes, year):
    if not codes:
        raise VanthuError("cần ít nhất một mã hồ sơ, ví dụ 01.VP")
    found, problems = [], []
    for code in dict.fromkeys(codes):
        row = dossiers.find_row(archive.conn, code, year)
        dossier = dossiers.to_dossier(archive.conn, row)
        if dossier.state == TRANSFERRED:
            raise dossiers.FrozenDossier(row, "nộp lưu lại")
        if dossier.state != CLOSED:
            problems.append(f"hồ sơ {dossier.code} năm {dossier.year} chưa kết thúc ({dossier.state_name}): "
                            f"'vanthu dossier close {dossier.code}' trước (Điều 29.4)")
        elif not dossier.retention.transferable:
            problems.append(f"hồ sơ {dossier.code} năm {dossier.year} bảo quản {dossier.retention.printed}: dưới 05 năm, "
                            "không nộp lưu vào Lưu trữ cơ quan (Điều 31.3.c)")
        found.append(dossier)
    VanthuError.collect(problems)
    return found


def _plan(conn, found):
    """The Danh mục of the hồ sơ's year, if there is one (the body's names for the forms)."""
    try:
        return dossierplan.plan_of(conn, found[0].year)
    except VanthuError:
        return dossierplan.Plan(found[0].year)


# --- building the bag ---------------------------------------------------------------------------


def _build(archive, bag, found, organ_id, plan, people, today, to_pdf):
    import bagit
    bag.mkdir()
    files = sum(_dossier_folder(archive, bag, d, organ_id, to_pdf) for d in found)
    people = _with_defaults(people, plan, found)
    dated = f"{VietnameseDate.of(today).long}"
    rows = dossierprint.transfer_rows(found)
    (bag / TRANSFER_INDEX).write_bytes(dossierdocx.transfer_index_docx(
        plan.parent, plan.organ, people.unit, _years(found), rows, dossierprint.in_words(len(rows)), dated))
    (bag / RECEIPT).write_bytes(dossierdocx.receipt_docx(plan.parent, plan.organ, dated,
                                                         receipt_lines(found, files, people, plan)))
    info = {"Source-Organization": plan.organ or people.unit, "External-Description":
            f"Hồ sơ nộp lưu vào Lưu trữ cơ quan: {', '.join(d.code for d in found)} (Nghị định 30/2020/NĐ-CP Điều 30)",
            "External-Identifier": ", ".join(f"{organ_id}/{d.year}/{d.code}" for d in found),
            "Bagging-Date": today.isoformat(), "Bag-Software-Agent": "vanthu", "Vanthu-Home-Id": _home_id(archive)}
    try:
        bagit.make_bag(str(bag), info, checksums=["sha256"])
        bagit.Bag(str(bag)).validate()
    except bagit.BagError as error:
        raise VanthuError(f"không lập được gói BagIt: {error}") from None
    return files


def _home_id(archive):
    return db.home_id(archive.conn)


def _years(found):
    years = sorted({d.year for d in found})
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _with_defaults(people, plan, found):
    return People(people.unit or plan.organ or found[0].documents[0].entry.document.issuer_name,
                  people.giver or found[0].keeper, people.giver_title, people.receiver, people.receiver_title)


def _dossier_folder(archive, bag, dossier, organ_id, to_pdf):
    """One hồ sơ's folder: its documents' PDFs in order, ho-so.xml, its Mục lục văn bản."""
    folder = bag / dossier.code
    folder.mkdir()
    names = [_copy_pdf(archive, folder, item, to_pdf) for item in dossier.documents]
    (folder / XML_NAME).write_bytes(dossier_xml(dossier, organ_id, names))
    (folder / INDEX_NAME).write_bytes(dossierdocx.index_docx(dossier, dossierprint.index_rows(dossier)))
    return len(names)


def _copy_pdf(archive, folder, item, to_pdf):
    """The document's stored PDF (checked against its checksum), else its DOCX converted; its name in the bag."""
    entry = item.entry
    name = f"{item.ordinal:03d}-{_slug(str(entry.document.number))}.pdf"
    stored = next((f for f in entry.files if f.role == "pdf"), None) or next((f for f in entry.files
                                                                              if f.role == "docx"), None)
    if stored is None:
        raise VanthuError(f"văn bản {entry.document.number} không có tệp PDF hay DOCX trong kho: không nộp lưu được")
    source = archive.home.root / stored.path
    if not source.is_file() or sha256_file(source) != stored.sha256:
        raise VanthuError(f"tệp {stored.path} của văn bản {entry.document.number} thiếu hoặc đã bị thay đổi: "
                          "chạy 'vanthu verify' và khôi phục trước khi nộp lưu")
    if stored.role == "pdf":
        shutil.copyfile(source, folder / name)
    else:
        (folder / name).write_bytes((to_pdf or dossierprint.to_pdf)(source.read_bytes()))
    return name


def _slug(text):
    return "".join(c if c.isalnum() or c == "-" else "-" for c in text).strip("-")


def receipt_lines(found, files, people, plan):
    """The paragraphs of the Biên bản giao nhận (Phụ lục V mục V), filled in."""
    dots = "…………………………"
    starts = [d.start_date for d in found if d.start_date]
    ends = [d.end_date for d in found if d.end_date]
    span = f"{min(starts).short} - {max(ends).short}" if starts and ends else dots
    return [
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        f"Căn cứ Danh mục hồ sơ năm {_years(found)}{f' ({plan.decision})' if plan.decision else ''};",
        "Chúng tôi gồm:",
        f"BÊN GIAO: {people.unit}",
        f"Ông (bà): {people.giver or dots}",
        f"Chức vụ công tác: {people.giver_title or dots}",
        "BÊN NHẬN: Lưu trữ cơ quan",
        f"Ông (bà): {people.receiver or dots}",
        f"Chức vụ công tác: {people.receiver_title or dots}",
        "Thống nhất lập biên bản giao nhận tài liệu với những nội dung như sau:",
        f"1. Tên khối tài liệu giao nộp: Hồ sơ, tài liệu của {people.unit} năm {_years(found)}",
        f"2. Thời gian của hồ sơ, tài liệu: {span}",
        "3. Số lượng tài liệu:",
        "a) Đối với hồ sơ, tài liệu giấy: không có",
        "b) Đối với hồ sơ, tài liệu điện tử",
        f"- Tổng số hồ sơ: {len(found):02d}",
        f"- Tổng số tệp tin trong hồ sơ: {files:02d}",
        "4. Tình trạng tài liệu giao nộp: đầy đủ theo Mục lục; mọi tệp kèm mã băm SHA-256 trong gói BagIt "
        "(kiểm tra bằng 'vanthu verify' hoặc công cụ bagit)",
        "5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo.",
        "Biên bản này được lập thành hai bản; bên giao giữ một bản, bên nhận giữ một bản./.",
    ]


# --- the metadata XML --------------------------------------------------------------------------


def dossier_xml(dossier, organ_id, names):
    """``ho-so.xml``: the hồ sơ (Phần II mục III), then each document (mục I or II) with its file in the bag."""
    root = ET.Element("HoSo", {"xmlns": NAMESPACE})
    _fields(root, FILE_FIELDS, dossiers.metadata(dossier, organ_id))
    documents = ET.SubElement(root, "Documents")
    for item, name in zip(dossier.documents, names):
        direction = item.entry.document.direction
        element = ET.SubElement(documents, "Document", {"direction": direction, "file": name})
        _fields(element, IN_FIELDS if direction == "in" else OUT_FIELDS, dossiers.item_metadata(dossier, item, organ_id))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _fields(parent, table, values):
    for name, kind, length, *children in table:
        value = values.get(name) if isinstance(values, dict) else None
        if children:
            for each in (value if isinstance(value, list) else [value or {}]):
                _fields(ET.SubElement(parent, name), children[0], each)
        else:
            ET.SubElement(parent, name).text = _value(value, kind, length)


def _value(value, kind, length):
    """The text of one field, within the decree's type and length (an over-long text is cut, never a number)."""
    if value is None or value == "":
        return None
    text = str(value)
    if kind == "Number" and (not text.isdigit() or len(text) > length):
        raise VanthuError(f"trường số '{text}' vượt độ dài {length} của Phụ lục VI Phần II")
    return text[:length] if length and kind == "String" else text


# --- freezing ------------------------------------------------------------------------------------


def _freeze(archive, found, seals, bag, out, digest, today):
    """Under the write lock: the hồ sơ unchanged since read, the package renamed into place, the hồ sơ frozen."""
    with dossiers.changing(archive.home.root) as writing:
        for d in found:
            if dossierseal.of_dossier(writing.conn, d.id) != seals[d.id]:
                raise VanthuError(f"hồ sơ {d.code} năm {d.year} vừa bị thay đổi trong khi lập gói: lập lại")
        os.rename(bag, out) if not out.exists() else _into_empty(bag, out)
        try:
            checkpoint("transfer-renamed")
            for d in found:
                writing.conn.execute("UPDATE dossiers SET state = ?, transferred_at = ?, package = ? WHERE id = ?",
                                     (TRANSFERRED, today.isoformat(), digest, d.id))
                dossiers.log(writing, "dossier-transfer", d.id, {"package": str(out), "tagmanifest": digest})
        except BaseException:
            shutil.rmtree(out, ignore_errors=True)  # the transaction rolls back: no package either
            raise


def _into_empty(bag, out):
    out.rmdir()
    os.rename(bag, out)


# --- verify PACKAGE -----------------------------------------------------------------------------


@dataclass
class PackageReport:
    """What ``vanthu verify PACKAGE`` found."""

    path: Path
    dossiers: int = 0
    files: int = 0
    problems: list = field(default_factory=list)
    logged: str = ""

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        if self.ok:
            return (f"Gói nộp lưu {self.path} toàn vẹn: BagIt hợp lệ (SHA-256), {self.dossiers} hồ sơ, {self.files} tệp "
                    f"văn bản khớp dữ liệu đặc tả.{self.logged}")
        return f"Gói nộp lưu {self.path}: phát hiện {len(self.problems)} vấn đề."


def is_package(path):
    return (Path(path) / "bagit.txt").is_file()


def verify_package(path, home=None):
    """Check a transfer package: the bag (as ``bagit`` validates it), each ho-so.xml against its files, the forms."""
    import bagit
    path = Path(path)
    report = PackageReport(path)
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagValidationError as error:
        report.problems += [f"BagIt: {d}" for d in error.details] or [f"BagIt: {error.message}"]
        report.problems += _changed_files(path, bag)
    except bagit.BagError as error:
        report.problems.append(f"BagIt: {error}")
        return report
    for name in (TRANSFER_INDEX, RECEIPT):
        if not (path / "data" / name).is_file():
            report.problems.append(f"thiếu {name} trong gói")
    for xml_path in sorted((path / "data").glob(f"*/{XML_NAME}")):
        report.dossiers += 1
        report.problems += _xml_problems(xml_path, report)
    if not report.dossiers:
        report.problems.append("gói không có hồ sơ nào (data/MÃ/ho-so.xml)")
    if report.ok:
        try:
            report.logged = _logged(path, home)
        except VanthuError as error:
            report.problems += [str(p) for p in error.problems]
    return report


def _changed_files(path, bag):
    """Each payload file missing, changed or not in the manifest, by name (bagit stops at the first size mismatch)."""
    listed = {name: digests.get("sha256") for name, digests in bag.payload_entries().items()}
    found = {p.relative_to(path).as_posix() for p in (path / "data").rglob("*") if p.is_file()}
    problems = [f"thiếu tệp {name}" for name in sorted(set(listed) - found)]
    problems += [f"tệp {name} đã bị thay đổi (mã băm SHA-256 khác bản kê)" for name in sorted(set(listed) & found)
                 if sha256_file(path / name) != listed[name]]
    return problems + [f"tệp lạ {name} không có trong bản kê" for name in sorted(found - set(listed))]


def _xml_problems(xml_path, report):
    where = xml_path.relative_to(xml_path.parent.parent.parent)
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as error:
        return [f"{where}: XML hỏng ({error})"]
    ns = {"v": NAMESPACE}
    documents = root.findall("v:Documents/v:Document", ns)
    problems, pages = [], 0
    for document in documents:
        name = document.get("file", "")
        report.files += 1
        if not (xml_path.parent / name).is_file():
            problems.append(f"{where}: thiếu tệp {name}")
        pages += int(document.findtext("v:PageAmount", "0", ns) or 0)
    if root.findtext("v:DocTotal", "", ns) != str(len(documents)):
        problems.append(f"{where}: DocTotal {root.findtext('v:DocTotal', '', ns)} khác số văn bản ({len(documents)})")
    if root.findtext("v:PageTotal", "", ns) != str(pages):
        problems.append(f"{where}: PageTotal khác tổng PageAmount ({pages})")
    return problems


def _logged(path, home):
    """Where this home's log recorded the package (its tag manifest's SHA-256), if it is this home's."""
    from .home import Home
    if not Home.locate(home).database.exists():
        return ""
    digest = sha256_file(path / "tagmanifest-sha256.txt")
    with opened(home) as archive:
        rows = archive.conn.execute("SELECT id, detail FROM events WHERE action = 'dossier-transfer' ORDER BY id").fetchall()
        home_id = db.home_id(archive.conn)
    found = [r["id"] for r in rows if json.loads(r["detail"]).get("tagmanifest") == digest]
    if found:
        return f" Gói khớp với nhật ký kho (mục {', '.join(map(str, found))})."
    if _bag_info(path).get("Vanthu-Home-Id") == home_id:
        raise VanthuError(f"gói {path.name} do kho này lập nhưng không có trong nhật ký kho (lệnh nộp lưu bị ngắt "
                          "trước khi ghi?): các hồ sơ chưa được đóng băng; nộp lưu lại vào thư mục mới")
    return " Gói không do kho này lập (không đối chiếu với nhật ký)."


def _bag_info(path):
    import bagit
    try:
        return bagit.Bag(str(path)).info
    except bagit.BagError:
        return {}

