"""Helpers for the web tests: a home with one person per role, a logged-in test client."""
import re
from pathlib import Path

from vanthu.archive import people

DATA = Path(__file__).parent / "data"
SEED = DATA / "4482-SYT-VP.yaml"
PASSWORD = "mat-khau-dai-1"
ROLES = {"admin": "quan-tri", "clerk": "van-thu", "drafter": "chuyen-vien", "leader": "lanh-dao"}
SECRET_SUBJECT = "phương án bảo vệ kho vắc xin dự trữ"


def make_people(home):
    for name, role in ROLES.items():
        people.add(name, PASSWORD, [role], home, full_name=f"Người {name}")


def secret_record(tmp):
    text = SEED.read_text(encoding="utf-8").replace("number: 4482\n", "number: 17\nconfidentiality: mật\n")
    text = text.replace("subject: triển khai cài đặt và sử dụng ứng dụng BlueZone", f"subject: {SECRET_SUBJECT}")
    path = Path(tmp) / "mat.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def csrf(client, path="/"):
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else None


def login(client, name, password=PASSWORD):
    token = csrf(client, "/dang-nhap")
    return client.post("/dang-nhap", data={"username": name, "password": password, "csrf_token": token})


def seed_form():
    """The seed dispatch 4482/SYT-VP as a clerk types it into /soan/cong-van (no YAML)."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("body: |\n")[1].split("signer:")[0]
    return {
        "issuer.parent": "UBND TỈNH ĐỒNG NAI", "issuer.name": "SỞ Y TẾ", "issuer.code": "SYT", "unit": "VP",
        "number": "4482", "place": "Đồng Nai", "date": "06/08/2020",
        "subject": "triển khai cài đặt và sử dụng ứng dụng BlueZone",
        "to": "Các đơn vị trực thuộc Sở Y tế\nCác cơ sở y tế ngoài công lập",
        "body": "\n".join(line[2:] for line in body.splitlines()),
        "signer.title": "GIÁM ĐỐC", "signer.name": "Phan Huy Anh Vũ", "cc": "Như trên\nLưu: VT, VP",
        "attachments": "dang-ky-tai-khoan-bluezone",
    }
