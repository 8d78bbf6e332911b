"""Tables of the runtime itself: when each schedule last fired and is next due."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import String, Table
from sqlalchemy.orm import Mapped, mapped_column

from civicrpa.db.base import Base
from civicrpa.db.types import UTCDateTime


class ScheduleState(Base):
    """One row per schedule; firing is a compare-and-set on ``next_due_at``, so it happens once."""

    __tablename__ = "schedule_states"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: How many items the last firing added.
    last_added: Mapped[int | None] = mapped_column(nullable=True)


#: Core table, for the scheduler's compare-and-set statements.
schedule_states = cast(Table, ScheduleState.__table__)
