"""PDF copies of issued documents (bản PDF), made with the generator's LibreOffice batch.

One LibreOffice run converts the whole batch; each PDF then gets its own
metadata and an empty signature field over the signer's place, as a draft
PDF does (:mod:`vanthu.generator.pdf`).
"""
from ..errors import VanthuError


def convert(records, docx_list):
    """PDF bytes for each issued record's DOCX, or an error naming the records that failed.

    LibreOffice's own limits (files per run) are :mod:`vanthu.generator.soffice`'s business.
    """
    from ..generator import pdf  # LibreOffice is only needed when a PDF is wanted
    from ..generator.pdfrender import info_of
    pdfs = pdf.convert_all(docx_list)
    failed = [str(r.number) for r, data in zip(records, pdfs) if data is None]
    if failed:
        shown = ", ".join(failed[:10]) + (f" và {len(failed) - 10} văn bản khác" if len(failed) > 10 else "")
        raise VanthuError(f"LibreOffice không chuyển được {len(failed)}/{len(records)} văn bản sang PDF ({shown}); "
                          "không văn bản nào được ban hành, số chưa bị lấy")
    return [pdf.assemble([(data, info_of(r))]) for r, data in zip(records, pdfs)]


def docx_to_pdf(docx):
    """One DOCX (a register) to PDF bytes."""
    from ..generator import pdf
    (data,) = pdf.convert_all([docx])
    if data is None:
        raise VanthuError("LibreOffice không chuyển được sổ đăng ký sang PDF")
    return data
