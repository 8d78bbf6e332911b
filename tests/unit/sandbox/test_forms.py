"""Reading a posted form and recording its errors: one way for every sandbox system."""

from __future__ import annotations

import ast
import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.requests import Request

import civicrpa.sandbox
from civicrpa.sandbox.common.files import posted_file, posted_files
from civicrpa.sandbox.common.forms import Form, add_messages, form_of, known_codes, message, posted
from civicrpa.sandbox.server import available_systems

SANDBOX = Path(civicrpa.sandbox.__file__).parent


def test_a_submission_is_read_as_its_text_fields_the_last_value_of_a_name_winning() -> None:
    upload = UploadFile(io.BytesIO(b"%PDF-1.4"), filename="a.pdf", headers=Headers())
    data = FormData(
        [("name", "김민원"), ("file", upload), ("note", "첫째"), ("note", "둘째"), ("empty", "")]
    )
    form = form_of(data)
    assert form.raw == {"name": "김민원", "note": "둘째", "empty": ""}  # the file is read apart
    assert form.errors == {}


def _file(name: str) -> UploadFile:
    return UploadFile(io.BytesIO(b"PK\x03\x04"), filename=name, headers=Headers())


def test_the_files_of_a_submission_are_read_by_name() -> None:
    first, second = _file("공고문.hwpx"), _file("붙임.pdf")
    data = FormData(
        [
            ("attachments", first),
            ("attachments", _file("")),  # an empty file input still sends an unnamed part
            ("attachments", second),
            ("title", "공고"),
        ]
    )
    assert posted_files(data, "attachments") == [first, second]
    assert posted_file(data, "attachments") is second
    assert posted_file(data, "title") is None  # a text field is not a file
    assert posted_file(data, "bankbook") is None
    assert posted_files(FormData([("attachments", _file(""))]), "attachments") == []


def test_a_browser_post_is_read_the_same_way() -> None:
    body = b"name=%EA%B9%80%EB%AF%BC%EC%9B%90&csrf_token=t&amount=1%2C000"
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        chunk = {"type": "http.request", "body": b"" if sent else body, "more_body": False}
        sent = True
        return chunk

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
    }
    # In a thread of its own: a browser test in this process may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        form = pool.submit(asyncio.run, posted(Request(scope, receive))).result()
    assert form.raw == {"name": "김민원", "csrf_token": "t", "amount": "1,000"}
    assert form.integer("amount", "금액(원)") == 1000


def test_the_first_error_of_a_field_is_the_one_kept() -> None:
    form = Form({"staff_no": ""})
    assert form.text("staff_no", "직원번호") == ""
    form.fail("staff_no", "pattern", label="직원번호")  # later: the field has its error
    form.fail("reason", "too_long", label="사유", max=100)
    assert form.errors == {
        "staff_no": "직원번호을(를) 입력하십시오.",
        "reason": "사유은(는) 100자 이내로 입력하십시오.",
    }
    assert not form.ok


def test_a_system_adds_its_own_wording_under_its_name() -> None:
    add_messages("tax_office", {"arrears": "체납액이 {amount}원 있습니다."})
    add_messages("tax_office", {"arrears": "체납액이 {amount}원 있습니다."})  # imported twice
    assert message("tax_office.arrears", amount="12,000") == "체납액이 12,000원 있습니다."
    form = Form({})
    form.fail("payer", "tax_office.arrears", amount="12,000")
    assert form.errors == {"payer": "체납액이 12,000원 있습니다."}
    with pytest.raises(ValueError, match=r"tax_office\.arrears"):
        add_messages("tax_office", {"arrears": "다른 문장"})
    with pytest.raises(KeyError):
        message("tax_office.refund")


def _codes_used() -> list[tuple[str, str, frozenset[str]]]:
    """(file, code, keyword parameters) of every ``.fail(field, "code", ...)`` and
    ``message("code", ...)`` call in the sandbox written with a literal code."""
    found: list[tuple[str, str, frozenset[str]]] = []
    for path in sorted(SANDBOX.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "fail" and len(node.args) >= 2:
                code = node.args[1]
            elif isinstance(func, ast.Name) and func.id == "message" and node.args:
                code = node.args[0]
            else:
                continue
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                params = frozenset(k.arg for k in node.keywords if k.arg is not None)
                found.append((path.name, code.value, params))
    return found


def test_every_message_code_the_systems_use_exists_with_the_parameters_given() -> None:
    available_systems()  # every system imported: each has added its wording
    used = _codes_used()
    assert len(used) > 40  # the scan sees the systems' checks
    for file, code, params in used:
        assert code in known_codes(), (file, code)
        message(code, **dict.fromkeys(params, "x"))  # KeyError if a placeholder is not given
