"""The ``heatmap`` command group: logging options, version, lazy subcommands, error handling.

Subcommands live one per module in :mod:`heatmap.cli` and are imported only when invoked, so
``heatmap --help`` stays fast. Any :class:`~heatmap.errors.HeatmapError` becomes a one-line
message on stderr and exit code 2; ``-v`` adds the traceback.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading
import traceback
from typing import Any, TextIO

import click

from heatmap._version import __version__
from heatmap.errors import HeatmapError

# command name -> "module:function" under heatmap.cli
_COMMANDS: dict[str, str] = {
    "run": "run:run",
    "candidates": "candidates:candidates",
    "region": "region:region",
    "demand-report": "demand_report:demand_report",
    "init": "init:init",
    "demand": "stages:demand",
    "density": "stages:density",
    "cluster": "stages:cluster",
    "screen-clusters": "screen_clusters:screen_clusters",
    "route": "stages:route",
    "size": "stages:size",
    "cost": "stages:cost",
    "dispatch": "stages:dispatch",
    "econ": "stages:econ",
    "nearby": "nearby:nearby",
    "steiner": "steiner:steiner",
    "export": "export:export",
}


class CommandError(click.ClickException):
    """A user-facing failure: one line on stderr, exit code 2."""

    exit_code = 2


class ProgressSafeHandler(logging.StreamHandler[TextIO]):
    """Write log records above a running tqdm progress bar instead of through it."""

    def emit(self, record: logging.LogRecord) -> None:
        """Format the record and write it with ``tqdm.write`` (the bar is redrawn below)."""
        try:
            from tqdm import tqdm

            tqdm.write(self.format(record), file=self.stream)
        except Exception:  # logging must never raise
            self.handleError(record)


def configure_logging(verbosity: int) -> None:
    """Send heatmap's log records and Python warnings to stderr, clear of the progress bar.

    Parameters
    ----------
    verbosity
        0 shows warnings, 1 info, 2 debug; negative values show only errors.
    """
    level = max(logging.DEBUG, logging.WARNING - 10 * verbosity)
    handler = ProgressSafeHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("heatmap", "py.warnings"):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
        logger.addHandler(handler)
        logger.setLevel(level)
    logging.captureWarnings(True)


class LazyGroup(click.Group):
    """A click group that imports each subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002
        """Return every command name, sorted, without importing any of them."""
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: ARG002
        """Import the module of ``cmd_name`` and return its command (None if unknown)."""
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, func_name = target.split(":")
        module = importlib.import_module(f"heatmap.cli.{module_name}")
        command = getattr(module, func_name)
        if not isinstance(command, click.Command):  # pragma: no cover - programming error
            msg = f"heatmap.cli.{module_name}.{func_name} is not a click command"
            raise TypeError(msg)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a HeatmapError becomes one line on stderr and exit code 2."""
        try:
            return super().invoke(ctx)
        except HeatmapError as exc:
            verbosity = (ctx.obj or {}).get("verbosity", 0)
            if verbosity > 0:
                traceback.print_exc(file=sys.stderr)
            raise CommandError(str(exc)) from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", count=True, help="Less log output.")
@click.version_option(__version__, prog_name="heatmap")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int) -> None:
    """Plan district heat networks from building footprints, demand data and street maps.

    \b
    Quick start (offline, bundled example):
      $ heatmap run
    Your own area from an OpenStreetMap extract:
      $ heatmap run --osm area.osm.pbf --out outputs/area
    """
    verbosity = verbose - quiet
    _exit_cleanly_on_sigterm()
    ctx.ensure_object(dict)
    ctx.obj["verbosity"] = verbosity
    configure_logging(verbosity)


def _exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM (what ``timeout`` and CI send) unwind like an error, so staging is removed."""

    def _raise(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise)


def main() -> None:
    """Entry point of the ``heatmap`` console script."""
    cli(prog_name="heatmap")


if __name__ == "__main__":
    main()
