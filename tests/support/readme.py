"""The README's process example, loaded as a module (so a test keeps the README true)."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def example_source() -> str:
    """The first Python block of the README's "Writing a process" section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Writing a process") :]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "the README has no example process"
    return found.group(1)


def example_module() -> types.ModuleType:
    """The example executed as the module ``readme_example``."""
    module = types.ModuleType("readme_example")
    sys.modules[module.__name__] = module  # pydantic resolves the models' names through it
    exec(compile(example_source(), str(README), "exec"), module.__dict__)  # noqa: S102 - our README
    return module


__all__ = ["example_module", "example_source"]
