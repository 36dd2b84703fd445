"""``vanthu search`` and ``vanthu reindex`` over an archive made by ``vanthu issue`` and ``vanthu import``."""
import json
import os

import docx
import pytest

from conftest import DATA
from vanthu.archive.finding import citations


@pytest.fixture
def archive(cli, tmp_path, backend):
    """The seed dispatch issued (DOCX only) and a received công văn imported, on either backend
    (on PostgreSQL the search is the server's: no index folder in the home)."""
    assert cli("issue", DATA / "4482-SYT-VP.yaml", "--no-pdf").code == 0
    received = docx.Document()
    received.add_paragraph("BỘ Y TẾ")
    received.add_paragraph("Số: 4199/BYT-VPB1")
    received.add_paragraph("V/v triển khai cài đặt và sử dụng ứng dụng BlueZone")
    received.add_paragraph("Đề nghị Sở Y tế các tỉnh, thành phố chỉ đạo các cơ sở y tế cài đặt BlueZone "
                           "để phục vụ truy vết, khoanh vùng dịch Covid-19 nhanh chóng.")
    received.save(tmp_path / "4199-BYT.docx")
    done = cli("import", tmp_path / "4199-BYT.docx", "--number", "4199/BYT-VPB1", "--date", "05/8/2020",
               "--issuer", "Bộ Y tế", "--type", "Công văn", "--subject", "triển khai ứng dụng BlueZone")
    assert done.code == 0, done.err
    assert os.path.isdir(os.path.join(os.environ["VANTHU_HOME"], "index")) == (backend == "sqlite")
    return cli


def test_search_finds_issued_and_imported_documents(archive):
    result = archive("search", "truy", "vet")
    assert result.code == 0, result.err
    numbers = [line.split()[1] for line in result.out.splitlines() if line[:1].isdigit()]
    assert sorted(numbers) == ["4199/BYT-VPB1", "4482/SYT-VP"]
    assert "«truy» «vết»" in result.out


def test_search_json_gives_one_object_per_result(archive):
    result = archive("search", "4482 /syt-vp", "--json")
    [line] = result.out.splitlines()
    found = json.loads(line)
    assert (found["number"], found["date"], found["type"], found["direction"]) == (
        "4482/SYT-VP", "2020-08-06", "Công văn", "out")
    assert "BlueZone" in found["subject"] and "4199/BYT-VPB1" in found["snippet"]


def test_search_options_filter(archive):
    dated = archive("search", "bluezone", "--from", "2020-08-06", "--json").out.splitlines()
    assert [json.loads(l)["number"] for l in dated] == ["4482/SYT-VP"]
    by_issuer = archive("search", "--issuer", "Bộ Y tế", "--json").out.splitlines()
    assert [json.loads(l)["number"] for l in by_issuer] == ["4199/BYT-VPB1"]
    assert archive("search", "bluezone", "--to", "4/8/2020").out.strip() == "Không tìm thấy văn bản nào."


def test_reindex_rebuilds_from_the_archive(archive, tmp_path):
    result = archive("reindex")
    assert result.code == 0 and "2 văn bản" in result.out
    assert "4199/BYT-VPB1" in archive("search", "khoanh vung").out


def test_search_mistakes_are_one_clear_line(archive):
    result = archive("search", "mau:xanh")
    assert result.code == 1 and result.err_lines == [
        "Lỗi: không có trường 'mau' để tìm; các trường: confidentiality, date, direction, issuer, number, "
        "recipients, signer, subject, type, year"]
    result = archive("search", "bluezone", "--from", "32/8/2020")
    assert result.code == 1 and result.err_lines == ["Lỗi: ngày 32/8/2020 không tồn tại"]


def test_search_help_documents_the_syntax(cli):
    text = cli("search", "--help").out
    for example in ['"đơn vị trực thuộc"', "bluezone OR", "NOT covid", "TRƯỜNG:giá trị", "vanthu search 4482 /syt-vp"]:
        assert example in text


def test_citations_link_the_dispatch_and_the_document_it_implements(archive):
    home = os.environ["VANTHU_HOME"]
    assert citations(home, "4482/SYT-VP") == (["4199/BYT-VPB1"], [])
    assert citations(home, "4199 / byt-vpb1") == ([], ["4482/SYT-VP"])


@pytest.mark.sqlite_only
def test_a_damaged_index_is_rebuilt_from_the_archive_with_a_warning(archive):
    index = os.path.join(os.environ["VANTHU_HOME"], "index")
    terms = os.path.join(index, sorted(name for name in os.listdir(index) if name.endswith(".trm"))[0])
    with open(terms, "r+b") as damaged:
        damaged.truncate(os.path.getsize(terms) // 2)
    result = archive("search", "khoanh vùng")
    assert result.code == 0
    assert "4199/BYT-VPB1" in result.out
    assert result.err_lines[0].startswith("Cảnh báo: chỉ mục tìm kiếm hỏng") and "đã dựng lại" in result.err_lines[0]
    assert archive("search", "khoanh vùng").err == ""
