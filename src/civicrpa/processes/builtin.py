"""The runtime's own processes, loaded whatever ``CIVICRPA_PROCESS_MODULES`` names.

The nightly destruction of expired personal data (파기, 개인정보 보호법 제21조) must not stop
because an installation lists only its own process modules; ``CIVICRPA_BUILTIN_PROCESSES=false``
turns it off explicitly (an installation whose destruction runs elsewhere).
"""

from __future__ import annotations

from civicrpa.processes.retention.process import PROCESS as RETENTION

PROCESSES = [RETENTION]

__all__ = ["PROCESSES"]
