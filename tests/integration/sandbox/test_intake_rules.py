"""The intake system's rules, its seed against the registry, and its server over plain HTTP.

The browser tests (tests/e2e/sandbox/test_intake.py) show the screens; these pin the pieces a
browser cannot reach cheaply: the resident-number rule's worked examples, the transition table,
the seed's agreement with the registry, and 접수번호 under concurrent submissions.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from civicrpa.core.clock import to_kst
from civicrpa.sandbox.common.banks import BANKS, account_number
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.finance.seed import generate_accounts
from civicrpa.sandbox.intake.documents import tiny_pdf, tiny_png
from civicrpa.sandbox.intake.seed import ANOMALY_EVERY, generate_applications, target_count
from civicrpa.sandbox.intake.validation import read_application, read_status_change, rrn_birth_date
from civicrpa.sandbox.intake.workflow import (
    TRANSITIONS,
    Status,
    can_move,
    mask_rrn,
    path_to,
)
from civicrpa.sandbox.resident_registry.seed import TODAY, generate_population
from civicrpa.sandbox.server import RunningSystem, Sandbox, free_port

TOKEN = "intake-rules-token"


# -- resident numbers (shared domain note, worked examples 1-7) ------------------------------


@pytest.mark.parametrize(
    ("rrn", "born"),
    [
        ("900101-1234568", date(1990, 1, 1)),  # 1: check digit right
        ("900101-1234567", date(1990, 1, 1)),  # 2: check digit wrong: accepted all the same
        ("751224-2123453", date(1975, 12, 24)),  # 3
        ("0307084123406", date(2003, 7, 8)),  # 4, without the hyphen
        ("201215-3918274", date(2020, 12, 15)),  # 5: after the 2020-10-05 reform, no check
        ("990230-1234567", None),  # 6: no 30 February
        ("900101-9234567", None),  # sex digit 9: born in the 1800s, nobody applies
        ("900101-0234567", None),
    ],
)
def test_resident_number_birth_dates(rrn: str, born: date | None) -> None:
    assert rrn_birth_date(rrn) == born


def test_masking_keeps_birth_date_and_sex_digit_only() -> None:
    assert mask_rrn("900101-1234568") == "900101-1******"  # worked example 8
    assert mask_rrn("9001011234568") == "900101-1******"


# -- the citizen's form ------------------------------------------------------------------------

_DAY = date(2025, 6, 30)
_VALID = {
    "kind": "postnatal_care",
    "applicant_name": "김하늘",
    "applicant_rrn": "9201012918273",
    "phone": "01012345678",
    "address": "전라남도 광양시 중마로 1",
    "child_name": "김별",
    "child_birth_date": "2025-06-01",
    "bank": "020",  # 우리은행
    "account_no": "1002-123-456789",
    "account_holder": "김하늘",
    # a 산후조리비용 application must say which support group and how the care went
    "care_group": "general",
    "centre_in_city": "yes",
    "care_days": "12",
}


def test_a_valid_form_is_normalised() -> None:
    form = Form(dict(_VALID))
    data = read_application(form, _DAY)
    assert form.errors == {}
    assert data is not None
    assert (data.applicant_rrn, data.phone) == ("920101-2918273", "010-1234-5678")
    assert data.child_birth_date == date(2025, 6, 1)
    assert (data.bank, data.account_no) == ("020", "1002-123-456789")  # as typed, for the office
    assert "920101" not in repr(data)  # personal numbers stay out of logs


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "child_birth_date",
            "2025-13-01",
            "아기 생년월일은(는) 2025-03-31 형식의 날짜로 입력하십시오.",
        ),
        ("child_birth_date", "2025-07-01", "아기 생년월일은(는) 오늘 이후일 수 없습니다."),
        (
            "child_birth_date",
            "2024-06-29",
            "아기 생년월일은(는) 신청일 기준 365일 이내여야 합니다.",
        ),
        ("applicant_rrn", "920101-2a18273", "신청인 주민등록번호의 형식이 올바르지 않습니다."),
        (
            "applicant_rrn",
            "300101-3918273",
            "신청인 주민등록번호의 생년월일 또는 성별 자리가 올바르지 않습니다.",
        ),
        ("account_no", "1002-123-45678", "우리은행 계좌번호는 13자리여야 합니다."),
        ("kind", "meal_allowance", "신청 종류을(를) 목록에서 고르십시오."),
        ("address", "광양", "주소은(는) 5자 이상 입력하십시오."),
        ("account_holder", "김\x00하늘", "예금주에 사용할 수 없는 문자가 있습니다."),
    ],
)
def test_bad_fields_are_named(field: str, value: str, message: str) -> None:
    form = Form({**_VALID, field: value})
    assert read_application(form, _DAY) is None
    assert form.errors == {field: message}


def test_the_last_day_of_the_window_is_accepted() -> None:
    edge = (_DAY - timedelta(days=365)).isoformat()
    assert read_application(Form({**_VALID, "child_birth_date": edge}), _DAY) is not None


# -- statuses ----------------------------------------------------------------------------------


def test_final_statuses_have_no_way_out_and_every_status_is_reachable() -> None:
    assert TRANSITIONS[Status.PAID] == TRANSITIONS[Status.REJECTED] == frozenset()
    reached, frontier = {Status.RECEIVED}, [Status.RECEIVED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()] - reached:
            reached.add(target)
            frontier.append(target)
    assert reached == set(Status)


@pytest.mark.parametrize("target", list(Status))
def test_the_seed_paths_follow_the_arrows(target: Status) -> None:
    steps = [Status.RECEIVED, *path_to(target)]
    assert steps[-1] is target
    assert all(can_move(a, b) for a, b in itertools.pairwise(steps))


@pytest.mark.parametrize(
    ("current", "raw", "error"),
    [
        (
            Status.RECEIVED,
            {"status": "paid"},
            {"status": "'접수' 상태에서 '지급완료'(으)로 변경할 수 없습니다."},
        ),
        (
            Status.RECEIVED,
            {"status": "received"},
            {"status": "'접수' 상태에서 '접수'(으)로 변경할 수 없습니다."},
        ),
        (
            Status.REVIEWING,
            {"status": "rejected"},
            {"memo": "'반려'(으)로 변경할 때는 메모(사유)를 입력하십시오."},
        ),
        (
            Status.REVIEWING,
            {"status": "approved", "expected_status": "received"},
            {
                "status": "다른 사용자가 먼저 상태를 변경했습니다(현재 '검토중'). 화면을 새로 고친 뒤 다시 시도하십시오."
            },
        ),
        (Status.REVIEWING, {"status": "approved"}, {}),
    ],
)
def test_status_changes(current: Status, raw: dict[str, str], error: dict[str, str]) -> None:
    form = Form(raw)
    chosen = read_status_change(form, current)
    assert form.errors == error
    assert (chosen is None) == bool(error)


def test_a_wrong_account_length_reads_as_in_the_finance_system() -> None:
    form = Form({**_VALID, "bank": "011", "account_no": "301-2345"})
    assert read_application(form, _DAY) is None
    finance = Form({"account_number": "301-2345"})
    assert account_number(finance, "011", "account_number", "계좌번호") == ""
    message = "농협은행 계좌번호는 11, 12, 13 또는 14자리여야 합니다."
    assert form.errors == {"account_no": message}
    assert finance.errors == {"account_number": message}


# -- the seed against the registry -------------------------------------------------------------


def test_the_seed_agrees_with_the_registry_except_where_it_says_so() -> None:
    size = 1000
    apps = generate_applications(size).applications
    people = {p["id"]: p for p in generate_population(size).residents}
    assert len(apps) == target_count(size)
    assert len({a["application_no"] for a in apps}) == len(apps)
    anomalies = Counter(a["seed_anomaly"] for a in apps if a["seed_anomaly"])
    assert set(anomalies) >= {
        "missing_birth_certificate",
        "missing_bankbook",
        "applicant_name",
        "applicant_rrn",
        "address",
        "child_birth_date",
    }
    open_apps = [a for a in apps if a["status"] in ("received", "reviewing")]
    wrong = [a for a in open_apps if a["seed_anomaly"] not in (None, "postnatal_late")]
    assert len(wrong) == len(open_apps) // ANOMALY_EVERY
    for app in apps:
        parent = people[app["registry_applicant_id"]]
        child = people[app["registry_child_id"]]
        assert parent["household_id"] == child["household_id"]
        assert parent["relation"] in ("본인", "배우자")
        assert child["relation"] == "자녀"
        if app["kind"] == "postnatal_care":
            assert parent["sex"] == "F"
        anomaly = app["seed_anomaly"]
        expected = {
            "applicant_name": parent["name"],
            "applicant_rrn": parent["rrn"],
            "address": parent["address"],
            "child_birth_date": child["birth_date"],
        }
        for field, value in expected.items():
            assert (app[field] != value) == (anomaly == field), (app["application_no"], field)
        received = app["received_at"].date()
        assert child["birth_date"] <= received <= TODAY
        assert (received - child["birth_date"]).days <= 365  # the portal's own window


@pytest.mark.parametrize("size", [2000, 4000])
def test_an_application_noted_late_was_received_more_than_90_days_after_the_birth(
    size: int,
) -> None:
    late = [
        a for a in generate_applications(size).applications if a["seed_anomaly"] == "postnatal_late"
    ]
    assert late  # the sizes are chosen to have some
    for app in late:  # received_at is UTC, the deadline is counted in days in Korea
        received = to_kst(app["received_at"].replace(tzinfo=UTC)).date()
        assert (received - app["child_birth_date"]).days > 90, app["application_no"]


def test_the_seeded_accounts_are_in_the_finance_register_under_the_same_code() -> None:
    size = 1000
    apps = generate_applications(size).applications
    register = {(r["bank_code"], r["account_number"]): r for r in generate_accounts(size)}
    assert {a["bank"] for a in apps} == set(BANKS)  # every bank, by its clearing code
    for app in apps:
        digits = app["account_no"].replace("-", "")
        assert len(digits) in BANKS[app["bank"]].lengths
        held = register[app["bank"], digits]
        assert (held["holder"], held["status"]) == (app["account_holder"], "active")


def test_the_seed_files_and_numbers() -> None:
    generated = generate_applications(400)
    kinds_by_app: dict[int, set[str]] = {}
    for file in generated.attachments:
        kinds_by_app.setdefault(file["application_id"], set()).add(file["kind"])
        assert file["content"][:4] in (b"%PDF", b"\x89PNG")
    for app in generated.applications:
        missing = {"birth_certificate", "bankbook"} - kinds_by_app.get(app["id"], set())
        assert {f"missing_{kind}" for kind in missing} <= {app["seed_anomaly"]}
        assert re.fullmatch(r"20\d\d-(출산|산후)-\d{6}", app["application_no"])
    for counter in generated.counters:
        prefix = "출산" if counter["kind"] == "childbirth_incentive" else "산후"
        assert any(
            a["application_no"] == f"{counter['year']}-{prefix}-{counter['last']:06d}"
            for a in generated.applications
        )
    again = generate_applications.__wrapped__(400)
    assert again.applications == generated.applications


# -- the server over HTTP ----------------------------------------------------------------------


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[RunningSystem]:
    config = SystemConfig(data_dir=tmp_path, truth_token=TOKEN)
    sandbox = Sandbox(config, ["intake"], ports={"intake": free_port()}, seed_size=60).start()
    yield sandbox.systems["intake"]
    sandbox.stop()


def _csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _apply(client: httpx.Client, **changes: str) -> httpx.Response:
    data = {**_VALID, "child_birth_date": CITY_DAY.isoformat(), **changes}
    files = {
        "birth_certificate": ("출생증명서.pdf", tiny_pdf("x"), "application/pdf"),
        "bankbook": ("통장.png", tiny_png(), "image/png"),
    }
    return client.post("/apply", data={**data, "csrf_token": _csrf(client, "/apply")}, files=files)


def _truth(system: RunningSystem, path: str) -> httpx.Response:
    return httpx.get(f"{system.url}/__sandbox/truth{path}", headers={"X-Sandbox-Token": TOKEN})


def test_concurrent_citizens_get_distinct_numbers(intake: RunningSystem) -> None:
    numbers: list[str] = []

    def citizen() -> None:
        with httpx.Client(base_url=intake.url, follow_redirects=True) as client:
            receipt = _apply(client).text
            found = re.search(r"\d{4}-산후-\d{6}", receipt)
            assert found is not None
            numbers.append(found.group(0))

    threads = [threading.Thread(target=citizen) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 12
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 13))


def test_downloads_and_unknown_numbers(intake: RunningSystem) -> None:
    with httpx.Client(base_url=intake.url, follow_redirects=True) as client:
        receipt = _apply(client).text
        found = re.search(r"\d{4}-산후-\d{6}", receipt)
        assert found is not None
        number = found.group(0)
        csrf = _csrf(client, "/login")
        client.post(
            "/login", data={"csrf_token": csrf, "username": "clerk01", "password": "sandbox-1234"}
        )
        files = _truth(intake, f"/applications/{quote(number)}").json()["attachments"]
        url = f"/applications/{quote(number)}/attachments/{files[0]['id']}"
        response = client.get(url)
        assert response.content == tiny_pdf("x")
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == (
            "attachment; filename*=UTF-8''" + quote("출생증명서.pdf")
        )
        other = _truth(intake, "/applications").json()[0]["application_no"]
        assert (
            client.get(f"/applications/{quote(other)}/attachments/{files[0]['id']}").status_code
            == 404
        )
        missing = client.get(f"/applications/{quote('2025-출산-999999')}")
        assert missing.status_code == 404
        assert "페이지를 찾을 수 없습니다" in missing.text
