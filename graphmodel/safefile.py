"""Write output files without destroying what is at the path.

What ``--out`` names decides how it is written:

* a new path, or a regular file of ours: the bytes go to a temporary file
  beside it, which is then renamed over it, so a failed write leaves the old
  file (or nothing) and never half a file. A new file gets the user's umask
  (0644 under umask 022); a replaced file keeps its mode.
* a symbolic link: written through, to the file it points to (resolved); a
  dangling link makes its target.
* a FIFO or a character device (``/dev/stdout``, ``/dev/null``, a terminal):
  opened and written as a stream; nothing is created or renamed.
* a regular file owned by another user: truncated and rewritten in place,
  keeping its owner; a regular file reached by a file descriptor link
  (``/dev/stdout`` redirected to a file): appended to, as a stream.
* a folder, a socket or a block device: refused with one line.

Every operating-system error becomes a [`UserError`][graphmodel.errors.UserError]
naming the path: ``<path>: <reason>``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import UserError
from graphmodel.terminal import visible

__all__ = ["Target", "target", "write_files", "place", "os_error", "umask", "new_dir_mode",
           "output_folder"]


def umask() -> int:
    """The process's umask (read without changing it for longer than a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_dir_mode() -> int:
    """The mode a folder made now gets: 0777 less the umask."""
    return 0o777 & ~umask()


def os_error(path: str | os.PathLike, exc: OSError, doing: str = "") -> UserError:
    """An `OSError` on ``path`` as one line ``<path>: [doing: ]<reason>``."""
    reason = exc.strerror or str(exc)
    where = visible(os.fspath(path)) if os.fspath(path) else "''"
    return UserError(f"{where}: {doing + ': ' if doing else ''}{reason}")


def output_folder(out: str | os.PathLike, what: str, prefix: str = "") -> tuple[Path, bool]:
    """The folder ``out`` names for ``what`` (a symbolic link resolved), and whether it exists.

    A dangling link names the folder to make. An empty path, or a path that is
    there but is not a folder, is a [`UserError`][graphmodel.errors.UserError]:
    ``<prefix><path>: is a file; give a folder for <what>``.
    """
    if os.fspath(out) == "":
        raise UserError(f"{prefix}'': an empty path; give a folder for {what}")
    path = Path(out)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            real = Path(os.path.realpath(path))
            try:
                st = os.stat(path)
            except FileNotFoundError:  # a dangling link: make the folder it names
                return real, False
            path = real
    except (FileNotFoundError, NotADirectoryError):  # a file among the parents: said on writing
        return path, False
    except OSError as exc:
        raise os_error(out, exc) from None
    if not stat.S_ISDIR(st.st_mode):
        kind = "a file" if stat.S_ISREG(st.st_mode) else "not a folder"
        raise UserError(f"{prefix}{visible(os.fspath(out))}: is {kind}; give a folder for {what}")
    return path, True


@dataclass(frozen=True)
class Target:
    """Where the bytes for a path go, and how (see the module's notes).

    ``kind`` is ``new``, ``file`` (atomic replace), ``inplace`` (truncate and
    rewrite), ``stream`` (a FIFO or device: open and write) or ``append`` (a
    regular file reached through a file descriptor link such as ``/dev/stdout``:
    written after what the descriptor's owner wrote, as a shell's ``>`` expects).
    """

    path: Path
    kind: str
    mode: int | None = None

    @property
    def regular(self) -> bool:
        """True when the target is (or will be) a regular file a sidecar can sit beside."""
        return self.kind in ("new", "file", "inplace")


_FD_DIR = re.compile(r"/proc/[^/]+/fd")


def _via_fd_link(path: Path) -> bool:
    """Whether following the links of ``path`` passes a file descriptor link
    (``/dev/stdout`` -> ``/proc/self/fd/1``): what it names is an open file, not a name."""
    p = os.path.abspath(path)
    for _ in range(40):
        if not os.path.islink(p):
            return False
        if _FD_DIR.fullmatch(os.path.realpath(os.path.dirname(p))):
            return True
        p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
    return False


