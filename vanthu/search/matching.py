"""A fix to Whoosh 2.7's top-N search with boosted terms (pondération, tìm nhanh).

Whoosh skips the postings that cannot reach the current N-th score
(``replace(minquality)``). ``WrappingMatcher``, which applies a query's
boost, hands its child the threshold unchanged instead of dividing it by
the boost: a term boosted ×6 inside an ``And`` was dropped as if it could
score only a sixth of what it does, and the best documents went missing
from the first page (``bluezone SYT`` without its 4482/SYT-VP, depending on
how the index's segments fell). ``ArrayUnionMatcher``, which Whoosh picks for
an ``Or`` in a segment of 5,000 documents or fewer, bounds its score by the
best of its parts' instead of their sum and skips good documents too: every
``Or`` uses the binary tree of ``UnionMatcher`` instead, as Whoosh does for
larger segments. ``ConstantScoreWrapperMatcher`` passes the threshold to
its child, whose own scores are not the constant it gives.
``AndMaybeMatcher.skip_to`` moves its optional side to the target rather
than to where the required side landed, so a bonus (subject, phrase) was
missed whenever the required side was past the target. All fixed here,
once, for every search.
"""
from whoosh.matching import AndMaybeMatcher, NullMatcher, ReadTooFar
from whoosh.matching.wrappers import ConstantScoreWrapperMatcher, WrappingMatcher
from whoosh.query import Or


def _replace(self, minquality=0):
    boost = getattr(self, "boost", 1.0)
    child = self.child.replace(minquality / boost if boost > 0 else 0)
    return self if child is self.child else self._replacement(child)


WrappingMatcher.replace = _replace

Or.matcher_type = Or.DEFAULT_MATCHER


_PAST_ANY_DOCUMENT = 2 ** 31 - 1


def _constant_replace(self, minquality=0):
    if minquality and self._score < minquality:
        return NullMatcher()
    child = self.child.replace(0)  # its own scores are not what it gives
    return self if child is self.child else self._replacement(child)


def _constant_skip_to_quality(self, minquality):
    """Its blocks are all worth the constant: all skipped if that is too little, else none."""
    if self._score > minquality or not self.child.is_active():
        return 0
    self.child.skip_to(_PAST_ANY_DOCUMENT)
    return 1


ConstantScoreWrapperMatcher.replace = _constant_replace
ConstantScoreWrapperMatcher.skip_to_quality = _constant_skip_to_quality


def _and_maybe_skip_to(self, docnum):
    if not self.a.is_active():
        raise ReadTooFar
    moved = self.a.skip_to(docnum)
    if self.a.is_active() and self.b.is_active() and self.b.id() < self.a.id():
        moved = self.b.skip_to(self.a.id()) or moved  # to where a is, not to docnum: a may be past it
    return moved


def _and_maybe_skip_to_quality(self, minquality):
    skipped = _WHOOSH_SKIP_TO_QUALITY(self, minquality)
    if self.a.is_active() and self.b.is_active() and self.b.id() < self.a.id():
        self.b.skip_to(self.a.id())
    return skipped


_WHOOSH_SKIP_TO_QUALITY = AndMaybeMatcher.skip_to_quality
AndMaybeMatcher.skip_to = _and_maybe_skip_to
AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality
