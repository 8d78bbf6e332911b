"""The municipal systems robots drive, seen from the robot's side.

One module per system: its :class:`~civicrpa.runtime.system.System` (``SYSTEM``: the id used in
``CIVICRPA_SYSTEM_URLS``, the robots' stored log-ins and a process's ``systems``, its Korean
title and its log-in adapter), the typed records a robot reads there and the actions it takes::

    from civicrpa.systems import finance, intake, resident_registry

    registry = resident_registry.ResidentRegistry.on(ctx.browser)
    record = registry.look_up(name=app.name, rrn=app.rrn, reason="출산장려금 요건 확인")
    paid = finance.Finance.on(ctx.browser).pay_once(order, ensure_lease=ctx.ensure_lease)

A city's real systems keep these ids; their titles are what officials call them
(``system.title.<id>`` in the catalogue). Each module is imported on its own (importing this
package imports none of them, so a command that names no system loads no browser).
"""

from __future__ import annotations

from civicrpa.runtime.system import System

__all__ = ["System"]
