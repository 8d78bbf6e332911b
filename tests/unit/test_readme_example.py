"""The README's example process imports only what a process author is given, and loads."""

from __future__ import annotations

import ast
import sys

from civicrpa.runtime.process import Process
from tests.support.readme import example_module, example_source

ALLOWED = ("civicrpa.runtime", "civicrpa.systems", "pydantic")


def test_the_example_imports_only_the_runtime_and_the_systems() -> None:
    tree = ast.parse(example_source())
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert imported
    for name in imported:
        top = name.split(".")[0]
        assert name.startswith(ALLOWED) or top in sys.stdlib_module_names, name


def test_the_example_is_a_process_with_its_systems_and_texts() -> None:
    module = example_module()
    (process,) = module.PROCESSES
    assert isinstance(process, Process)
    assert [system.id for system in process.systems] == ["intake", "resident_registry"]
    assert process.messages is not None
    assert process.messages.text("step.look_up") == "주민등록 확인"
    application = process.payload.model_validate(
        {"application_no": "A-1", "applicant_name": "김민지", "applicant_rrn": "900101-2345678"}
    )
    assert "2345678" not in repr(application)


def test_the_sample_imports_only_the_runtime_and_its_own_package() -> None:
    from pathlib import Path

    import civicrpa.processes.sample as sample

    folder = Path(sample.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("civicrpa")
            ):
                assert node.module.startswith(
                    ("civicrpa.runtime", "civicrpa.systems", "civicrpa.processes.sample")
                ), f"{path.name}: {node.module}"
