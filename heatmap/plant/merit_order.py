"""The hourly merit-order loop: heat pump, thermal store, electric and gas boilers.

The store makes the problem sequential, so this is a tight loop over Python floats (about
10 ms a year); the callers vectorise everything around it.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PlantLimits", "merit_order_loop"]


class PlantLimits(NamedTuple):
    """Capacities and store constants of one dispatch run (kW, kWh, per-hour keep factor)."""

    hp_cap: float
    hp_min: float
    store_max: float
    level0: float
    keep: float
    charge_max: float
    discharge_max: float
    eb_cap: float
    gb_cap: float


def merit_order_loop(
    load: list[float], hp_caps: list[float], dear: list[bool], limits: PlantLimits
) -> tuple[list[float], ...]:
    """Sequential merit-order dispatch on Python floats (the hot path)."""
    _, hp_min, store_max, level0, keep, charge_max, discharge_max, eb_cap, gb_cap = limits
    n = len(load)
    hp_o = [0.0] * n
    ch_o = [0.0] * n
    dis_o = [0.0] * n
    lvl_o = [0.0] * n
    sl_o = [0.0] * n
    eb_o = [0.0] * n
    gb_o = [0.0] * n
    un_o = [0.0] * n
    lvl = level0
    for t in range(n):
        kept = lvl * keep
        sl_o[t] = lvl - kept
        lvl = kept
        ld = load[t]
        cap = hp_caps[t]
        room = store_max - lvl
        chg_lim = room if room < charge_max else charge_max
        dis_lim = lvl if lvl < discharge_max else discharge_max
        hp = 0.0
        ch = 0.0
        dis = 0.0
        short = ld
        done = False
        if dear[t] and cap > 0.0:
            # dear hour: store first, heat pump only for the rest, no charging
            dis = ld if ld < dis_lim else dis_lim
            rest = ld - dis
            if rest <= 0.0:
                short = 0.0
                done = True
            elif rest >= hp_min:
                hp = rest if rest < cap else cap
                short = rest - hp
                done = True
            elif ld >= hp_min:
                hp = hp_min
                dis = ld - hp_min
                short = 0.0
                done = True
            else:
                dis = 0.0
        if not done and cap > 0.0:
            if ld >= hp_min:
                hp = ld if ld < cap else cap
                spare = cap - hp
                ch = spare if spare < chg_lim else chg_lim
                short = ld - hp
                hp += ch
            elif hp_min - ld <= chg_lim:
                # run at least at minimum load, the excess charges the store
                spare = cap - ld
                ch = spare if spare < chg_lim else chg_lim
                hp = ld + ch
                short = 0.0
        if short > 0.0 and dis == 0.0:
            dis = short if short < dis_lim else dis_lim
            short -= dis
        eb = 0.0
        gb = 0.0
        if short > 0.0:
            eb = short if short < eb_cap else eb_cap
            short -= eb
            if short > 0.0:
                gb = short if short < gb_cap else gb_cap
                short -= gb
        lvl = lvl + ch - dis
        if lvl < 0.0:  # rounding guard only
            lvl = 0.0
        elif lvl > store_max:
            lvl = store_max
        hp_o[t] = hp
        ch_o[t] = ch
        dis_o[t] = dis
        lvl_o[t] = lvl
        eb_o[t] = eb
        gb_o[t] = gb
        un_o[t] = short if short > 0.0 else 0.0
    return hp_o, ch_o, dis_o, lvl_o, sl_o, eb_o, gb_o, un_o
