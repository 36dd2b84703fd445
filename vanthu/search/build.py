"""A whole index from a stream of archived documents, on every core (dựng chỉ mục).

The parent reads documents and hands batches to worker processes; each worker
analyses its documents and writes segments of at most ``SEGMENT_DOCS``
documents with :class:`.bulk.SegmentBuilder`; the parent then lists the
segments in a new table of contents. A worker's error is raised again in the
parent, and nothing is listed: the half-built index is thrown away.
"""
import multiprocessing
import os
import queue
import shutil
import traceback

from whoosh import index as whoosh_index

from .bulk import SegmentBuilder
from .schema import fields_of

BATCH_DOCS = 500
SEGMENT_DOCS = 20_000  # per worker: about 120 MB of postings and terms
SMALL = 2_000  # fewer documents than this: one process is faster than starting more


def build_index(storage, schema, indexname, docs, progress=None, procs=None):
    """Write ``docs`` as the only segments of a new index in the empty ``storage``."""
    procs = procs or min(os.cpu_count() or 1, 4)
    docs = iter(docs)
    first = _take(docs, SMALL)
    if procs == 1 or len(first) < SMALL:
        segments = _build_here(storage, schema, indexname, first, docs, progress)
    else:
        segments = _build_in_workers(storage, schema, indexname, first, docs, procs, progress)
    kept = [s for s in segments if s.doc_count_all()]
    whoosh_index.TOC(schema, kept, 0).write(storage, indexname)
    whoosh_index.clean_files(storage, indexname, 0, kept)  # the files of empty segments
    shutil.rmtree(os.path.join(storage.folder, f"{indexname}.tmp"), ignore_errors=True)  # writers' scratch
    return sum(s.doc_count_all() for s in kept)


def _take(docs, n):
    batch = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == n:
            break
    return batch


def _batches(first, docs):
    for start in range(0, len(first), BATCH_DOCS):
        yield first[start:start + BATCH_DOCS]
    while batch := _take(docs, BATCH_DOCS):
        yield batch


def _build_here(storage, schema, indexname, first, docs, progress):
    builder = _Segments(storage, schema, indexname)
    for batch in _batches(first, docs):
        builder.add(batch)
        if progress:
            progress(len(batch))
    return builder.finish()


class _Segments:
    """Adds documents to a segment, starting a new one every ``SEGMENT_DOCS``."""

    def __init__(self, storage, schema, indexname):
        self.args = (storage, schema, indexname)
        self.done = []
        self.current = SegmentBuilder(*self.args)

    def add(self, batch):
        for doc in batch:
            self.current.add(fields_of(doc))
        if self.current.docnum >= SEGMENT_DOCS:
            self.done.append(self.current.finish())
            self.current = SegmentBuilder(*self.args)

    def finish(self):
        return self.done + [self.current.finish()]


def _build_in_workers(storage, schema, indexname, first, docs, procs, progress):
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(maxsize=2 * procs), context.Queue()
    workers = [context.Process(target=_work, args=(storage, schema, indexname, tasks, results), daemon=True)
               for _ in range(procs)]
    for worker in workers:
        worker.start()
    try:
        _feed(tasks, results, _batches(first, docs), progress, procs)
        return _collect(results, procs)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _feed(tasks, results, batches, progress, procs):
    for batch in batches:
        _put(tasks, batch, results)
        if progress:
            progress(len(batch))
    for _ in range(procs):
        _put(tasks, None, results)


def _put(tasks, item, results):
    """Queue a batch, but stop as soon as a worker has failed."""
    while True:
        try:
            return tasks.put(item, timeout=0.5)
        except queue.Full:
            if not results.empty():  # only a failure is reported before the end
                _collect(results, 1)


def _collect(results, procs):
    segments, finished = [], 0
    while finished < procs:
        kind, payload = results.get()
        if kind == "error":
            raise RuntimeError(f"lỗi khi dựng chỉ mục:\n{payload}")
        segments.extend(payload)
        finished += 1
    return segments


def _work(storage, schema, indexname, tasks, results):
    try:
        builder = _Segments(storage, schema, indexname)
        while (batch := tasks.get()) is not None:
            builder.add(batch)
        results.put(("done", builder.finish()))
    except BaseException:  # reported to the parent, which raises it
        results.put(("error", traceback.format_exc()))
