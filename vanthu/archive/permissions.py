"""Files only for their owner (quyền truy cập): the home 0700, its data 0600, stored files 0400.

Secret bodies live in the database and in stored files: no other local user
may read them. vanthu writes inside the home under a private umask, and
``vanthu verify`` reports anything looser, and any symlink that leads out.
"""
import os
import stat
from pathlib import Path

CHECKED = ("files", "index", "staging", "keys")  # folders of the archive's own data (templates/ is the clerk's)
DATA_FILES = ("vanthu.sqlite3", "vanthu.sqlite3-wal", "vanthu.sqlite3-shm", "log-head.json", "index.lock", "index.stale")
FIX = "sửa bằng: chmod -R go-rwx {root}"


def problems(home):
    """Looser modes and outward symlinks in ``home``, in Vietnamese."""
    root = os.path.realpath(home.root)
    found = _loose(home.root, "thư mục kho", 0o077)
    for name in DATA_FILES:
        found += _loose(home.root / name, name, 0o077)
    for top in CHECKED:
        found += _tree(home, home.root / top)
    found += _outward_links(home.root, root)
    if any("quyền" in p for p in found):
        found.append(FIX.format(root=home.root))
    return found


def _loose(path, label, forbidden):
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return []
    if stat.S_ISLNK(mode) or not mode & forbidden:
        return []
    return [f"{label}: quyền {stat.S_IMODE(mode):04o} rộng hơn mức cho phép {_wanted(path, mode)} "
            "(người khác đọc được, hoặc tệp lưu trữ ghi được)"]


def _wanted(path, mode):
    if stat.S_ISDIR(mode):
        return "0700"
    return "0400" if "files" in path.parts else "0600"


def _tree(home, top):
    found = []
    for folder, dirs, names in os.walk(top):
        for name in dirs + names:
            path = os.path.join(folder, name)
            label = os.path.relpath(path, home.root)
            forbidden = 0o077 | (0o222 if _stored(home, path) else 0)
            found += _loose(Path(path), label, forbidden)
    return found


def _stored(home, path):
    """A stored file (not a folder) under files/: nobody may write it."""
    return path.startswith(str(home.files) + os.sep) and os.path.isfile(path) and not os.path.islink(path)


def _outward_links(top, root):
    found = []
    for folder, dirs, names in os.walk(top):
        for name in dirs + names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if os.path.commonpath([root, target]) != root:
                    found.append(f"liên kết {os.path.relpath(path, top)} trỏ ra ngoài kho (tới {target})")
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
