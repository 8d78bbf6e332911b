"""The library of ready administrative processes, one folder each.

``PROCESSES`` lists what this package offers; ``CIVICRPA_PROCESS_MODULES`` (default: this
package) decides what an installation loads.
"""

from __future__ import annotations

from civicrpa.processes.childbirth_incentive.process import PROCESS as CHILDBIRTH_INCENTIVE
from civicrpa.processes.retention.process import PROCESS as RETENTION
from civicrpa.processes.sample.process import PROCESS as SAMPLE_DOCUMENT_CHECK

PROCESSES = [CHILDBIRTH_INCENTIVE, SAMPLE_DOCUMENT_CHECK, RETENTION]

__all__ = ["PROCESSES"]
