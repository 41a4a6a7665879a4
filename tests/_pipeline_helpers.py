"""Shared by test_pipeline.py and test_cli.py: one default ``heatmap run`` per test session.

The run is cached at module level (not only in a fixture) so that both test modules, which each
declare a session-scoped fixture around :func:`full_run_dir`, share one run of ~15 s.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from heatmap.cli.main import cli

_CACHE: dict[str, Path] = {}


def invoke(*args: str) -> Result:
    """Run ``heatmap ARGS...`` in-process, stderr captured separately."""
    return CliRunner().invoke(cli, list(args))


def describe(result: Result) -> str:
    """Output and, for an unexpected exception, its traceback (for failure messages)."""
    text = result.output
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        text += "".join(traceback.format_exception(*result.exc_info))
    return text


def full_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of ``heatmap run`` with no arguments (bundled City of London, offline)."""
    if "default" not in _CACHE:
        out = tmp_path_factory.mktemp("full_run") / "helsinki"
        result = invoke("run", "--out", str(out), "--no-progress")
        if result.exit_code != 0:
            pytest.fail(f"heatmap run failed ({result.exit_code}):\n{describe(result)}")
        _CACHE["default"] = out
    return _CACHE["default"]


def assert_clean_error(result: Result, *, mentions: str = "") -> str:
    """Exit 2, exactly one ``Error:`` line, no traceback; return that line."""
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert "Traceback" not in result.output
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, err
    assert mentions.lower() in errors[0].lower(), errors[0]
    return errors[0]
