"""Atomic file and folder writing shared by every stage that writes outputs.

Nothing is half-written: files are written to a temporary sibling and renamed into place, and an
output folder is staged as a hidden sibling folder and renamed when complete. Existing user files
are never replaced unless ``overwrite`` is true.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from heatmap.errors import OutputExistsError

__all__ = ["atomic_path", "check_writable", "staged_dir"]


def check_writable(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Raise OutputExistsError if ``path`` exists and ``overwrite`` is false.

    Parameters
    ----------
    path
        Target file or folder.
    overwrite
        Whether an existing target may be replaced.

    Returns
    -------
    path
        ``path`` as a :class:`~pathlib.Path`.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        if target.is_dir() and not any(target.iterdir()):
            return target
        msg = f"{target} already exists; pass --overwrite (overwrite=True) to replace it"
        raise OutputExistsError(msg)
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds.

    Parameters
    ----------
    path
        Final file path. Its parent folder is created if missing.
    overwrite
        Replace an existing file at ``path``.

    Yields
    ------
    tmp_path
        Where to write. Keeps the suffix of ``path`` so that format drivers chosen by
        extension work. Removed if the block raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("hello")
    >>> (d / "a.txt").read_text()
    'hello'
    """
    target = check_writable(path, overwrite=overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix="".join(target.suffixes), dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # let writers create it; some drivers refuse an existing empty file
    try:
        yield tmp
        if tmp.is_dir():
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            tmp.rename(target)
        else:
            tmp.replace(target)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def staged_dir(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a hidden staging folder; move it to ``path`` only if the block succeeds.

    Parameters
    ----------
    path
        Final output folder. If it exists and is not empty, ``overwrite`` must be true, and it is
        replaced as a whole only once the new folder is complete.
    overwrite
        Replace an existing non-empty folder.

    Yields
    ------
    staging
        Empty folder to write every output into. Removed if the block raises, so a failed run
        leaves no partial output folder.
    """
    target = check_writable(path, overwrite=overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        backup.rmdir()
        target.rename(backup)
        staging.rename(target)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        staging.rename(target)
