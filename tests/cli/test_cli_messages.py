"""What the command line says: inputs checked before the progress bar, log lines clear of it,
no internal document references, plain CLI wording."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from _pipeline_helpers import assert_clean_error, invoke
from tqdm import tqdm

from heatmap.cli.main import _COMMANDS, ProgressSafeHandler

_INTERNAL = re.compile(r"DESIGN|§|\bissue \d|overwrite=True")


def test_missing_scenario_input_fails_before_the_progress_bar(tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        f'[area]\nbuildings_path = "{(tmp_path / "nope.gpkg").as_posix()}"\n'
        f'streets_path = "{(tmp_path / "nope_streets.gpkg").as_posix()}"\n'
    )
    result = invoke("run", str(scenario), "--out", str(tmp_path / "out"))  # bar not disabled
    line = assert_clean_error(result, mentions="buildings_path")
    assert "nope.gpkg" in line and "does not exist" in line
    assert "stage" not in result.stderr and "it/s" not in result.stderr  # no bar was drawn
    assert not (tmp_path / "out").exists()


def test_log_lines_are_written_above_a_running_bar() -> None:
    stream = io.StringIO()
    handler = ProgressSafeHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("heatmap.test_progress")
    log.addHandler(handler)
    log.propagate = False
    try:
        with tqdm(total=3, desc="heatmap", file=stream, ascii=True) as bar:
            bar.update(1)
            log.warning("81 loads beyond capacity")
            bar.update(1)
    finally:
        log.removeHandler(handler)
    lines = re.split(r"[\r\n]", stream.getvalue())
    warning = [x for x in lines if "81 loads beyond capacity" in x]
    assert warning == ["WARNING heatmap.test_progress: 81 loads beyond capacity"]


@pytest.mark.parametrize("name", sorted(_COMMANDS))
def test_help_has_no_internal_references(name: str) -> None:
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert not _INTERNAL.search(result.output), _INTERNAL.search(result.output)


def test_refusal_says_pass_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.txt").write_text("x")
    line = assert_clean_error(invoke("run", "--out", str(out), "--no-progress"))
    assert "pass --overwrite to replace it" in line
    assert not _INTERNAL.search(line)
