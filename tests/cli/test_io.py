"""Tests of atomic writing: nothing half-written, nothing overwritten without consent."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatmap._io import MANIFEST_NAME, atomic_path, staged_dir
from heatmap.errors import OutputExistsError


def test_atomic_path_writes_and_refuses_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.csv"
    with atomic_path(target) as tmp:
        assert tmp.suffix == ".csv"
        tmp.write_text("1")
    assert target.read_text() == "1"
    with pytest.raises(OutputExistsError, match="--overwrite"), atomic_path(target):
        pass
    with atomic_path(target, overwrite=True) as tmp:
        tmp.write_text("2")
    assert target.read_text() == "2"


def test_atomic_path_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("partial")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_staged_dir_is_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), staged_dir(out) as stage:
        (stage / "a.txt").write_text("x")
        raise RuntimeError
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    with staged_dir(out) as stage:
        (stage / "a.txt").write_text("x")
    assert (out / "a.txt").read_text() == "x"
    with pytest.raises(OutputExistsError), staged_dir(out):
        pass
    with staged_dir(out, overwrite=True) as stage:
        (stage / "b.txt").write_text("y")
    assert sorted(p.name for p in out.iterdir()) == ["b.txt", MANIFEST_NAME]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_empty_existing_dir_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with staged_dir(out) as stage:
        (stage / "a.txt").write_text("x")
    assert (out / "a.txt").exists()
