"""Drafts (bản nháp): checking and rendering records without numbering them.

The core of ``vanthu check`` and ``vanthu render``; nothing here prints.
"""
from pathlib import Path

from ..errors import VanthuError
from ..files import write_atomic
from .records import RecordReader
from .render import Renderer


def check_files(paths, library=None):
    """Every record of every file, checked; one error lists all problems of all files."""
    reader, records, problems = RecordReader(library), [], []
    for path in paths:
        try:
            records += reader.load(path)
        except VanthuError as error:
            problems += error.problems
    VanthuError.collect(problems)
    return records


def docx_targets(records, out):
    """Where each record's DOCX goes: ``out`` itself for one record, else files in a folder."""
    out = Path(out) if out else None
    if len(records) == 1 and out is not None and out.suffix.lower() == ".docx":
        return [out]
    if out is not None and out.suffix:
        raise VanthuError(f"'{out}': nhiều bản ghi cần -o là một thư mục (hoặc một tệp .pdf để gộp)")
    folder = out or Path(".")
    return [folder / _file_name(record, records) for record in records]


def _file_name(record, records):
    stem = Path(record.source).stem
    same = [r for r in records if r.source == record.source]
    return f"{stem}.docx" if len(same) == 1 else f"{stem}-{same.index(record) + 1}.docx"


def render_merged_docx(paths, data, out=None, library=None, notes=None):
    """A mail merge to DOCX, one file per row in the folder ``out``; any bad row: nothing written."""
    from .mailmerge import merge
    if len(paths) != 1:
        raise VanthuError("trộn thư (--data) cần đúng một tệp mẫu bản ghi")
    results = merge(paths[0], data, RecordReader(library), notes)
    VanthuError.collect([p for r in results if isinstance(r, VanthuError) for p in r.problems])
    return _write_all(results, out or Path("."))


def _write_all(records, out):
    if Path(out).suffix:
        raise VanthuError(f"'{out}': trộn thư ra DOCX cần -o là một thư mục (hoặc một tệp .pdf để gộp)")
    renderer = Renderer()
    documents = [renderer.render(record) for record in records]  # all in memory first: all or nothing
    stem = Path(records[0].source).stem if records else "van-ban"
    targets = [Path(out) / f"{stem}-{n:03d}.docx" for n in range(1, len(records) + 1)]
    for target, data in zip(targets, documents):
        write_atomic(target, data)
    return targets


def render_docx(paths, out=None, library=None):
    """Render the records of ``paths`` to DOCX files; returns the files written.

    All records are checked first: if any is bad, nothing is written.
    """
    records = check_files(paths, library)
    targets = docx_targets(records, out)
    renderer = Renderer()
    documents = [renderer.render(record, split=True) for record in records]  # all in memory first: all or nothing
    extra = [(_appendix_file(target, n), data) for record, target in zip(records, targets)
             for n, data in renderer.render_appendix_files(record)]
    for target, data in list(zip(targets, documents)) + extra:
        write_atomic(target, data)
    return targets + [target for target, _ in extra]


def _appendix_file(target, number):
    """``cv-12.docx`` → ``cv-12-phu-luc-1.docx`` (model 2.2: the appendix's own file)."""
    return target.with_name(f"{target.stem}-phu-luc-{number}{target.suffix}")
