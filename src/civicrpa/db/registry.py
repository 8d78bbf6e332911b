"""Every table civicrpa owns, in one metadata, for Alembic and for tests.

Each package keeps its tables in its own ``models.py``; importing them here registers them on
:data:`civicrpa.db.base.Base.metadata` (the one place where ``db`` looks upward).
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import MetaData

from civicrpa.db.base import Base
from civicrpa.queue import models as _queue_models
from civicrpa.runtime import models as _runtime_models
from civicrpa.security import models as _security_models

MODEL_MODULES: tuple[ModuleType, ...] = (_queue_models, _runtime_models, _security_models)


def metadata() -> MetaData:
    """The metadata holding every table of the runtime."""
    return Base.metadata
