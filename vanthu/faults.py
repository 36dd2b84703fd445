"""Named points of the issuing sequence where a test may kill the process (điểm thử sự cố).

The crash tests set ``VANTHU_TEST_KILL_AT=<point>`` and check that a
SIGKILL there leaves the archive consistent. Unset, this costs one dict look-up.
"""
import os
import signal

ENV = "VANTHU_TEST_KILL_AT"
POINTS = ("numbered", "staged", "published", "committed", "head-saved", "index-committed", "done")


def checkpoint(name):
    """Die here, at once and without cleanup, if a test asked for it."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
