"""Tests for the SteinLib reader (hand-made fixtures, malformed files, the shared B/C sets)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import shared_path

from heatmap.errors import InputError
from heatmap.routing.steinlib import read_stp

DATA = Path(__file__).resolve().parents[1] / "data"


def test_read_star() -> None:
    inst = read_stp(DATA / "steiner_star.stp")
    assert inst.name == "star"
    assert inst.graph.number_of_nodes() == 4
    assert inst.graph.number_of_edges() == 5
    assert inst.terminals == (1, 2, 3)
    assert not inst.prize_collecting
    assert inst.graph[1][4][0]["weight"] == 1.0


def test_read_prize_collecting() -> None:
    inst = read_stp(DATA / "steiner_pc.stp")
    assert inst.prize_collecting
    assert inst.prizes == {1: 3.0, 2: 1.0, 3: 4.0}


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("steiner_bad_weight.stp", 12, "expected a number"),
        ("steiner_bad_count.stp", None, "declared"),
        ("steiner_bad_truncated.stp", None, "EOF"),
        ("steiner_bad_node.stp", 13, "outside 1..4"),
        ("steiner_bad_magic.stp", 1, "not a SteinLib file"),
    ],
)
def test_malformed_files_name_the_line(name: str, line: int | None, words: str) -> None:
    with pytest.raises(InputError, match=words) as info:
        read_stp(DATA / name)
    assert name in str(info.value)
    if line is not None:
        assert f"line {line}:" in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_stp(DATA / "steiner_does_not_exist.stp")


@pytest.mark.shared_data
def test_reads_all_shared_instances_with_declared_sizes() -> None:
    root = shared_path("benchmarks", "steinlib")
    rows = list(csv.DictReader((root / "optima.csv").open()))
    for r in rows:
        inst = read_stp(root / r["set"] / f"{r['instance']}.stp")
        assert inst.graph.number_of_nodes() == int(r["nodes"])
        assert inst.graph.number_of_edges() == int(r["edges"])
        assert len(inst.terminals) == int(r["terminals"])
