"""Atomic file and folder writing shared by every stage that writes outputs, and inert text.

Nothing is half-written: files are written to a temporary sibling and renamed into place, and an
output folder is staged as a hidden sibling folder and renamed when complete. Existing user files
are never replaced unless ``overwrite`` is true, and a folder is only ever replaced when heatmap
wrote it: every staged folder carries a manifest (:data:`MANIFEST_NAME`) listing its files, and
``overwrite`` refuses a folder without one or holding anything else. :func:`neutralise_cell` makes
text safe to hand to a spreadsheet.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from heatmap._version import __version__
from heatmap.errors import InputError, OutputExistsError

__all__ = [
    "MANIFEST_NAME",
    "atomic_path",
    "check_output_dir",
    "check_writable",
    "neutralise_cell",
    "safe_dirname",
    "staged_dir",
]

logger = logging.getLogger(__name__)

MANIFEST_NAME = "heatmap-manifest.json"
"""File in every output folder heatmap writes, listing the files it wrote there."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: Any) -> Any:
    """Make a spreadsheet cell inert: text that a spreadsheet would run as a formula gets a ``'``.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with a single
    quote (OWASP, "CSV Injection"), so Excel, LibreOffice and Google Sheets show it as text.
    Numbers, and text that is just a signed number such as ``"-3.5"``, stay as they are.

    Parameters
    ----------
    value
        Any cell value.

    Returns
    -------
    value
        ``value`` itself, or the quoted text.

    Examples
    --------
    >>> print(neutralise_cell('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> neutralise_cell("@SUM(A1)"), neutralise_cell("Guildhall"), neutralise_cell(-3.5)
    ("'@SUM(A1)", 'Guildhall', -3.5)
    >>> neutralise_cell("-3.5"), neutralise_cell("-1+cmd|' /C calc'!A0")
    ('-3.5', "'-1+cmd|' /C calc'!A0")
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if value[0] in "+-" and _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_dirname(name: str, *, fallback: str = "heatmap-run") -> str:
    """Turn a scenario name into one folder name: no separators, no ``..``, never absolute.

    Parameters
    ----------
    name
        Free text, e.g. a scenario's ``name``.
    fallback
        Used when nothing usable is left.

    Returns
    -------
    name
        Letters, digits, ``.``, ``_``, ``-`` and spaces only, not starting with a dot or dash, at
        most 100 characters.

    Examples
    --------
    >>> safe_dirname("../../etc"), safe_dirname("/tmp/x"), safe_dirname("City of London")
    ('etc', 'tmp-x', 'City of London')
    >>> safe_dirname(".."), safe_dirname("a/../b")
    ('heatmap-run', 'a-..-b')
    """
    text = re.sub(r"[^\w. -]+", "-", name, flags=re.ASCII)
    text = text.strip().lstrip(".-").strip()[:100].rstrip(". ")
    return text or fallback


def _inside(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def _foreign_files(folder: Path) -> list[str]:
    """Files in ``folder`` its manifest does not list (all of them when there is no manifest)."""
    present = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name != MANIFEST_NAME
    )
    try:
        listed = set(json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return present or [MANIFEST_NAME]
    return [p for p in present if p not in listed]


def _check_replaceable(target: Path) -> None:
    """Raise unless ``target`` is a folder heatmap wrote and holds nothing else."""
    if not target.is_dir():
        msg = f"{target} is a file, not an output folder; choose another --out"
        raise OutputExistsError(msg)
    if not (target / MANIFEST_NAME).is_file():
        msg = (
            f"{target} was not written by heatmap (it has no {MANIFEST_NAME}); --overwrite only "
            "replaces heatmap's own output folders: choose another --out; nothing was deleted"
        )
        raise OutputExistsError(msg)
    foreign = _foreign_files(target)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        msg = (
            f"{target} holds {len(foreign)} file(s) heatmap did not write ({shown}); nothing was "
            "deleted: move them out or choose another --out"
        )
        raise OutputExistsError(msg)


def check_writable(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Raise OutputExistsError if ``path`` exists and may not be replaced.

    An existing file may be replaced when ``overwrite`` is true. An existing, non-empty folder
    only when ``overwrite`` is true and heatmap wrote it (its manifest lists every file in it).

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
    if not target.exists():
        return target
    if target.is_dir():
        if not any(target.iterdir()):
            return target
        if overwrite:
            _check_replaceable(target)
            return target
    elif overwrite:
        return target
    msg = f"{target} already exists; pass --overwrite to replace it"
    raise OutputExistsError(msg)


def check_output_dir(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Check, before any work, that a run can write its folder at ``path``.

    Parameters
    ----------
    path
        The output folder.
    overwrite
        Whether an existing heatmap folder may be replaced.

    Returns
    -------
    path
        The absolute output folder.

    Raises
    ------
    OutputExistsError
        As :func:`check_writable`.
    InputError
        If the folder is (or contains) the current folder, or its parent cannot be written.
    """
    target = Path(path).resolve()
    if _inside(target, Path.cwd()):
        msg = (
            f"--out {path}: that is the current folder or contains it, which a run cannot replace; "
            "choose a new sub-folder such as outputs/NAME"
        )
        raise InputError(msg)
    check_writable(target, overwrite=overwrite)
    probe = _mkdtemp(target, ".probe-")
    probe.rmdir()
    return target


