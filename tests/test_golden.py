"""Golden files: the rendered DOCX compared part by part with a reviewed copy.

On a difference the output is saved in tests/golden-failures/ for a person to
open in Word or LibreOffice. After a deliberate change of layout, review the
new output and run ``pytest tests/test_golden.py --regen-goldens``.
"""
import difflib
import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import DATA
from vanthu.generator.records import load
from vanthu.generator.render import Renderer

GOLDEN = Path(__file__).parent / "golden"
FAILURES = Path(__file__).parent / "golden-failures"
VOLATILE = [
    re.compile(r'\s+w:rsid\w*="[^"]*"'),                    # editing-session ids
    re.compile(r"<dcterms:modified[^>]*>[^<]*</dcterms:modified>"),
    re.compile(r"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>"),
    re.compile(r"<cp:revision>[^<]*</cp:revision>"),
]


def parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: normalized(z.read(name)) for name in z.namelist()}


def normalized(blob):
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return blob
    for pattern in VOLATILE:
        text = pattern.sub("", text)
    return re.sub(r">\s*<", ">\n<", text)  # one element a line: readable diffs


def first_difference(name, want, got):
    if isinstance(want, bytes) or isinstance(got, bytes):
        return f"{name}: binary part differs"
    diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden/" + name, "output/" + name, lineterm="", n=1)
    return "\n".join(list(diff)[:30])


@pytest.mark.parametrize("name", ["4482-SYT-VP", "dang-ky-tai-khoan-bluezone"])
def test_docx_matches_golden(name, regen_goldens):
    output = Renderer().render(load(DATA / f"{name}.yaml")[0])
    golden = GOLDEN / f"{name}.docx"
    if regen_goldens:
        golden.write_bytes(output)
        pytest.skip(f"golden file written: {golden}; review it and commit it")
    if not golden.exists():
        pytest.fail(f"golden file {golden} is missing; write it with --regen-goldens, review it and commit it")
    want, got = parts(golden.read_bytes()), parts(output)
    problems = [f"part missing: {n}" for n in sorted(set(want) - set(got))]
    problems += [f"unexpected part: {n}" for n in sorted(set(got) - set(want))]
    problems += [first_difference(n, want[n], got[n]) for n in sorted(set(want) & set(got)) if want[n] != got[n]]
    if problems:
        FAILURES.mkdir(exist_ok=True)
        (FAILURES / f"{name}.docx").write_bytes(output)
        pytest.fail(f"{name}.docx differs from its golden copy; output saved in {FAILURES / (name + '.docx')}\n"
                    + "\n".join(problems))


def test_rendering_is_deterministic():
    record = load(DATA / "4482-SYT-VP.yaml")[0]
    assert Renderer().render(record) == Renderer().render(record)
