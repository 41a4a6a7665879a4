"""Text from the data (building names from OpenStreetMap) is inert in ``tem.xlsx``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_economics import _toy

from heatmap.economics import evaluate, write_tem_xlsx

PAYLOADS = ['=HYPERLINK("http://x","click")', "=cmd|' /C calc'!A0", "=1+1"]


def test_names_that_look_like_formulas_are_text_and_own_formulas_stay_live(
    tmp_path: Path,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    inputs = _toy()
    conns = inputs.connections.copy()
    conns["name"] = PAYLOADS
    res = evaluate(dataclasses.replace(inputs, connections=conns), sensitivities=False)
    path = tmp_path / "tem.xlsx"
    write_tem_xlsx(res, path)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    found = {c.value: c.data_type for c in cells if c.value in PAYLOADS}
    assert set(found) == set(PAYLOADS)
    assert set(found.values()) == {"s"}
    # the workbook's own NPV, IRR and net-cashflow formulas are still formulas
    assert wb["Results"]["B2"].data_type == "f"
    assert wb["Results"]["C2"].data_type == "f"
    assert wb["Cashflow"]["M2"].data_type == "f"
