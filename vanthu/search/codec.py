"""Whoosh's W3 codec, read faster (đọc nhanh danh sách văn bản).

Whoosh 2.7 decodes each block of document numbers with a Python generator
and skips inside a block one posting at a time; ``itertools.accumulate`` and
``bisect`` do the same in C. On 100,000 documents a phrase query skips
through hundreds of blocks, so this was most of its time.
The files are the W3 codec's, unchanged: segments written by a rebuild name
this codec for reading, segments Whoosh writes itself keep the plain one.
"""
from bisect import bisect_left
from itertools import accumulate

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.matching import ReadTooFar
from whoosh.util.numeric import byte_to_length


class _LeafMatcher(W3LeafMatcher):
    def _read_ids(self):
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        self._ids = ids if self._byteids else tuple(accumulate(ids))

    def skip_to(self, targetid):
        # as W3's, but inside a block by bisection rather than one posting at a time
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        if targetid > self.block_max_id():
            self._skip_to_block(lambda: targetid > self.block_max_id())
            if not self.is_active():
                return
        if self._ids is None:
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)
        if self._i == self._blocklength:
            self._next_block()


class _PerDocReader(W3PerDocReader):
    """W3's, with each field's length column read into memory once.

    BM25F asks a document's field length for every document it scores (a
    one-word query over 100,000 documents scores ~1,000); W3 reads each
    through three layers of Python file access. The column is one byte a
    document (20 KB a segment), read at the first question.
    """

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._length_bytes = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        lengths = self._length_bytes.get(fieldname)
        if lengths is None:
            lengths = self._length_bytes[fieldname] = self._read_lengths(fieldname)
        if lengths is False:
            return default
        # as W3: a zero byte (no length, or past the column's end) gives None
        return byte_to_length(lengths[docnum]) if docnum < len(lengths) and lengths[docnum] else None

    def _read_lengths(self, fieldname):
        name = W3Codec.column_filename(self._segment, _lenfield(fieldname))
        if not self._storage.file_exists(name):
            return False
        column = self._storage.open_file(name)
        try:
            return bytes(column.read())
        finally:
            column.close()


class ReadingCodec(W3Codec):
    """The W3 codec with :class:`_LeafMatcher` for postings in the postings file
    and :class:`_PerDocReader` for field lengths."""

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
