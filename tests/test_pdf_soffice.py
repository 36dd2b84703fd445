"""LibreOffice as a subprocess: batches, private profiles, timeouts, reaping, missing soffice."""
import io
import signal
import subprocess
import sys
import textwrap
import time

import docx
import pytest
from docx.shared import Mm

from conftest import DATA, run_cli
from pdfkit import assert_no_soffice, hide_soffice, live_processes, reader_of
from vanthu.errors import VanthuError
from vanthu.generator import pdf, soffice
from vanthu.generator.pdfmeta import DocumentInfo


def small_docx(text):
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph(text)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_chunks_split_evenly_in_order():
    assert soffice.chunks(list(range(7)), 2) == [[0, 1, 2, 3], [4, 5, 6]]
    assert soffice.chunks([1], 4) == [[1]]
    assert sum(soffice.chunks(list(range(10)), 3), []) == list(range(10))


def test_worker_count_is_per_core_and_never_idle():
    assert pdf.worker_count(1, cores=2) == 1
    assert pdf.worker_count(200, cores=2) == 2
    assert pdf.worker_count(200, cores=8) == 8
    assert pdf.worker_count(9, cores=8) == 3


def test_missing_soffice_says_how_to_install(monkeypatch, tmp_path):
    hide_soffice(monkeypatch, tmp_path)
    with pytest.raises(VanthuError) as error:
        pdf.convert_all([small_docx("x")])
    message = str(error.value)
    assert "LibreOffice" in message and "apt-get install libreoffice-writer-nogui fonts-liberation2" in message
    assert "make install" in message


def test_render_to_pdf_without_libreoffice_is_one_clear_line(monkeypatch, tmp_path):
    hide_soffice(monkeypatch, tmp_path)
    result = run_cli("render", DATA / "4482-SYT-VP.yaml", "-o", tmp_path / "x.pdf")
    assert result.code == 1 and not (tmp_path / "x.pdf").exists()
    assert result.err_lines[-1] == f"Lỗi: {soffice.INSTALL_HINT}"


@pytest.mark.pdf
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_batch_in_two_processes_reports_the_document_it_cannot_convert(warm, monkeypatch):
    monkeypatch.setattr(soffice, "MAX_FILES_PER_RUN", 2)  # LibreOffice stops after ~240: runs follow each other
    good = [small_docx(f"Văn bản thứ {i}: Đồng Nai") for i in range(5)]
    broken = good[0][:3000]  # a cut-off DOCX: LibreOffice cannot load it
    parts = [pdf.PdfPart(d, DocumentInfo(title=f"Văn bản {i}"), f"lo.yaml:{i + 1}")
             for i, d in enumerate(good[:2] + [broken] + good[2:])]
    seen = []
    with soffice.Office(warm=warm) as office:
        result = pdf.build_pdf(parts, workers=2, progress=lambda done, total: seen.append((done, total)),
                               office=office)
    assert [str(p) for p in result.problems] == ["lo.yaml:3: LibreOffice không chuyển được văn bản này sang PDF"]
    reader = reader_of(result.pdf)
    assert [o.title for o in reader.outline] == ["Văn bản 0", "Văn bản 1", "Văn bản 3", "Văn bản 4", "Văn bản 5"]
    assert "Văn bản thứ 4: Đồng Nai" in reader.pages[4].extract_text()
    assert seen[-1] == (5, 6) and all(total == 6 for _, total in seen)


@pytest.mark.pdf
def test_timeout_kills_soffice_and_says_so(private_tmp):
    started = time.monotonic()
    with pytest.raises(VanthuError, match="LibreOffice không xong sau 0.3 giây"):
        pdf.convert_all([small_docx("chậm")] * 3, timeout=0.3)
    assert time.monotonic() - started < 5
    assert_no_soffice(str(private_tmp), grace=0)


@pytest.mark.pdf
def test_timeout_of_a_warm_office_kills_it_too(private_tmp):
    with pytest.raises(VanthuError, match="không xong"):
        with soffice.Office() as office:
            pdf.convert_all([small_docx("chậm")], timeout=0.2, office=office)
    assert_no_soffice(str(private_tmp), grace=0)


@pytest.mark.pdf
def test_an_unused_office_leaves_nothing(private_tmp):
    with soffice.Office():
        deadline = time.monotonic() + 5
        while not live_processes(str(private_tmp)) and time.monotonic() < deadline:
            time.sleep(0.02)  # /proc may show nothing while the soffice script execs oosplash
        assert live_processes(str(private_tmp))
    assert_no_soffice(str(private_tmp), grace=0)


CONVERT_MANY = textwrap.dedent("""
    import sys, tempfile
    tempfile.tempdir = sys.argv[1]
    from vanthu.generator import pdf
    data = open(sys.argv[2], "rb").read()
    print("start", flush=True)
    pdf.convert_all([data] * 40, workers=2)
""")
WARM_WHILE_RENDERING = textwrap.dedent("""
    import sys, tempfile, time
    tempfile.tempdir = sys.argv[1]
    from vanthu.generator import soffice
    with soffice.Office():
        time.sleep(60)  # as if rendering a long batch while LibreOffice starts
""")


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("script", [CONVERT_MANY, WARM_WHILE_RENDERING], ids=["converting", "rendering"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_program_reaps_soffice(tmp_path, signum, script):
    sample = tmp_path / "a.docx"
    sample.write_bytes(small_docx("Một trang"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    child = subprocess.Popen([sys.executable, "-c", script, str(scratch), str(sample)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not live_processes(str(scratch)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live_processes(str(scratch)), "soffice never started"
        child.send_signal(signum)
        child.wait(timeout=20)
    finally:
        child.kill()
        child.wait()
    assert child.returncode != 0
    assert_no_soffice(str(scratch), grace=0.5)
