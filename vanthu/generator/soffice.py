"""LibreOffice headless (soffice): DOCX files in, PDF files out.

Starting LibreOffice costs about a second; converting a one-page form, a
tenth of that. So :class:`Office` starts one LibreOffice *before* the caller
has its documents ready (it starts while Python loads and renders the
records), and one ``soffice --convert-to`` then converts a whole chunk of
files: a second soffice on the same profile only hands its arguments to the
running one, through LibreOffice's single-instance pipe, and waits for them
to be done. A large batch also gets one more process per extra core.

Every process uses a private copy of a profile (two soffice on one profile
wait on each other's lock or fail) and runs in its own process group, which
is killed whatever happens: success, error, timeout, Ctrl-C or SIGTERM.
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

from .. import environment
from ..errors import VanthuError
from ..files import ScratchFolder, sweep_scratch

INSTALL_HINT = (
    "Không tìm thấy LibreOffice (lệnh soffice), cần để xuất PDF. Cài đặt: "
    "apt-get install libreoffice-writer-nogui fonts-liberation2 (hoặc chạy make install)."
)
STARTUP_SECONDS = 60.0  # a cold first start on a busy machine can take tens of seconds
SECONDS_PER_FILE = 10.0
POLL_SECONDS = 0.02
PROFILE_PREFIX = "vanthu-lo-"
FILES_PREFIX = "vanthu-pdf-"  # DOCX in, PDF out (vanthu.generator.pdf)
SHARED_MEMORY = "/dev/shm"
MAX_FILES_PER_RUN = 100  # LibreOffice 7.4 silently stops after about 240 files in one --convert-to
QUIET = ("--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck", "--nodefault")


def scratch_root(workdir=None):
    """Where profiles and files in transit go: ``workdir``, else $TMPDIR, else RAM (/dev/shm).

    Deleting a profile's hundred files took 0.2 s on a disk mounted with
    ``discard``, and 1 ms in RAM; a batch of 200 documents leaves 400 files.
    """
    if workdir or os.environ.get("TMPDIR"):
        return workdir
    return SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) and os.access(SHARED_MEMORY, os.W_OK) else None


def find_soffice():
    """The soffice program (chương trình LibreOffice); a clear Vietnamese error if missing."""
    found = environment.current().soffice or shutil.which("soffice") or shutil.which("libreoffice")
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
    """Convert DOCX files to PDFs in ``outdir`` with LibreOffice started just for this."""
    with Office(workdir=workdir, warm=False) as office:
        return office.convert(docx_paths, outdir, options=options, workers=workers,
                              timeout=timeout, progress=progress)


class Office:
    """LibreOffice, started ahead of the work (LibreOffice chạy sẵn); a context manager.

    ``warm=True`` starts one LibreOffice on entering, with no document, so
    that its start overlaps whatever the caller does before :meth:`convert`.
    Leaving kills every process started, and removes the profiles.
    """

    def __init__(self, *, workdir=None, warm=True):
        self.workdir, self.warm = workdir, warm
        self._server = None
        self._homes = 0

    def __enter__(self):
        self.program = find_soffice()
        root = scratch_root(self.workdir)
        for prefix in (PROFILE_PREFIX, FILES_PREFIX):  # left by runs killed with SIGKILL
            sweep_scratch(root or tempfile.gettempdir(), prefix)
        self._scratch = ScratchFolder(PROFILE_PREFIX, root)
        self._interruptions = _Interruptions().__enter__()
        try:
            self.template = _ensure_template(self.program, self._interruptions)
            if self.warm:
                self._server = _Process(self.program, QUIET, self._new_home(), template=self.template)
                with self._interruptions.held():
                    self._server.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        try:
            with self._interruptions.held():
                if self._server is not None:
                    self._server.kill()
        finally:
            self._interruptions.__exit__()
            self._scratch.cleanup()
        return False

    def _new_home(self):
        self._homes += 1
        return Path(self._scratch.name) / f"worker{self._homes}"

    def convert(self, docx_paths, outdir, *, options=ExportOptions(), workers=1, timeout=None, progress=None):
        """Convert DOCX files to PDF files in ``outdir`` (same stem, ``.pdf``).

        Up to ``workers`` processes each convert one chunk of the files (the
        first chunk goes to the running LibreOffice, if any). ``progress(n)``
        gets the number of PDFs done so far. Returns the PDF path for every
        input, ``None`` where LibreOffice made none. Raises VanthuError if
        LibreOffice fails or exceeds ``timeout`` seconds.
        """
        paths = [Path(p) for p in docx_paths]
        if not paths:
            return []
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        expected = [outdir / (p.stem + ".pdf") for p in paths]
        shares = chunks(paths, workers)
        runs = [self._runs(i, share, outdir, options) for i, share in enumerate(shares)]
        limit = timeout if timeout is not None else default_timeout(max(len(share) for share in shares))
        _run_all(runs, limit, expected, progress, self._interruptions)
        return [p if p.exists() and p.stat().st_size > 0 else None for p in expected]

    def _runs(self, index, share, outdir, options):
        """One worker's runs, one after another on one profile: the running LibreOffice's for the first."""
        batches = [share[i:i + MAX_FILES_PER_RUN] for i in range(0, len(share), MAX_FILES_PER_RUN)]
        warm = index == 0 and self._server is not None
        profile = self._server.profile if warm else None
        runs = []
        for number, batch in enumerate(batches):
            arguments = [*QUIET, "--convert-to", options.convert_to, "--outdir", str(outdir), *map(str, batch)]
            fresh = not warm and number == 0  # the worker's first run copies the template profile
            runs.append(_Process(self.program, arguments, self._new_home(), profile=profile,
                                 template=self.template if fresh else None))
            profile = runs[0].profile
        return runs


class _Process:
    """One soffice process in its own process group, logging to its home folder."""

    def __init__(self, program, arguments, home, *, template=None, profile=None):
        """``template``: a profile to copy; ``profile``: one made before (by a running or earlier LibreOffice)."""
        self.home, self.template = home, template
        self.profile = profile or home / "profile"
        self.command = [program, f"-env:UserInstallation={self.profile.as_uri()}", *arguments]
        self.process = None

    def start(self):
        self.home.mkdir(parents=True)
        if self.template is not None:
            shutil.copytree(self.template, self.profile, ignore=shutil.ignore_patterns(".lock"))
        self.log = open(self.home / "soffice.log", "wb")
        # Own session = own process group: Ctrl-C in the terminal does not reach it,
        # and killpg reaches oosplash, soffice.bin and anything they started.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env=_environment(self.home.parent))

    def finished(self):
        return self.process is not None and self.process.poll() is not None

    def kill(self):
        """Kill the whole process group and reap the leader (idempotent)."""
        if self.process is None:
            return
        # A group whose leader ended well is gone; its id may already belong to someone else.
        if self.process.poll() is None or self.process.returncode != 0:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def failure(self):
        """Why this process failed (None if it exited cleanly or never started)."""
        if self.process is None or self.process.returncode == 0:
            return None
        tail = (self.home / "soffice.log").read_text(errors="replace").strip().splitlines()[-3:]
        return f"LibreOffice dừng với mã {self.process.returncode}: {' / '.join(tail) or 'không có thông báo'}"


def _environment(scratch):
    """soffice's environment: its own temporary files go to the run's scratch folder, removed with it."""
    env = dict(os.environ, TMPDIR=str(scratch))
    env.pop("DISPLAY", None)
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")  # headless rendering, no X server probing
    return env


def _cache_folder(program):
    """Where the template profile is kept, one per LibreOffice installation."""
    real = Path(program).resolve()
    stamp = f"{real}:{real.stat().st_mtime_ns}".encode()
    return environment.current().cache / f"lo-profile-{zlib.crc32(stamp):08x}"


def _ensure_template(program, interruptions):
    """A clean profile to copy for every run, made once by LibreOffice itself.

    A new profile costs LibreOffice about 0.2 s on every start; a copy costs
    milliseconds. ``--terminate_after_init`` builds one and exits cleanly.
    """
    target = _cache_folder(program)
    if (target / "user").is_dir():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_scratch(target.parent, ".profile-")
        scratch = ScratchFolder(".profile-", target.parent)
        staging = Path(scratch.name)
    except OSError:  # no writable cache (read-only home): each run builds its own profile
        return None
    try:
        maker = _Process(program, [*QUIET, "--terminate_after_init"], staging / "home")
        _run_all([[maker]], STARTUP_SECONDS, [], None, interruptions)
        if not (maker.profile / "user").is_dir():
            raise VanthuError("LibreOffice không tạo được hồ sơ người dùng (user profile); hãy cài lại LibreOffice.")
        with contextlib.suppress(OSError):  # a parallel run may have won the race: use theirs
            os.rename(maker.profile, target)
    finally:
        scratch.cleanup()
    return target


def _run_all(workers, limit, expected, progress, interruptions):
    """Run the workers side by side, each worker's processes one after another, within
    ``limit`` seconds; always reap them all. ``workers``: lists of :class:`_Process`."""
    team = [_Worker(runs) for runs in workers]
    deadline = time.monotonic() + limit
    try:
        done = -1
        while True:
            for worker in team:
                worker.step(interruptions)
            done = _report(expected, done, progress)
            if all(worker.over for worker in team):
                break
            if time.monotonic() > deadline:
                raise VanthuError(f"LibreOffice không xong sau {limit:g} giây; đã dừng nó. "
                                  "Thử lại, hoặc chia nhỏ lô văn bản.")
            _pause([run for worker in team for run in worker.started])
        _report(expected, done, progress)
    finally:
        with interruptions.held():
            for worker in team:
                worker.kill()
    VanthuError.collect([f for worker in team for f in worker.failures()])


class _Worker:
    """One profile's soffice runs, strictly one after another (a profile serves one LibreOffice)."""

    def __init__(self, runs):
        self.waiting, self.started = list(runs), []

    def step(self, interruptions):
        """Start the next run once the previous one is over."""
        if self.waiting and (not self.started or self.started[-1].finished()):
            with interruptions.held():  # recorded before it starts: whatever happens, it gets killed
                self.started.append(self.waiting.pop(0))
                self.started[-1].start()

    @property
    def over(self):
        return not self.waiting and all(run.finished() for run in self.started)

    def kill(self):
        for run in self.started:
            run.kill()

    def failures(self):
        return [f for f in (run.failure() for run in self.started) if f]


def _report(expected, done, progress):
    """Tell ``progress`` how many PDFs exist, when that changed."""
    if progress is None:
        return done
    now = sum(1 for p in expected if p.exists())
    if now != done:
        progress(now)
    return now


def _pause(runs):
    """Sleep a moment, waking at once when a running process exits."""
    running = next((run for run in runs if not run.finished()), None)
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
