"""The index after a rebuild keeps taking documents one commit at a time (Whoosh merges its segments)."""
import dataclasses
import datetime as dt

from vanthu.archive.document import OUTGOING, ArchivedDocument
from vanthu.docnumber import DocumentNumber
from vanthu.search import index
from vanthu.search.query import Filters


def document(n):
    return ArchivedDocument(id=n, direction=OUTGOING, number=DocumentNumber(n, "SYT-VP"), date=dt.date(2020, 8, 6),
                            type_name="Công văn", issuer_name="Sở Y tế", issuer_code="SYT",
                            subject=f"việc số {n}", body=f"triển khai truy vết lần thứ {n} tại các đơn vị",
                            signer="Phan Huy Anh Vũ", recipients=["Các đơn vị"])


def test_single_commits_after_a_bulk_rebuild_are_all_searchable(tmp_path):
    from vanthu.search import search
    docs = [document(n) for n in range(1, 4)]
    index.rebuild(tmp_path, docs)  # the fast bulk writer makes the first segment
    for n in range(4, 21):  # enough commits for Whoosh to merge the bulk segment with its own
        docs.append(document(n))
        assert index.add_documents(tmp_path, [docs[-1]], lambda: iter(docs)) == []
    found = search(tmp_path, "truy vết", filters=Filters(), limit=100, all_documents=lambda: iter(docs))
    assert sorted(r.number for r in found.results) == sorted(str(d.number) for d in docs)
    assert found.warnings == []


def test_a_changed_document_replaces_its_old_version(tmp_path):
    from vanthu.search import search
    docs = [document(n) for n in range(1, 8)]
    index.rebuild(tmp_path, docs)
    changed = dataclasses.replace(docs[0], subject="đổi trích yếu")
    index.add_documents(tmp_path, [changed], lambda: iter(docs))
    found = search(tmp_path, "đổi trích yếu", filters=Filters(), all_documents=lambda: iter(docs))
    assert [r.number for r in found.results] == ["01/SYT-VP"]


def test_a_failed_update_is_raised_and_the_next_search_catches_up(tmp_path, monkeypatch):
    from vanthu.search import search
    docs = [document(n) for n in range(1, 4)]
    index.rebuild(tmp_path, docs)
    docs.append(document(4))
    monkeypatch.setattr(index, "_update", lambda ix, new: (_ for _ in ()).throw(OSError("đĩa đầy")))
    try:
        index.add_documents(tmp_path, [docs[-1]], lambda: iter(docs))
    except OSError:
        pass
    else:
        raise AssertionError("an indexing error must reach the caller")
    monkeypatch.undo()
    found = search(tmp_path, "04/SYT-VP", filters=Filters(), all_documents=lambda: iter(docs))
    assert [r.number for r in found.results] == ["04/SYT-VP"]
    assert index.STALE_WARNING in found.warnings
    assert search(tmp_path, "04/SYT-VP", filters=Filters(), all_documents=lambda: iter(docs)).warnings == []
