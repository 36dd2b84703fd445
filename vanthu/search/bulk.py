"""Fast bulk building of index segments (xây chỉ mục hàng loạt), for ``reindex``.

Whoosh's own writer spends a few microseconds of Python per posting: it
queues a tuple per posting, sorts and merges temporary runs, then adds the
postings one by one. A rebuild of 100,000 documents has some 50 million
postings, so this module keeps each term's postings in one ``array`` while
documents are added and hands whole blocks to Whoosh's W3 codec at the end.
The files written are ordinary Whoosh segments, read by ordinary Whoosh.

This relies on the block layout of ``W3PostingsWriter`` (whoosh-reloaded 2.7):
``_ids``, ``_weights``, ``_values`` and the block statistics.
"""
from array import array
from collections import defaultdict, deque
from functools import partial
from itertools import repeat

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter

from .schema import TermBag

# Postings are packed as docnum << 8 | frequency: one array per term.
_FREQ_BITS = 8
_FREQ_MAX = (1 << _FREQ_BITS) - 1
MAX_SEGMENT_DOCS = 1 << (32 - _FREQ_BITS)
# Most pair terms occur in a few documents: their postings go in the term
# table itself rather than in a block of the postings file of their own.
INLINE_LIMIT = 6


class _PostingsWriter(W3PostingsWriter):
    """W3's postings writer with inlining working (2.7.5 calls a misspelt method)."""

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        return terminfo


class _BuildCodec(W3Codec):
    """The codec used to write a rebuild; segments are read with the plain W3 codec."""

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


class SegmentBuilder:
    """Builds one new segment (phân đoạn) of documents in ``storage``."""

    def __init__(self, storage, schema, indexname="MAIN"):
        self.schema = schema
        self.codec = _BuildCodec(inlinelimit=INLINE_LIMIT)
        self.storage = storage
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.postings = {name: defaultdict(partial(array, "I")) for name in schema.names() if schema[name].indexed}
        self.lengths = {name: array("I") for name in self.postings}
        self.docnum = 0

    def add(self, values):
        """Add one document, given as the field values of :func:`.schema.fields_of`."""
        if self.docnum >= MAX_SEGMENT_DOCS:
            raise ValueError("segment is full")
        self.perdoc.start_doc(self.docnum)
        for name in self.postings:
            value = values.get(name)
            length = self._add_terms(name, value) if value is not None else 0
            self.lengths[name].append(length)
        for name, value in values.items():
            self._add_per_doc(name, self.schema[name], value)
        self.perdoc.finish_doc()
        self.docnum += 1

    def _add_terms(self, name, value):
        field = self.schema[name]
        if isinstance(field, TermBag):
            counts = field.term_counts(value)
        else:
            counts = {text: int(weight) for text, _, weight, _ in field.index(value)}
        # map() and deque() keep the per-posting work in C: 50 million postings
        postings = map(self.postings[name].__getitem__, counts.keys())
        packed = map((self.docnum << _FREQ_BITS).__or__, map(min, counts.values(), repeat(_FREQ_MAX)))
        deque(map(array.append, postings, packed), maxlen=0)
        return sum(counts.values()) if field.scorable else 0

    def _add_per_doc(self, name, field, value):
        length = self.lengths[name][-1] if name in self.lengths else 0
        self.perdoc.add_field(name, field, value if field.stored else None, length)
        if field.column_type:
            self.perdoc.add_column_value(name, field.column_type, field.to_column_value(value))

    def finish(self):
        """Write the postings and close the segment; returns the Whoosh segment."""
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self.postings):
            _write_field(writer, name, self.schema[name], self.postings.pop(name), self.lengths[name])
        writer.close()
        self.segment.set_doc_count(self.docnum)
        self.segment._codec = W3Codec()  # readers need nothing of _BuildCodec
        return self.segment


def _write_field(writer, name, field, postings, lengths):
    if not postings:
        return
    writer.start_field(name, field)
    for term in sorted(postings):
        writer.start_term(term.encode("utf-8") if isinstance(term, str) else term)
        _write_term(writer._postwriter, postings[term], lengths if field.scorable else None)
        writer.finish_term()
    writer.finish_field()


def _write_term(postwriter, packed, lengths):
    limit = postwriter._blocklimit
    for start in range(0, len(packed), limit):
        if postwriter._ids:
            postwriter._write_block()
        _fill_block(postwriter, packed[start:start + limit], lengths)
    # the last block stays buffered: finish_term() writes it as the last one


def _fill_block(postwriter, chunk, lengths):
    ids = array("I", [p >> _FREQ_BITS for p in chunk])
    weights = array("f", [p & _FREQ_MAX for p in chunk])
    postwriter._ids, postwriter._weights, postwriter._values = ids, weights, []
    postwriter._maxweight = max(weights)
    if lengths is not None:
        block_lengths = [lengths[i] for i in ids]
        postwriter._minlength, postwriter._maxlength = min(block_lengths), max(block_lengths)
