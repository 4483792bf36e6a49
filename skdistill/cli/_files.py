"""Files the command line writes: checked first, then written atomically.

Every file a command writes (a model file, predictions, a plot) goes
through :func:`atomic_write`: the content is written to a temporary file in
the destination's folder, flushed to disk, and only then renamed onto the
destination with :func:`os.replace`, which is atomic. A failure on the way
(a full disk, a file-size limit, an interrupt, an error of the writer)
removes the temporary file and leaves an existing destination as it was,
byte for byte: a reader sees the old file or the new one, never half of one.

:func:`check_destination` runs before any work: a destination that exists
needs ``--force``, and an input of the command (its data or model file) is
never a destination, even with ``--force``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from ._errors import EXIT_USAGE, CLIError


def _same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same existing file (links and ``..`` included)."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (or cannot be examined)
        return False


def check_destination(
    path: str,
    *,
    force: bool = False,
    option: str = "--out",
    inputs: Mapping[str, str] | None = None,
) -> Path:
    """Raise an error unless a command may write the file ``path``.

    Parameters
    ----------
    path : str
        Where the command is to write.
    force : bool, default=False
        Whether an existing file may be replaced.
    option : str, default="--out"
        The option that gave ``path``, for messages.
    inputs : mapping of str to str, default=None
        The command's input files, by the name of their argument (such as
        ``{"DATA": "data.csv"}``): ``path`` may not be one of them, even
        with ``force``. ``-`` (standard input) is not a file.

    Returns
    -------
    path : Path

    Raises
    ------
    CLIError
        ``path`` is a directory, an input, or exists without ``force``
        (usage errors), or its folder does not exist.
    """
    target = Path(path)
    if target.is_dir():
        raise CLIError(f"{path} is a directory; give a file name", EXIT_USAGE)
    for role, source in (inputs or {}).items():
        if source != "-" and _same_file(target, source):
            raise CLIError(
                f"{option}: {path} is the same file as {role} {source}; write to "
                "another file (--force never overwrites an input)",
                EXIT_USAGE,
            )
    if target.exists() and not force:
        raise CLIError(f"{path} exists; pass --force to overwrite it", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CLIError(f"no such directory: {target.parent}")
    return target


def _open(fd: int, mode: str, **kwargs: Any) -> IO[Any]:
    """``os.fdopen``: the one place where :func:`atomic_write` opens its file."""
    return os.fdopen(fd, mode, **kwargs)


def _new_file_mode(destination: Path) -> int:
    """The permissions of the written file: the replaced file's, or the usual.

    A new file gets ``0o666`` less the umask, as :func:`open` would give it
    (:func:`tempfile.mkstemp` creates ``0o600``).
    """
    try:
        return stat.S_IMODE(destination.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file that replaces ``path`` once the block succeeds.

    The file is created next to ``path`` (same folder, so same file system),
    and on a normal exit of the ``with`` block it is flushed, synced to disk
    and renamed onto ``path`` with :func:`os.replace`. If the block raises,
    the temporary file is removed and ``path`` is left untouched. A symbolic
    link at ``path`` is followed: the file it points to is replaced.

    Parameters
    ----------
    path : str or path-like
        The destination; checked beforehand with :func:`check_destination`.
    mode : {"wb", "w"}, default="wb"
        Binary or text.
    encoding : str, default=None
        Encoding of a text file (``"utf-8"`` if ``None``).
    newline : str, default=None
        ``newline`` of a text file, as for :func:`open`.

    Yields
    ------
    file : file object
        The temporary file, open for writing.

    Raises
    ------
    CLIError
        Writing failed with an :class:`OSError` (such as a full disk); the
        message names ``path`` and the reason.
    """
    destination = Path(os.path.realpath(path))
    text = "b" not in mode
    kwargs = {"encoding": encoding or "utf-8", "newline": newline} if text else {}
    try:
        fd, temporary = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        try:
            os.chmod(temporary, _new_file_mode(destination))
            file = _open(fd, mode, **kwargs)
        except BaseException:
            os.close(fd)
            with suppress(OSError):
                os.unlink(temporary)
            raise
        try:
            with file:
                yield file
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, destination)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None
