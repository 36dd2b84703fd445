"""LibreOffice headless (soffice): DOCX files in, PDF files out.

One ``soffice --convert-to pdf`` process converts many files: starting
LibreOffice costs about a second, converting a one-page form a tenth of that,
so a batch is split into one chunk per core and each chunk goes to one
process. Every process gets its own throw-away user profile (two soffice
processes sharing a profile wait on each other's lock or fail) and runs in its
own process group, which is killed, whatever happens: on success, error,
timeout, Ctrl-C or SIGTERM. No soffice is ever left behind.
"""
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import VanthuError

INSTALL_HINT = (
    "Không tìm thấy LibreOffice (lệnh soffice), cần để xuất PDF. Cài đặt: "
    "apt-get install libreoffice-writer-nogui fonts-liberation2 (hoặc chạy make install)."
)
STARTUP_SECONDS = 60.0  # a cold first start on a busy machine can take tens of seconds
SECONDS_PER_FILE = 10.0
POLL_SECONDS = 0.05
PROFILE_PREFIX = "vanthu-lo-"
PROFILE_CACHE_ENV = "VANTHU_CACHE"


def find_soffice():
    """The soffice program (chương trình LibreOffice); a clear Vietnamese error if missing."""
    found = os.environ.get("VANTHU_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not os.access(found, os.X_OK):
        raise VanthuError(INSTALL_HINT)
    return found


@dataclass(frozen=True)
class ExportOptions:
    """How Writer exports PDF (tùy chọn xuất PDF): plain PDF or PDF/A-2b."""

    pdfa: bool = False

    @property
    def convert_to(self):
        # LibreOffice >= 7.4 reads the export filter's options as JSON after the filter name.
        if self.pdfa:
            return 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
        return "pdf:writer_pdf_Export"


def default_timeout(file_count):
    """Seconds one soffice process may take for ``file_count`` files."""
    return STARTUP_SECONDS + SECONDS_PER_FILE * file_count


def chunks(items, count):
    """``items`` split into at most ``count`` contiguous, nearly equal chunks."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return [c for c in out if c]


def convert(docx_paths, outdir, *, options=ExportOptions(), workers=1, timeout=None,
            progress=None, workdir=None):
    """Convert DOCX files to PDF files in ``outdir`` (same stem, ``.pdf``).

    Uses up to ``workers`` soffice processes, each converting one chunk of the
    files. ``progress(n)`` is called with the number of PDFs done so far.
    Returns the PDF path for every input, ``None`` where LibreOffice made none.
    Raises VanthuError if soffice is missing, fails or exceeds ``timeout``.
    """
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    program = find_soffice()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    expected = [outdir / (p.stem + ".pdf") for p in paths]
    with tempfile.TemporaryDirectory(prefix=PROFILE_PREFIX, dir=workdir) as scratch:
        jobs = [_Job(program, chunk, outdir, Path(scratch) / f"worker{i}", options)
                for i, chunk in enumerate(chunks(paths, workers))]
        limit = timeout if timeout is not None else default_timeout(max(len(j.inputs) for j in jobs))
        _run_all(jobs, limit, expected, progress)
        _keep_profile(program, jobs[0].profile)
    return [p if p.exists() and p.stat().st_size > 0 else None for p in expected]


class _Job:
    """One soffice process converting one chunk, with its own profile (hồ sơ người dùng)."""

    def __init__(self, program, inputs, outdir, home, options):
        self.inputs = inputs
        self.home = home
        self.profile = home / "profile"
        self.template = _cached_profile(program)
        self.command = [
            program, f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck", "--nodefault",
            "--convert-to", options.convert_to, "--outdir", str(outdir), *map(str, inputs),
        ]
        self.process = None

    def start(self):
        self.home.mkdir(parents=True)
        if self.template.is_dir():
            shutil.copytree(self.template, self.profile, ignore=shutil.ignore_patterns(".lock"))
        self.log = open(self.home / "soffice.log", "wb")
        # Own session = own process group: Ctrl-C in the terminal does not reach it,
        # and killpg reaches oosplash, soffice.bin and anything they started.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env=_environment())

    def finished(self):
        return self.process.poll() is not None

    def kill(self):
        """Kill the whole process group and reap the leader (idempotent)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def failure(self):
        """Why this process failed (None if it exited cleanly)."""
        if self.process.returncode == 0:
            return None
        self.log.flush()
        tail = (self.home / "soffice.log").read_text(errors="replace").strip().splitlines()[-3:]
        return f"LibreOffice dừng với mã {self.process.returncode}: {' / '.join(tail) or 'không có thông báo'}"


def _cached_profile(program):
    """Where a finished profile is kept, per LibreOffice installation.

    A new profile costs LibreOffice about 0.2 s to build on every start; a copy
    of one built before costs a few milliseconds. Each run still gets its own copy.
    """
    real = Path(program).resolve()
    stamp = f"{real}:{real.stat().st_mtime_ns}".encode()
    root = os.environ.get(PROFILE_CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vanthu")
    return Path(root) / f"lo-profile-{zlib.crc32(stamp):08x}"


def _keep_profile(program, profile):
    """Keep a copy of a profile LibreOffice just built, if none is kept yet."""
    target = _cached_profile(program)
    if target.is_dir() or not (profile / "user").is_dir():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".profile-", dir=target.parent))
    shutil.copytree(profile, staging / "p", ignore=shutil.ignore_patterns(".lock"))
    try:
        os.rename(staging / "p", target)  # atomic: a parallel run may have won the race
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging)


def _environment():
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")  # headless rendering, no X server probing
    return env


def _run_all(jobs, limit, expected, progress):
    """Run the processes to completion within ``limit`` seconds; always reap them."""
    deadline = time.monotonic() + limit
    with _Interruptions() as interruptions:
        try:
            for job in jobs:
                with interruptions.held():
                    job.start()
            _wait(jobs, deadline, limit, expected, progress)
        finally:
            with interruptions.held():
                for job in jobs:
                    job.kill()
    VanthuError.collect([f for f in (job.failure() for job in jobs) if f])


def _wait(jobs, deadline, limit, expected, progress):
    done = -1
    while True:
        finished = all(job.finished() for job in jobs)
        if progress is not None:
            now = sum(1 for p in expected if p.exists())
            if now != done:
                done = now
                progress(done)
        if finished:
            return
        if time.monotonic() > deadline:
            raise VanthuError(f"LibreOffice không xong sau {limit:g} giây; đã dừng nó. "
                              "Thử lại, hoặc chia nhỏ lô văn bản.")
        _pause(jobs)


def _pause(jobs):
    """Sleep a moment, waking at once when a running process exits."""
    running = next((job for job in jobs if not job.finished()), None)
    if running is None:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        running.process.wait(timeout=POLL_SECONDS)


class _Interruptions:
    """Ctrl-C and SIGTERM while soffice runs: raised as exceptions, so ``finally`` kills soffice.

    While a process is being started or killed they are held back and raised
    right after: an interruption inside ``Popen`` would lose the child's pid,
    and with it the means to kill it. SIGTERM becomes ``SystemExit(143)``.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.holding = False
        self.pending = None
        self.previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                if signal.getsignal(signum) is not signal.SIG_IGN:  # respect nohup and background jobs
                    self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        return False

    def _handle(self, signum, frame):
        if self.holding:
            self.pending = signum
        else:
            self._raise(signum)

    @staticmethod
    def _raise(signum):
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    @contextlib.contextmanager
    def held(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
            if self.pending is not None:
                signum, self.pending = self.pending, None
                self._raise(signum)
