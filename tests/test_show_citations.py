"""Issue 5: `vanthu show` lists what a document cites and what cites it."""
import docx

from conftest import DATA


def test_show_lists_citations_both_ways(cli, tmp_path):
    assert cli("issue", DATA / "4482-SYT-VP.yaml", "--no-pdf").code == 0
    received = docx.Document()
    received.add_paragraph("Về việc triển khai cài đặt và sử dụng ứng dụng BlueZone trên toàn quốc.")
    received.save(tmp_path / "4199.docx")
    imported = cli("import", tmp_path / "4199.docx", "--number", "4199/BYT-VPB1", "--date", "05/8/2020",
                   "--issuer", "Bộ Y tế", "--type", "Công văn")
    assert imported.code == 0, imported.err
    dispatch = cli("show", "4482/SYT-VP").out
    assert "Văn bản này dẫn chiếu: 4199/BYT-VPB1" in dispatch
    assert "Được dẫn chiếu bởi" not in dispatch
    received_card = cli("show", "4199 /byt-vpb1").out
    assert "Được dẫn chiếu bởi: 4482/SYT-VP" in received_card
    assert "Văn bản này dẫn chiếu" not in received_card


def test_citations_survive_a_lost_index(cli, tmp_path):
    import shutil
    assert cli("issue", DATA / "4482-SYT-VP.yaml", "--no-pdf").code == 0
    shutil.rmtree(tmp_path / "home" / "index")
    assert "Văn bản này dẫn chiếu: 4199/BYT-VPB1" in cli("show", "4482/SYT-VP").out
