"""The house style of static figures: one rc style and one atomic PNG writer for every stage.

Stages draw on :class:`matplotlib.figure.Figure` objects (no pyplot, no global backend), inside
:func:`figure_style`, and write them with :func:`save_figure`, so every PNG looks alike.
:mod:`heatmap.outputs.maps` re-exports both.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib as mpl

from heatmap._io import atomic_path

__all__ = ["figure_style", "save_figure", "styled"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

_STYLE: dict[str, Any] = {
    "figure.figsize": (8.0, 6.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.cmap": "YlOrRd",
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the heatmap figure style (fonts, sizes, dpi) inside a ``with`` block.

    Other stages wrap their figures in it so every PNG looks alike.

    Yields
    ------
    None
    """
    with mpl.rc_context(_STYLE):  # type: ignore[arg-type]
        yield


def styled(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a plotting function so that it draws and saves inside :func:`figure_style`.

    Parameters
    ----------
    func
        A function that builds a :class:`matplotlib.figure.Figure` and saves it.

    Returns
    -------
    wrapped
        The same function, run inside the house style.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with figure_style():
            return func(*args, **kwargs)

    return wrapper


def save_figure(fig: Any, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Save a matplotlib figure as PNG atomically (Agg canvas; no pyplot state involved).

    Parameters
    ----------
    fig
        A :class:`matplotlib.figure.Figure`.
    path
        Target ``.png`` file.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.
    """
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        fig.savefig(tmp, format="png")
    return target
