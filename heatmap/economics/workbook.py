"""The techno-economic model workbook (``tem.xlsx``) with live NPV / IRR formulas."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

import pandas as pd

from heatmap._io import atomic_path

if TYPE_CHECKING:
    from heatmap.economics._types import EconomicsResult

__all__ = ["CASHFLOW_COLUMNS", "write_tem_xlsx"]

# Cashflow sheet columns (letter, result column); net and social cashflow are live formulas.
CASHFLOW_COLUMNS = (
    ("A", "year"),
    ("B", "capex_gbp"),
    ("C", "replacement_gbp"),
    ("D", "residual_value_gbp"),
    ("E", "grant_gbp"),
    ("F", "connection_charges_gbp"),
    ("G", "revenue_fixed_gbp"),
    ("H", "revenue_variable_gbp"),
    ("I", "electricity_cost_gbp"),
    ("J", "pumping_cost_gbp"),
    ("K", "gas_cost_gbp"),
    ("L", "om_gbp"),
    ("M", "net_cashflow_gbp"),
    ("N", "social_benefit_gbp"),
    ("O", "social_cashflow_gbp"),
)


def _append_inert(ws: Any, values: list[Any]) -> None:
    """Append a row of data; text is stored as text, never as a formula.

    openpyxl writes any string starting with ``=`` as a formula, so a building named
    ``=HYPERLINK(...)`` in OpenStreetMap would become a live formula in the workbook; such cells
    are marked as strings instead. Only the workbook's own formulas are written elsewhere.
    """
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def _frame_sheet(wb: object, title: str, df: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)  # type: ignore[attr-defined]
    _append_inert(ws, [str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        _append_inert(
            ws,
            [
                None
                if (isinstance(v, float) and v != v)
                else (v.item() if hasattr(v, "item") else v)
                for v in row
            ],
        )


def write_tem_xlsx(
    result: EconomicsResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> None:
    """Write the TEM workbook: assumptions, CAPEX, live cashflow, carbon, grants, sensitivities.

    The Results sheet computes NPV as ``=M2+NPV(rate,M3:Mn)`` and IRR as ``=IRR(M2:Mn)`` from
    the Cashflow sheet (a shorter horizon uses its own net column, ending with the residual
    value at that horizon), where the net
    cashflow column is itself a formula of the cost and revenue columns and the discount rate
    lives in Assumptions!B2, so an auditor can change any input cell.
    Python's values sit beside each formula for comparison.

    Parameters
    ----------
    result
        Output of :func:`heatmap.economics.evaluate`.
    path
        ``.xlsx`` file to write (atomically).
    overwrite
        Replace an existing file.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Assumptions"
    ws.append(["parameter", "value", "meaning", "source"])
    p = result.params
    ws.append(
        [
            "discount_rate_pct",
            p.discount_rate_pct,
            "discount rate for NPV, % per year",
            "used by Results formulas",
        ]
    )
    for f in dataclasses.fields(p):
        if f.name == "discount_rate_pct":
            continue
        v = getattr(p, f.name)
        value = v if isinstance(v, int | float | str | bool) or v is None else str(v)
        _append_inert(ws, [f.name, value, f.metadata.get("doc", ""), f.metadata.get("source", "")])

    capex = result.capex_by_phase.copy()
    capex.columns = [f"phase_{c}_gbp" for c in capex.columns]
    _frame_sheet(wb, "CAPEX", capex.reset_index())

    cf = result.cashflow
    _cashflow_and_results(wb, result)
    carbon_cols = [
        "year",
        "heat_sold_mwh",
        "electricity_mwh",
        "gas_mwh",
        "grid_carbon_g_per_kwh",
        "network_co2e_t",
        "bau_co2e_t",
        "co2e_savings_t",
        "carbon_value_gbp_per_t",
    ]
    _frame_sheet(wb, "Carbon", cf[carbon_cols])
    _frame_sheet(wb, "GrantTests", result.grant_tests)
    _frame_sheet(wb, "Tariffs", result.tariffs)
    if not result.sensitivities.empty:
        _frame_sheet(wb, "Sensitivities", result.sensitivities)
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)


def _cashflow_and_results(wb: object, result: EconomicsResult) -> None:
    """Cashflow sheet with live net columns and the Results sheet computed from them.

    The Cashflow sheet's net column ends with the longest horizon's residual value; each shorter
    horizon gets its own net and social columns ending with its residual value instead, so the
    NPV and IRR formulas of every horizon match Python's.
    """
    cf = result.cashflow
    horizons = sorted(result.npv_gbp)
    longest = horizons[-1]
    shorter = [h for h in horizons if h != longest and h <= len(cf)]
    ws = wb.create_sheet("Cashflow")  # type: ignore[attr-defined]
    names = [name for _, name in CASHFLOW_COLUMNS]
    extra = {h: (_letter(len(names) + 2 * k + 1), _letter(len(names) + 2 * k + 2))
             for k, h in enumerate(shorter)}  # fmt: skip
    ws.append(
        names
        + [c for h in shorter for c in (f"net_cashflow_{h}y_gbp", f"social_cashflow_{h}y_gbp")]
    )
    for i, rec in enumerate(cf[names].to_numpy(dtype=float).tolist(), start=2):
        vals: list[object] = [int(rec[0]), *rec[1:]]
        vals[12] = f"=-B{i}-C{i}+D{i}+E{i}+F{i}+G{i}+H{i}-I{i}-J{i}-K{i}-L{i}"
        vals[14] = f"=M{i}+N{i}"
        for h in shorter:
            if i > h + 1:
                vals += [None, None]
                continue
            end = f"-D{i}+{result.residual_value_gbp[h]!r}" if i == h + 1 else ""
            vals += [f"=M{i}{end}", f"=O{i}{end}"]
        ws.append(vals)
    ws = wb.create_sheet("Results")  # type: ignore[attr-defined]
    ws.append(
        [
            "horizon_years",
            "npv_gbp",
            "irr",
            "social_npv_gbp",
            "social_irr",
            "python_npv_gbp",
            "python_irr_pct",
            "python_social_npv_gbp",
            "python_social_irr_pct",
            "payback_years",
            "net_income_gbp",
            "residual_value_gbp",
        ]
    )
    rate = "Assumptions!$B$2/100"
    for h in horizons:
        net, soc = extra.get(h, ("M", "O"))
        last = h + 1
        ws.append(
            [
                h,
                f"=Cashflow!{net}2+NPV({rate},Cashflow!{net}3:{net}{last})",
                f"=IRR(Cashflow!{net}2:{net}{last})",
                f"=Cashflow!{soc}2+NPV({rate},Cashflow!{soc}3:{soc}{last})",
                f"=IRR(Cashflow!{soc}2:{soc}{last})",
                result.npv_gbp[h],
                result.irr_pct[h],
                result.social_npv_gbp[h],
                result.social_irr_pct[h],
                result.payback_years[h],
                result.net_income_gbp[h],
                result.residual_value_gbp.get(h, 0.0),
            ]
        )


def _letter(n: int) -> str:
    """Spreadsheet column letter of the 1-based column ``n``."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
