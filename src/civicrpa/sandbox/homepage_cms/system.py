"""The homepage CMS as a sandbox system."""

from __future__ import annotations

from pathlib import Path

from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.homepage_cms import admin, public, truth
from civicrpa.sandbox.homepage_cms.models import metadata
from civicrpa.sandbox.homepage_cms.seed import seed_notices

users_table(metadata)

SPEC = SystemSpec(
    name="homepage_cms",
    title_ko="시청 홈페이지 관리자",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(admin.router, public.router),
    truth=truth.router,
    home="/admin/notices",
    seed=seed_notices,
)