def _mkdtemp(target: Path, kind: str) -> Path:
    """Create a hidden temporary folder beside ``target`` (an unwritable place: one-line error)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}{kind}", dir=target.parent))
    except OSError as exc:
        msg = f"{target}: cannot write there ({exc.strerror or exc}); choose a writable --out"
        raise InputError(msg) from exc


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix="".join(target.suffixes), dir=target.parent
        )
    except OSError as exc:
        msg = f"{target}: cannot write there ({exc.strerror or exc}); choose a writable --out"
        raise InputError(msg) from exc
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
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while staging, so clean-up runs (main thread, default only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous != signal.SIG_DFL:
        yield
        return

    def _raise(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def staged_dir(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a hidden staging folder; move it to ``path`` only if the block succeeds.

    Parameters
    ----------
    path
        Final output folder. If it exists and is not empty, ``overwrite`` must be true and the
        folder must be one heatmap wrote (see :func:`check_writable`); it is replaced only once
        the new folder is complete, and only the files its manifest lists are deleted.
    overwrite
        Replace an existing heatmap output folder.

    Yields
    ------
    staging
        Empty folder to write every output into. Removed if the block raises or the process gets
        SIGTERM, so a failed run leaves no partial output folder.

    Raises
    ------
    OutputExistsError
        If the target may not be replaced, checked at the start and again at the final rename
        (a concurrent run that finished first is never replaced silently).
    """
    target = Path(path).resolve()
    check_writable(target, overwrite=overwrite)
    with _sigterm_raises():
        staging = _mkdtemp(target, ".partial-")
        try:
            yield staging
            _write_manifest(staging)
            _move_into_place(staging, target, overwrite=overwrite)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _write_manifest(folder: Path) -> None:
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    manifest = {"written_by": "heatmap", "version": __version__, "files": files}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _move_into_place(staging: Path, target: Path, *, overwrite: bool) -> None:
    """Rename ``staging`` onto ``target``; replace a heatmap folder there only with ``overwrite``.

    ``rename`` refuses a non-empty folder atomically, so a folder written meanwhile by another run
    is detected here rather than replaced.
    """
    try:
        staging.rename(target)
        return
    except OSError as exc:
        if not target.exists():
            msg = f"{target}: cannot move the finished outputs into place ({exc.strerror or exc})"
            raise InputError(msg) from exc
    if not overwrite:
        msg = (
            f"{target} was written meanwhile (another run?); it was left as it is and this run's "
            "outputs were discarded: pass --overwrite or choose another --out"
        )
        raise OutputExistsError(msg)
    _check_replaceable(target)
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    _remove_listed(old)


def _remove_listed(folder: Path) -> None:
    """Delete the files ``folder``'s manifest lists, then empty folders; keep anything else."""
    listed = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    for name in [*listed, MANIFEST_NAME]:
        (folder / name).unlink(missing_ok=True)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()
    try:
        folder.rmdir()
    except OSError:
        logger.warning("%s: kept files heatmap did not write in the replaced folder", folder)
