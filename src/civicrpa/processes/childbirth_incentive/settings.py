"""The childbirth process's settings (``CIVICRPA_CHILDBIRTH_*``), read once before the first item.

Every unverified (U) value of ``shared/domain/childbirth-incentive.md`` is a setting with its
documented default; the amount tables come built in and a city may replace them with a file,
which is read and checked here, so a mistake in it stops the robots before the first application
with the place named.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PrivateAttr

from civicrpa.processes.childbirth_incentive.policy import Policy, load_tables
from civicrpa.processes.childbirth_incentive.tables import DEFAULT_TABLES
from civicrpa.runtime.settings import ProcessSettings


class ChildbirthSettings(ProcessSettings):
    """The city's choices for 출산장려금 and 산후조리비용."""

    #: Months the applicant must have been registered in the city before the birth
    #: (U: not found in any public text; confirm with the city).
    min_residence_months: int = Field(default=6, ge=0, le=120)
    #: Stop the remaining instalments once the family moves out of the city (U).
    stop_instalments_on_move_out: bool = True
    #: JSON or TOML file replacing the built-in dated amount tables.
    tables_file: Path | None = None
    #: The department named on the beneficiary list it receives (작성 부서; U: the city's own).
    department: str = Field(default="출산장려금 담당 부서", min_length=1, max_length=60)

    _policy: Policy = PrivateAttr()

    def model_post_init(self, context: object, /) -> None:
        tables = DEFAULT_TABLES if self.tables_file is None else load_tables(self.tables_file)
        self._policy = Policy(
            min_residence_months=self.min_residence_months,
            stop_instalments_on_move_out=self.stop_instalments_on_move_out,
            tables=tables,
        )

    @property
    def policy(self) -> Policy:
        """The rule values, tables loaded (once, when the settings were read)."""
        return self._policy


__all__ = ["ChildbirthSettings"]
