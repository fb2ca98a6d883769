"""The player's files, handled the way a database handles its own.

* **Reading** opens a path without blocking and reads it only if it is a regular file: a named
  pipe, a device or a folder is refused at once instead of hanging or reading forever.
* **Writing** replaces a file atomically: the new content goes to a temporary file beside the
  target, is flushed and synced, takes the old file's mode (and owner, where allowed), and is
  renamed over the target; then the folder is synced, so the rename itself survives a crash.
  A symbolic link is followed on purpose: its target is replaced and the link stays. Anything
  at the path that is not a regular file is refused, never replaced.
* **Locking** gives one writer a path at a time: a second one is refused with a message (never
  kept waiting), and the lock dies with its process, so a crash never leaves a path locked.
* **Temporary files** are named ``.NAME.<random>.tmp``; a writer that holds the lock removes any
  left behind by a writer that was killed mid-write.

Every failure is an :class:`OSError` (its ``strerror`` says what is wrong, for people), which
each caller turns into its own error type.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TOKEN = 6  # random bytes in a temporary file's name (twice as many hex digits)


class Refused(OSError):
    """A path that is not what it must be (a regular file), or that another writer holds."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(errno.EINVAL, reason, str(path))


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: str | Path, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of a regular file (one more than allowed tells the caller it is too large)."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(path, f"it is {kind_of(mode)}, not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def resolve(path: str | Path) -> Path:
    """The file a write to ``path`` lands in: symbolic links followed to their target."""
    return Path(os.path.realpath(path))


def check_writable(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (a device, a pipe, a folder)."""
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there (a folder of the path that is not one is for the writer to name)
    if not stat.S_ISREG(mode):
        raise Refused(target, f"it is {kind_of(mode)}; only a regular file can be replaced")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and the folders above it that are missing, and return those it made (the
    outermost first); a part of the path that stands where a folder should be and is not one (a
    file, a pipe) is named, not 'File exists'."""
    missing = [part for part in (folder, *folder.parents) if not os.path.lexists(part)]
    for part in (folder, *folder.parents):
        try:
            mode = os.stat(part).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue  # missing, or below something that is no folder: look further up
        except OSError:
            break  # not ours to judge here: mkdir says what is wrong
        if not stat.S_ISDIR(mode):
            what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
            raise Refused(part, f"{part} is {what}, not a folder")
        break
    folder.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def remove_folders(made: list[Path]) -> None:
    """Take back the folders :func:`make_folders` made, innermost first, where they are still empty."""
    for part in reversed(made):
        try:
            part.rmdir()
        except OSError:
            return


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Replace the file at ``path`` (or its symbolic link's target) with ``data``, atomically."""
    target = resolve(path)
    check_writable(target)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    folder = target.parent
    temp = folder / f".{target.name}.{secrets.token_hex(_TOKEN)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            if old is not None:
                _keep_owner_and_mode(fd, temp, old)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sync_folder(folder)
    return target


def _keep_owner_and_mode(fd: int, temp: Path, old: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            pass  # only the owner's group may be given by a non-root writer; the mode still is
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))
    else:  # pragma: no cover - Windows
        os.chmod(temp, stat.S_IMODE(old.st_mode))


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to sync a folder; the rename is as durable as they allow
    finally:
        os.close(fd)


def stale_temporaries(target: Path) -> list[Path]:
    """Temporary files that writers of ``target`` left behind."""
    prefix, found = f".{target.name}.", []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    for entry in entries:
        if _is_temporary(entry.name, prefix) and entry.is_file(follow_symlinks=False):
            found.append(Path(entry.path))
    return found


def _is_temporary(name: str, prefix: str) -> bool:
    """Whether ``name`` is exactly what :func:`write_atomic` names its temporary files (a file the
    player made, such as ``.game.json.draft.tmp``, is not)."""
    token = name[len(prefix) : -len(".tmp")] if name.startswith(prefix) and name.endswith(".tmp") else ""
    return len(token) == 2 * _TOKEN and all(c in "0123456789abcdef" for c in token)


class Lock:
    """One writer's exclusive hold on a target path, through a lock file beside it.

    The lock is an advisory ``flock`` on ``.NAME.lock``: the kernel drops it when its process
    ends, however it ends. Removing the lock file on release is safe because a writer checks,
    once it holds the lock, that the file it locked is still the one at the path.
    """

    def __init__(self, target: Path):
        self.target = target
        self.path = target.parent / f".{target.name}.lock"
        self.fd: int | None = None

    def acquire(self) -> None:
        for _ in range(10):
            fd = self._open()
            if not _try_lock(fd):
                holder = _read_holder(fd)
                os.close(fd)
                who = f"process {holder}" if holder else "another process"
                raise Refused(self.target, f"another game ({who}) is saving to it; choose another file")
            if self._is_ours(fd):
                self.fd = fd
                try:  # who holds the path, for the message another writer gets
                    os.ftruncate(fd, 0)
                    os.write(fd, str(os.getpid()).encode())
                except OSError:
                    pass
                return
            os.close(fd)  # the holder removed the file as we opened it: lock the new one
        raise Refused(self.target, "its lock file keeps changing; is another game saving to it?")

    def _open(self) -> int:
        """The lock file, opened without following a link or waiting on a pipe; anything at its
        path that is not a regular file is refused (and left as it is)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o666)
        except OSError:
            if os.path.islink(self.path):
                raise Refused(self.path, f"its lock file {self.path.name} is a symbolic link; remove it") from None
            if os.path.isdir(self.path):
                raise Refused(self.path, f"its lock file {self.path.name} is a folder; remove it") from None
            raise
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise Refused(self.path, f"its lock file {self.path.name} is {kind_of(mode)}; remove it")
        return fd

    def _is_ours(self, fd: int) -> bool:
        """Whether the file at the lock's path is still the one ``fd`` has open."""
        try:
            found = os.lstat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            if self._is_ours(self.fd):  # never remove what someone put at the path since
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # pragma: no cover - Windows

    try:  # pragma: no cover - Windows
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # pragma: no cover - Windows
        return False
    return True  # pragma: no cover - Windows


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip() if hasattr(os, "pread") else ""
    except OSError:
        return ""
    return text if text.isdigit() else ""