def target(path: str | os.PathLike) -> Target:
    """What writing ``path`` means; a [`UserError`][graphmodel.errors.UserError] when it must not be written."""
    if os.fspath(path) == "":
        raise UserError("'': an empty path; give a file name")
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return Target(p, "new")
    except OSError as exc:
        raise os_error(p, exc) from None
    real = p
    magic = False
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(p)
        except FileNotFoundError:  # a dangling link: make the file it names
            return Target(Path(os.path.realpath(p)), "new")
        except OSError as exc:
            raise os_error(p, exc) from None
        real = Path(os.path.realpath(p))
        try:
            same = os.stat(real)
            magic = (same.st_dev, same.st_ino) != (st.st_dev, st.st_ino) or _via_fd_link(p)
        except OSError:
            magic = True  # /proc/self/fd/N of a pipe, or of a deleted file
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise UserError(f"{visible(p)}: is a folder; give a file name")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Target(p, "stream")
    if stat.S_ISREG(mode):
        if magic:
            return Target(p, "append")
        if st.st_uid != os.geteuid():
            return Target(real, "inplace")
        return Target(real, "file", stat.S_IMODE(mode))
    raise UserError(
        f"{visible(p)}: is not a regular file, FIFO or terminal; refusing to write over it"
    )


class _Pending:
    """One file being written: prepared (temporary file written), then committed."""

    def __init__(self, shown: Path, where: Target, data: bytes):
        self.shown, self.where, self.data = shown, where, data
        self.tmp: Path | None = None

    def prepare(self) -> None:
        t = self.where
        if t.kind not in ("new", "file"):
            return
        if t.kind == "new":
            t.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = t.path.parent / f".{t.path.name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        self.tmp = tmp
        with os.fdopen(fd, "wb") as f:
            f.write(self.data)
        if t.mode is not None:
            os.chmod(tmp, t.mode)

    def commit(self) -> None:
        t = self.where
        if self.tmp is not None:
            os.replace(self.tmp, t.path)
            self.tmp = None
            return
        extra = {"inplace": os.O_TRUNC, "append": os.O_APPEND}.get(t.kind, 0)
        fd = os.open(t.path, os.O_WRONLY | os.O_CLOEXEC | extra)
        with os.fdopen(fd, "wb") as f:
            f.write(self.data)

    def discard(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


def write_files(items: Sequence[tuple[str | os.PathLike, bytes | Target]]) -> None:
    """Write each ``(path, data)`` by the rules above, all or nothing for the files.

    Every temporary file is written before any is renamed into place, so an
    error while writing (a full disk, a folder that cannot be written) leaves
    every path as it was. ``path`` may be given as a `Target` already
    looked up with `target`.
    """
    pending = []
    try:
        for path, data in items:
            where = path if isinstance(path, Target) else target(path)
            shown = where.path if isinstance(path, Target) else Path(path)
            pending.append(_Pending(shown, where, data))
        for p in pending:
            try:
                p.prepare()
            except OSError as exc:
                raise os_error(p.shown, exc, "cannot write") from None
        for p in pending:
            try:
                p.commit()
            except OSError as exc:
                raise os_error(p.shown, exc, "cannot write") from None
    finally:
        for p in pending:
            p.discard()


def place(done: str | os.PathLike, where: Target) -> None:
    """Put the finished file ``done`` (written by another writer, such as Spark) at ``where``
    by the rules above: renamed over a new path or a regular file of ours (``done`` must be
    in the same folder; the file keeps its mode, a new one has the umask's), or copied as
    a stream into a FIFO, a device, another user's file or a file descriptor link, in
    which case ``done`` is left for the caller to remove."""
    try:
        if where.kind in ("new", "file"):
            if where.mode is not None:
                os.chmod(done, where.mode)
            os.replace(done, where.path)
            return
        extra = {"inplace": os.O_TRUNC, "append": os.O_APPEND}.get(where.kind, 0)
        fd = os.open(where.path, os.O_WRONLY | os.O_CLOEXEC | extra)
        with os.fdopen(fd, "wb") as f, open(done, "rb") as src:
            shutil.copyfileobj(src, f, 1 << 20)
    except OSError as exc:
        raise os_error(where.path, exc, "cannot write") from None
