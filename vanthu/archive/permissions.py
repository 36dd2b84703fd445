"""Files only for their owner (quyền truy cập): the home 0700, its data 0600, stored files 0400.

Secret bodies live in the database and in stored files: no other local user
may read them. vanthu writes inside the home under a private umask, and
``vanthu verify`` reports anything looser, and any symlink that leads out.
"""
import os
import stat
from pathlib import Path

CHECKED = ("files", "index", "staging", "keys", "cache")  # folders of the archive's own data (templates/ is the clerk's)
DATA_FILES = ("vanthu.sqlite3", "vanthu.sqlite3-wal", "vanthu.sqlite3-shm", "log-head.json", "index.lock", "index.stale")
FIX = "sửa bằng: chmod -R go-rwx {root}"


def entries(root):
    """Every entry under ``root``, once: ``(path relative to root, full path, lstat)``; symlinks not followed.

    One ``scandir`` pass, shared by verify's looks at the tree (untracked files, modes, links).
    """
    found, folders = [], [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                info = entry.stat(follow_symlinks=False)
                found.append((prefix + entry.name, entry.path, info))
                if stat.S_ISDIR(info.st_mode):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
    return found


def problems(home, scanned=None):
    """Looser modes and outward symlinks in ``home``, in Vietnamese; ``scanned``: :func:`entries` of it."""
    root = os.path.realpath(home.root)
    scanned = entries(home.root) if scanned is None else scanned
    found = _loose("thư mục kho", os.lstat(home.root), 0o077)
    for relative, full, info in sorted(scanned):
        if stat.S_ISLNK(info.st_mode):
            continue
        top = relative.split("/", 1)[0]
        if top in CHECKED or relative in DATA_FILES:
            stored = top == "files" and stat.S_ISREG(info.st_mode)
            found += _loose(relative, info, 0o077 | (0o222 if stored else 0))
    if found:
        found.append(FIX.format(root=home.root))
    return found + _outward_links(scanned, root)


def _loose(label, info, forbidden):
    mode = info.st_mode
    if not mode & forbidden:
        return []
    return [f"{label}: quyền {stat.S_IMODE(mode):04o} rộng hơn mức cho phép {_wanted(label, mode)} "
            "(người khác đọc được, hoặc tệp lưu trữ ghi được)"]


def _wanted(label, mode):
    if stat.S_ISDIR(mode):
        return "0700"
    return "0400" if label.startswith("files/") else "0600"


def _outward_links(scanned, root):
    found = []
    for relative, full, info in scanned:
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(full)
            if os.path.commonpath([root, target]) != root:
                found.append(f"liên kết {relative} trỏ ra ngoài kho (tới {target})")
    return sorted(found)


def tighten(root):
    """Once, on upgrading a home made before this rule: owner-only modes throughout, stored files 0400."""
    root = Path(root)
    os.chmod(root, 0o700)
    for name in DATA_FILES + ("settings.yaml",):
        if (root / name).is_file():
            os.chmod(root / name, 0o600)
    for top in CHECKED:
        for folder, dirs, names in os.walk(root / top):
            os.chmod(folder, 0o700)
            for name in names:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o400 if top == "files" else 0o600)
