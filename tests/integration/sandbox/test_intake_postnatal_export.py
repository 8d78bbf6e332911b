"""The intake's 산후조리 fields, its malformed seed applications and its .xlsx export over HTTP.

The browser tests (tests/e2e/sandbox/test_intake_export.py) drive the same screens in Chromium;
these pin the rules cheaply: the portal's checks of the new fields, the seed's new draws and
anomalies, and the export's columns, values, guard and download log.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from openpyxl import load_workbook

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.banks import BANK_CHOICES, BANKS, account_number
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.intake.documents import tiny_pdf, tiny_png
from civicrpa.sandbox.intake.export import EXPORT_HEADER
from civicrpa.sandbox.intake.seed import (
    MALFORMED,
    MALFORMED_EVERY,
    generate_applications,
)
from civicrpa.sandbox.intake.validation import PHONE_PATTERN, RRN_PATTERN, read_application
from civicrpa.sandbox.intake.workflow import CareGroup
from civicrpa.sandbox.resident_registry.seed import generate_population
from civicrpa.sandbox.server import RunningSystem, Sandbox, free_port

TOKEN = "intake-export-token"
_DAY = date(2025, 6, 30)
_POSTNATAL = {
    "kind": "postnatal_care",
    "applicant_name": "김하늘",
    "applicant_rrn": "9201012918273",
    "phone": "01012345678",
    "address": "전라남도 광양시 중마로 1",
    "child_name": "김별",
    "child_birth_date": "2025-06-01",
    "bank": "020",
    "account_no": "1002-123-456789",
    "account_holder": "김하늘",
    "care_group": "basic",
    "centre_in_city": "yes",
    "care_days": "14",
}


# -- the portal's checks of the new fields -----------------------------------------------------


def test_the_postnatal_fields_are_read() -> None:
    form = Form({**_POSTNATAL, "multiple_birth": "yes"})
    data = read_application(form, _DAY)
    assert form.errors == {}
    assert data is not None
    assert (data.care_group, data.centre_in_city, data.care_days) == (CareGroup.BASIC, True, 14)
    assert data.multiple_birth is True


def test_no_centre_in_the_city_may_mean_no_days() -> None:
    form = Form({**_POSTNATAL, "centre_in_city": "no", "care_days": "0"})
    data = read_application(form, _DAY)
    assert data is not None
    assert (data.centre_in_city, data.care_days, data.multiple_birth) == (False, 0, False)


def test_the_incentive_ignores_the_postnatal_fields() -> None:
    form = Form(
        {**_POSTNATAL, "kind": "childbirth_incentive", "care_group": "rich", "care_days": "99"}
    )
    data = read_application(form, _DAY)
    assert form.errors == {}
    assert data is not None
    assert (data.care_group, data.centre_in_city, data.care_days) == (None, None, None)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"care_group": ""}, {"care_group": "산후조리 지원 구분을(를) 목록에서 고르십시오."}),
        ({"care_group": "rich"}, {"care_group": "산후조리 지원 구분을(를) 목록에서 고르십시오."}),
        (
            {"centre_in_city": "maybe"},
            {"centre_in_city": "관내 산후조리원 이용을(를) 목록에서 고르십시오."},
        ),
        ({"care_days": ""}, {"care_days": "산후조리원 이용 일수을(를) 입력하십시오."}),
        ({"care_days": "열흘"}, {"care_days": "산후조리원 이용 일수은(는) 숫자로 입력하십시오."}),
        ({"care_days": "2.5"}, {"care_days": "산후조리원 이용 일수은(는) 숫자로 입력하십시오."}),
        (
            {"care_days": "31"},
            {"care_days": "산후조리원 이용 일수은(는) 0에서 30 사이여야 합니다."},
        ),
        (
            {"care_days": "-1"},
            {"care_days": "산후조리원 이용 일수은(는) 0에서 30 사이여야 합니다."},
        ),
        (
            {"care_days": "0"},
            {
                "care_days": "관내 산후조리원을 이용했다면 산후조리원 이용 일수은(는) 1일 이상이어야 합니다."
            },
        ),
        ({"multiple_birth": "on"}, {"multiple_birth": "다태아의 형식이 올바르지 않습니다."}),
    ],
)
def test_bad_postnatal_fields_are_named(changes: dict[str, str], errors: dict[str, str]) -> None:
    form = Form({**_POSTNATAL, **changes})
    assert read_application(form, _DAY) is None
    assert form.errors == errors


# -- the seed: new fields and malformed applications --------------------------------------------


def _received(size: int) -> list[dict[str, Any]]:
    return [a for a in generate_applications(size).applications if a["status"] == "received"]


@pytest.mark.parametrize("size", [2000, 10_000])
def test_malformed_applications_occur_from_size_2000(size: int) -> None:
    received = _received(size)
    malformed = [a for a in received if a["seed_anomaly"] in MALFORMED]
    counts = Counter(a["seed_anomaly"] for a in malformed)
    assert set(counts) == set(MALFORMED)
    assert len(malformed) == max(len(MALFORMED), len(received) // MALFORMED_EVERY)
    assert max(counts.values()) - min(counts.values()) <= 1  # the kinds in turn
    everything = generate_applications(size).applications
    assert all(a["status"] == "received" for a in everything if a["seed_anomaly"] in MALFORMED)


def test_no_malformed_applications_in_a_small_city() -> None:
    apps = generate_applications(1000).applications
    assert not [a for a in apps if a["seed_anomaly"] in MALFORMED]


def _digits(value: str) -> str:
    return value.replace("-", "")


def test_each_malformed_value_is_what_the_portal_would_refuse() -> None:
    size = 10_000
    people = {p["id"]: p for p in generate_population(size).residents}
    generated = generate_applications(size)
    first_rows: dict[int, dict[str, object]] = {}
    for event in generated.history:
        first_rows.setdefault(event["application_id"], event)
    shapes: Counter[object] = Counter()
    for app in generated.applications:
        anomaly = app["seed_anomaly"]
        if anomaly not in MALFORMED:
            continue
        parent = people[app["registry_applicant_id"]]
        assert app["channel"] == "visit"
        receipt = first_rows[app["id"]]
        assert (receipt["username"], receipt["memo"]) == (
            "clerk01",
            "방문 신청 접수(서면 신청서 입력)",
        )
        rrn_ok = re.fullmatch(RRN_PATTERN, app["applicant_rrn"]) is not None
        phone_ok = re.fullmatch(PHONE_PATTERN, app["phone"]) is not None
        account = Form({"account_no": app["account_no"]})
        account_ok = account_number(account, app["bank"], "account_no", "계좌번호") != ""
        assert (rrn_ok, phone_ok, account_ok) == (
            anomaly != "malformed_rrn",
            anomaly != "malformed_phone",
            anomaly != "malformed_account",
        ), app["application_no"]
        # only the one field is off: the rest still agrees with the registry
        assert (app["applicant_name"], app["address"]) == (parent["name"], parent["address"])
        assert (app["applicant_rrn"] == parent["rrn"]) == (anomaly != "malformed_rrn")
        if anomaly == "malformed_rrn":
            rrn = app["applicant_rrn"]
            assert rrn[:7] == parent["rrn"][:7]  # birth date and sex digit as written
            shapes[len(_digits(rrn)) if _digits(rrn).isdigit() else "letter"] += 1
        if anomaly == "malformed_account":
            assert len(_digits(app["account_no"])) not in BANKS[app["bank"]].lengths
    assert set(shapes) == {12, 14, "letter"}


def test_the_new_fields_are_drawn_as_documented() -> None:
    apps = generate_applications(10_000).applications
    postnatal = [a for a in apps if a["kind"] == "postnatal_care"]
    incentive = [a for a in apps if a["kind"] == "childbirth_incentive"]
    assert len(postnatal) > 150
    for app in incentive:
        assert (app["care_group"], app["centre_in_city"], app["care_days"]) == (None, None, None)
    groups = Counter(a["care_group"] for a in postnatal)
    share = {group: n / len(postnatal) for group, n in groups.items()}
    assert set(share) == {g.value for g in CareGroup}
    assert 0.04 < share["basic"] < 0.18
    assert 0.08 < share["near_poor"] < 0.24
    assert 0.6 < share["general"] < 0.88
    in_city = [a for a in postnatal if a["centre_in_city"]]
    assert 0.7 < len(in_city) / len(postnatal) < 0.9
    assert all(5 <= a["care_days"] <= 16 for a in in_city)
    assert all(a["care_days"] in (0, *range(5, 17)) for a in postnatal)
    multiple = [a for a in apps if a["multiple_birth"]]
    assert 0.005 < len(multiple) / len(apps) < 0.04
    by_child: dict[int, set[bool]] = {}
    for app in apps:
        by_child.setdefault(app["registry_child_id"], set()).add(app["multiple_birth"])
    assert all(len(flags) == 1 for flags in by_child.values())  # both applications agree
    assert {a["channel"] for a in apps} == {"online", "visit"}


def test_the_seed_is_deterministic() -> None:
    assert generate_applications.__wrapped__(2000) == generate_applications(2000)


# -- the export over HTTP ----------------------------------------------------------------------


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[RunningSystem]:
    config = SystemConfig(data_dir=tmp_path, truth_token=TOKEN)
    sandbox = Sandbox(config, ["intake"], ports={"intake": free_port()}, seed_size=400).start()
    yield sandbox.systems["intake"]
    sandbox.stop()


def _truth(system: RunningSystem, path: str) -> Any:
    response = httpx.get(f"{system.url}/__sandbox/truth{path}", headers={"X-Sandbox-Token": TOKEN})
    response.raise_for_status()
    return response.json()


def _csrf(client: httpx.Client, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


@contextmanager
def _logged_in(system: RunningSystem) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.url, follow_redirects=True) as client:
        client.post(
            "/login",
            data={
                "csrf_token": _csrf(client, "/login"),
                "username": "reviewer01",
                "password": SANDBOX_PASSWORD,
            },
        )
        yield client


def _export(client: httpx.Client, **fields: str) -> httpx.Response:
    return client.post("/inbox/export", data={"csrf_token": _csrf(client, "/inbox"), **fields})


def _sheet(response: httpx.Response) -> tuple[list[Any], list[list[Any]], Any]:
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["신청 목록"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, rows, sheet


def test_the_export_has_every_matching_row_in_its_columns(intake: RunningSystem) -> None:
    with _logged_in(intake) as client:
        response = _export(client, reason="benefit_review")
    assert response.status_code == 200
    today = CITY_DAY
    assert response.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''" + quote(f"신청목록_{today:%Y%m%d}.xlsx")
    )
    header, rows, _ = _sheet(response)
    assert tuple(header) == EXPORT_HEADER
    truth = {a["application_no"]: a for a in _truth(intake, "/applications")}
    assert len(rows) == len(truth)  # no paging
    received = [truth[row[0]]["received_at"] for row in rows]
    assert received == sorted(received)  # oldest first
    column = {name: i for i, name in enumerate(header)}
    statuses = {"received": "접수", "reviewing": "검토중", "supplement_requested": "보완요청"}
    statuses |= {"approved": "승인", "rejected": "반려", "paid": "지급완료"}
    groups = {"basic": "기초생활수급자·중증장애인", "near_poor": "차상위·경증장애인"}
    groups["general"] = "일반"
    for row in rows:
        app = truth[row[0]]
        value = {name: row[i] for name, i in column.items()}
        postnatal = app["kind"] == "postnatal_care"
        assert value["신청 종류"] == ("산후조리비용" if postnatal else "출산장려금")
        assert value["상태"] == statuses[app["status"]]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", value["접수일시"])
        assert value["신청인 주민등록번호"] == app["applicant_rrn"]  # whole, as stored
        assert (value["연락처"], value["주소"]) == (app["phone"], app["address"])
        assert isinstance(value["아기 생년월일"], datetime)  # an Excel date cell
        assert value["아기 생년월일"].date().isoformat() == app["child_birth_date"]
        assert value["다태아"] == ("예" if app["multiple_birth"] else "아니오")
        assert value["은행"] == BANK_CHOICES[app["bank"]]
        assert (value["계좌번호"], value["예금주"]) == (app["account_no"], app["account_holder"])
        for label, kind in (("출생증명서", "birth_certificate"), ("통장 사본", "bankbook")):
            assert value[label] == ("제출" if kind in app["documents"] else "미제출")
        if postnatal:
            assert value["산후조리 지원 구분"] == groups[app["care_group"]]
            assert value["관내 산후조리원 이용"] == ("예" if app["centre_in_city"] else "아니오")
            assert value["산후조리원 이용 일수"] == app["care_days"]
            assert isinstance(value["산후조리원 이용 일수"], int)
        else:
            assert value["산후조리 지원 구분"] is None
            assert value["관내 산후조리원 이용"] is None
            assert value["산후조리원 이용 일수"] is None
    missing = [a for a in truth.values() if a["seed_anomaly"] == "missing_birth_certificate"]
    assert missing
    by_number = {row[0]: row for row in rows}
    assert by_number[missing[0]["application_no"]][column["출생증명서"]] == "미제출"
    log = _truth(intake, "/downloads")
    assert [(d["username"], d["reason"], d["row_count"]) for d in log] == [
        ("reviewer01", "benefit_review", len(rows))
    ]
    assert (log[0]["filter_status"], log[0]["filter_kind"]) == ("", "")


def test_the_export_follows_the_filters(intake: RunningSystem) -> None:
    with _logged_in(intake) as client:
        response = _export(client, reason="audit", status="received", kind="postnatal_care")
        unknown = _export(client, reason="statistics", status="lost", kind="")
    wanted = _truth(intake, "/applications?status=received&kind=postnatal_care")
    _, rows, _ = _sheet(response)
    assert [row[0] for row in rows] == [a["application_no"] for a in wanted]
    assert {(row[1], row[2]) for row in rows} <= {("산후조리비용", "접수")}
    _, everything, _ = _sheet(unknown)  # an unknown filter value is ignored, as on the inbox
    assert len(everything) == _truth(intake, "/counts")["total"]
    log = _truth(intake, "/downloads")
    assert [(d["reason"], d["filter_status"], d["filter_kind"], d["row_count"]) for d in log] == [
        ("audit", "received", "postnatal_care", len(wanted)),
        ("statistics", "", "", len(everything)),
    ]


@pytest.mark.parametrize("reason", ["", "curiosity"])
def test_no_reason_no_file(intake: RunningSystem, reason: str) -> None:
    with _logged_in(intake) as client:
        response = _export(client, reason=reason, status="received")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers
    assert "내려받기 사유를 목록에서 고르십시오." in response.text
    assert 'name="status" value="received"' in response.text  # the filters stay
    assert _truth(intake, "/downloads") == []


def test_the_export_needs_a_log_in_and_a_csrf_token(intake: RunningSystem) -> None:
    with httpx.Client(base_url=intake.url) as anonymous:
        answer = anonymous.post(
            "/inbox/export",
            data={"csrf_token": _csrf(anonymous, "/apply"), "reason": "audit"},
        )
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")
    with _logged_in(intake) as client:
        assert client.post("/inbox/export", data={"reason": "audit"}).status_code == 403
        back = client.get("/inbox/export")  # where a log-in's ``next`` may lead
        assert (back.status_code, back.url.path) == (200, "/inbox")
    assert _truth(intake, "/downloads") == []


def test_text_that_looks_like_a_formula_stays_text(intake: RunningSystem) -> None:
    address = '=HYPERLINK("http://example.invalid","광양시")'
    with httpx.Client(base_url=intake.url, follow_redirects=True) as citizen:
        data = {
            **_POSTNATAL,
            "child_birth_date": CITY_DAY.isoformat(),
            "address": address,
            "csrf_token": _csrf(citizen, "/apply"),
        }
        files = {
            "birth_certificate": ("출생증명서.pdf", tiny_pdf("x"), "application/pdf"),
            "bankbook": ("통장.png", tiny_png(), "image/png"),
        }
        assert "신청이 접수되었습니다" in citizen.post("/apply", data=data, files=files).text
    with _logged_in(intake) as client:
        response = _export(client, reason="audit", status="received", kind="postnatal_care")
    header, rows, sheet = _sheet(response)
    column = header.index("주소")
    found = [i for i, row in enumerate(rows) if row[column] == "'" + address]
    assert len(found) == 1
    cell = sheet.cell(row=found[0] + 2, column=column + 1)
    assert cell.data_type == "s"  # a string, never a formula
    assert not any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)
