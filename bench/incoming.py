#!/usr/bin/env python3
"""Benchmark: incoming scans and spreadsheets (issue 14).

* ``ocr``: the seed dispatch rendered by LibreOffice, turned into 300 dpi noisy,
  slightly rotated page images and an image-only PDF (as tests/test_ocr_import.py
  does), read by ``vanthu.archive.ocr.read`` (OCRmyPDF + Tesseract ``vie``):
  seconds per page, median of RUNS runs;
* ``sheet``: a 50,000-row .xlsx of the BlueZone form's columns (Vietnamese
  headers, phone numbers as numbers, date cells), read three ways in the same
  run, median of RUNS each: python-calamine (``vanthu.sheets.read_table``),
  openpyxl (``load_workbook(read_only=True)``, values only), and vanthu's whole
  mail-merge path (read, headers matched to fields, cells converted).

    python bench/incoming.py [--rows 50000] [--runs 3] [--skip-ocr] [--json]
"""
import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

HEADERS = ["STT", "Tên CDC/Trung tâm Y tế dự phòng tỉnh, thành phố", "Họ tên người quản lý tài khoản", "Chức vụ",
           "Số điện thoại", "Email", "Ngày ký", "Ghi chú"]


def timed(function, runs):
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def write_sheet(path, rows):
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(HEADERS)
    for n in range(1, rows + 1):
        sheet.append([n, f"CDC tỉnh số {n}", f"Nguyễn Văn Hùng {n}", "Trưởng khoa", 912000000 + n,
                      f"cdc{n}@soyte.gov.vn", dt.datetime(2020, 8, 6), ""])
    book.save(path)


def read_calamine(path):
    from vanthu.sheets import read_table
    return len(read_table(path).rows)


def read_openpyxl(path):
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.active.iter_rows(min_row=2, values_only=True))
    book.close()
    return count


def merge_rows(path, template):
    from vanthu.generator import mailmerge
    rows = mailmerge.read_rows(path)
    columns = mailmerge.column_map(list(rows[0].values), template, str(path), [])
    cells = mailmerge.CellReader(template, [])
    return len([cells.convert(row, columns) for row in rows])


def bench_sheet(rows, runs, folder):
    from vanthu.templates import TemplateLibrary
    path = folder / "ds.xlsx"
    write_sheet(path, rows)
    template = TemplateLibrary().get("dang-ky-tai-khoan-bluezone")
    calamine, n1 = timed(lambda: read_calamine(path), runs)
    openpyxl, n2 = timed(lambda: read_openpyxl(path), runs)
    merge, n3 = timed(lambda: merge_rows(path, template), runs)
    assert n1 == n2 == n3 == rows, (n1, n2, n3)
    return {"rows": rows, "file_mb": round(path.stat().st_size / 2**20, 1), "calamine_s": round(calamine, 3),
            "openpyxl_s": round(openpyxl, 3), "ratio_openpyxl_over_calamine": round(openpyxl / calamine, 1),
            "mail_merge_rows_s": round(merge, 3)}


def bench_ocr(runs, folder):
    from test_ocr_import import scanned
    from vanthu.archive import ocr
    from vanthu.cli import main
    truth = folder / "4482.pdf"
    try:
        main(["render", str(ROOT / "tests/data/4482-SYT-VP.yaml"), "-o", str(truth)])
    except SystemExit as exit:
        assert exit.code == 0
    data = scanned(truth, folder).read_bytes()
    pages = len(ocr.page_texts(data))
    seconds, reading = timed(lambda: ocr.read(data, "pdf"), runs)
    assert reading.recognized == pages and "truy vết" in reading.text
    return {"pages": pages, "dpi": 300, "seconds_per_page": round(seconds / pages, 2), "runs": runs,
            "tesseract": subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split()[1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as scratch:
        result["sheet"] = bench_sheet(args.rows, args.runs, Path(scratch))
        if not args.skip_ocr:
            result["ocr"] = bench_ocr(args.runs, Path(scratch))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    sheet = result["sheet"]
    print(f"{result['machine']}")
    print(f"spreadsheet, {sheet['rows']:,} rows ({sheet['file_mb']} MB .xlsx), median of {args.runs}: "
          f"python-calamine {sheet['calamine_s']} s, openpyxl (read-only) {sheet['openpyxl_s']} s "
          f"= {sheet['ratio_openpyxl_over_calamine']}x; vanthu mail-merge rows (read, match, convert) "
          f"{sheet['mail_merge_rows_s']} s")
    if "ocr" in result:
        o = result["ocr"]
        print(f"OCR (Tesseract {o['tesseract']}, vie, {o['dpi']} dpi, {o['pages']} pages), median of {o['runs']}: "
              f"{o['seconds_per_page']} s per page")


if __name__ == "__main__":
    main()
