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
from collections import defaultdict
from functools import lru_cache, partial
from itertools import chain, compress, repeat

from operator import and_, rshift, sub

from whoosh import fields
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter

from .codec import ReadingCodec
from .schema import CHAMPION_SIZE, SUBJECT_OF, TermBag

# Postings are packed as docnum << 8 | frequency: one array per term.
_FREQ_BITS = 8
_FREQ_MAX = (1 << _FREQ_BITS) - 1
MAX_SEGMENT_DOCS = 1 << (32 - _FREQ_BITS)
# Most pair terms occur in a few documents: their postings go in the term
# table itself rather than in a block of the postings file of their own.
INLINE_LIMIT = 16
# zlib level 1: two thirds of the size of raw blocks for a tenth more build time
BLOCK_COMPRESSION = 1


class _PostingsWriter(W3PostingsWriter):
    """W3's postings writer with inlining working (2.7.5 calls a misspelt method).

    Its per-posting generators are replaced by ``map`` over the block: same bytes.
    """

    def _mini_ids(self):
        ids = self._ids
        return tuple(map(sub, ids, chain((0,), ids)))

    def _mini_weights(self):
        # frequencies pickle as small ints (2 bytes), not floats (9 bytes)
        weights = self._weights
        if weights.count(weights[0]) == len(weights):
            return None if weights[0] == 1 else float(weights[0])
        return tuple(weights)

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        # No value bytes (Existence): one None a posting, as W3's reader gives. An empty
        # tuple would read back as '' and break Whoosh's merge of this segment later.
        terminfo.set_inlined(self._ids, self._weights, (None,) * len(self._ids))
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
        self.codec = _BuildCodec(inlinelimit=INLINE_LIMIT, compression=BLOCK_COMPRESSION)
        self.storage = storage
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.postings = {name: defaultdict(partial(array, "I")) for name in schema.names() if schema[name].indexed}
        self.lengths = {name: array("I") for name in self.postings}
        self.champions = {name: schema[name].champions_of for name in self.postings
                          if getattr(schema[name], "champions_of", None)}
        self.docnum = 0

    def add(self, values):
        """Add one document, given as the field values of :func:`.schema.fields_of`."""
        if self.docnum >= MAX_SEGMENT_DOCS:
            raise ValueError("segment is full")
        self.perdoc.start_doc(self.docnum)
        for name in self.postings:
            if name in self.champions:  # derived from the full field at the end
                continue
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
        elif isinstance(field, fields.ID):  # the whole value is the one term
            counts = {value.encode("utf-8"): 1}
        else:
            counts = {text: int(weight) for text, _, weight, _ in field.index(value)}
        if counts and max(counts.values()) > _FREQ_MAX:
            counts = {term: min(n, _FREQ_MAX) for term, n in counts.items()}
        # the hot loop of a rebuild: some 600 postings a document
        postings, packed = self.postings[name], self.docnum << _FREQ_BITS
        for term, n in counts.items():
            postings[term].append(packed | n)
        return sum(counts.values()) if field.scorable else 0

    def _add_per_doc(self, name, field, value):
        length = self.lengths[name][-1] if name in self.lengths and name not in self.champions else 0
        if field.stored or length:
            self.perdoc.add_field(name, field, value if field.stored else None, length)
        if field.column_type:
            self.perdoc.add_column_value(name, field.column_type, field.to_column_value(value))

    def finish(self):
        """Write the postings and close the segment; returns the Whoosh segment."""
        self.perdoc.close()
        for name, full in self.champions.items():  # only for terms that need one
            subject = self.postings.get(SUBJECT_OF[full], {})
            self.postings[name] = {term: champions(packed, subject.get(term)) for term, packed
                                   in self.postings[full].items() if len(packed) > CHAMPION_SIZE}
            self.lengths[name] = self.lengths[full]  # champions are scored as the full field
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self.postings):
            _write_field(writer, name, self.schema[name], self.postings.pop(name), self.lengths[name])
        writer.close()
        self.segment.set_doc_count(self.docnum)
        self.segment._codec = ReadingCodec()  # readers need nothing of _BuildCodec
        return self.segment


def champions(packed, in_subject=None, size=CHAMPION_SIZE):
    """The postings a term's champion list keeps: the ``size`` with the highest
    frequency, and the ``size`` most frequent of those whose subject has it.

    The subject ranks above the body (see ``ranking.py``): a document with
    the word in its trích yếu must be scored even if its body has it once.
    """
    best = _most_frequent(packed, size)
    if not in_subject:
        return best
    subject_docs = set(map(rshift, in_subject, repeat(_FREQ_BITS)))
    favoured = array("I", compress(packed, map(subject_docs.__contains__, map(rshift, packed, repeat(_FREQ_BITS)))))
    return array("I", sorted(set(best).union(_most_frequent(favoured, size))))


def _most_frequent(packed, size):
    """The ``size`` postings of a term with the highest frequency (the newest on a tie).

    Frequencies are read as bytes and postings picked with ``compress``: the
    whole selection runs in C, over every posting of the segment.
    """
    if len(packed) <= size:
        return packed
    freqs = bytes(map(and_, packed, repeat(_FREQ_MAX)))
    chosen, threshold = 0, 0
    for threshold in sorted(set(freqs), reverse=True):
        count = freqs.count(threshold)
        if chosen + count >= size:
            break
        chosen += count
    above = compress(packed, freqs.translate(_above(threshold)))
    ties = list(compress(packed, freqs.translate(_equal(threshold))))[chosen - size:]
    return array("I", sorted(chain(above, ties)))


@lru_cache(maxsize=None)
def _above(threshold):
    return bytes(int(f > threshold) for f in range(256))


@lru_cache(maxsize=None)
def _equal(threshold):
    return bytes(int(f == threshold) for f in range(256))


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
    ids = array("I", map(rshift, chunk, repeat(_FREQ_BITS)))
    weights = array("B", map(and_, chunk, repeat(_FREQ_MAX)))
    postwriter._ids, postwriter._weights, postwriter._values = ids, weights, []
    postwriter._maxweight = max(weights)
    if lengths is not None:
        block_lengths = list(map(lengths.__getitem__, ids))
        postwriter._minlength, postwriter._maxlength = min(block_lengths), max(block_lengths)
