"""Applications drawn from the synthetic city's people (as the resident registry holds them). Deterministic and fast.

Rules:

- Children born in the last three years of the city's day (``CITY_DAY``), most recent first, each
  with a parent (본인 or 배우자) of the same household: usually the mother applies for the
  출산장려금; for about one child in five the mother also applies for 산후조리비용.
- ``max(5, size // 8)`` applications in all (fewer only if the city has too few babies). With
  the registry's birth rate this reaches back about two years of births at size 100,000.
- Received 3-120 days after the birth (산후조리비용 mostly within 90 days, one in ten later).
- The status follows the order of receipt: the newest quarter is open (mostly 접수, some 검토중
  and 보완요청: the robots' backlog), the next 15 % mostly 승인, the rest mostly 지급완료, with
  some 반려 throughout; each step is a row of history, as the office would have written it.
- Every fourth open application (접수, 검토중) is deliberately wrong, the kinds taken in turn: a
  missing 출생증명서 or 통장 사본, or the applicant's name, resident number or address, or the
  baby's birth date disagreeing slightly with the registry. From size 1,000 on every kind
  occurs. A late 산후조리비용 (over 90 days) is open or 반려. ``seed_anomaly`` names what is
  wrong (ground truth only).
- What the applicant states besides (drawn from a second random stream, so the draws above and
  the rows they make stay as they were before these fields existed): 다태아 for about one baby
  in fifty (the same on both of a baby's applications; the registry does not record twins, so
  it is the applicant's word), and for 산후조리비용 the 지원 구분 (about 10 % 기초생활수급자·
  중증장애인, 15 % 차상위·경증장애인, 75 % 일반), whether a postnatal-care centre in the city
  was used (80 %) and the days in a centre (5-16; of those who used none in the city, half used
  none at all: 0 days). About one application in twenty was handed in on paper at the counter
  (접수 경로 방문): its first history row is the clerk's, not the portal's.
- Malformed applications, typed in by a clerk from paper (방문) and still 접수: one in
  ``MALFORMED_EVERY`` (25) of the 접수 applications, chosen evenly spread among those the rule
  above left correct, the kinds taken in turn: ``malformed_rrn`` (a resident number of 12 or
  14 digits, or with a letter for a digit), ``malformed_account`` (a digit count the bank does
  not issue, see :mod:`civicrpa.sandbox.common.banks`), ``malformed_phone`` (a digit too few or
  too many in the last part, or a letter). Only that one field is off; the portal itself would
  refuse each of these values. From size 2,000 (``MALFORMED_FROM_SIZE``) on every kind occurs
  at least once; below it only once 25 or more are 접수 (none at size 1,000).
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, insert

from civicrpa.core.clock import KST
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.clock import kst_stamp
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.population import generate_population
from civicrpa.sandbox.common.synthetic import check_digit
from civicrpa.sandbox.intake.documents import tiny_pdf, tiny_png
from civicrpa.sandbox.intake.models import PORTAL_USER, applications, attachments, counters, history
from civicrpa.sandbox.intake.workflow import (
    CareGroup,
    Channel,
    Kind,
    Status,
    application_no,
    path_to,
)

#: Oldest birth that still gets an application.
WINDOW_DAYS = 3 * 365
#: Share of applications, the most recently received, still open (the robots' backlog).
OPEN_SHARE = 0.25
#: Every this many open applications, one disagrees with the registry or lacks a file.
ANOMALY_EVERY = 4
#: One in this many 접수 applications (of those left correct) is malformed, from paper.
MALFORMED_EVERY = 25
#: From this city size on, every kind of malformed application occurs.
MALFORMED_FROM_SIZE = 2000
MALFORMED = ("malformed_rrn", "malformed_account", "malformed_phone")
#: Shares drawn from the second random stream.
MULTIPLE_BIRTH_SHARE = 0.02
VISIT_SHARE = 0.05
CENTRE_IN_CITY_SHARE = 0.8
#: Cumulative shares of the 산후조리 지원 구분.
_CARE_GROUPS = ((0.10, CareGroup.BASIC), (0.25, CareGroup.NEAR_POOR), (1.0, CareGroup.GENERAL))
_OPEN = (Status.RECEIVED, Status.REVIEWING)
_CHUNK = 2000
_STAFF = (("clerk01", "김민원"), ("reviewer01", "이검토"))
_STEP_MEMOS = {
    Status.REVIEWING: "서류 검토 시작",
    Status.SUPPLEMENT_REQUESTED: "통장 사본 식별 불가: 재제출 요청",
    Status.APPROVED: "지급 요건 확인 완료",
    Status.REJECTED: "관내 주민등록 요건 미충족",
    Status.PAID: "지급 완료",
}
_ANOMALIES = (
    "missing_birth_certificate",
    "missing_bankbook",
    "applicant_name",
    "applicant_rrn",
    "address",
    "child_birth_date",
)
_SYLLABLES = "민서준영지현우진수아"
#: A clerk misreading handwriting: a digit typed as the letter it looks like.
_LOOK_ALIKE = {"0": "O", "1": "l", "2": "Z", "5": "S", "6": "b", "8": "B", "9": "g"}
#: The banks (clearing codes) in the order the seed draws them: the order of the portal's former
#: own codes (hana, ibk, kb, kjb, nh, post, shinhan, woori), kept so a seed makes the same rows.
_BANK_DRAW_ORDER = ("081", "003", "004", "034", "011", "071", "088", "020")


def target_count(size: int) -> int:
    """How many applications a city of ``size`` residents has."""
    return max(5, size // 8)


@dataclass(frozen=True)
class Generated:
    """Rows of the intake's tables, as generated."""

    applications: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    history: list[dict[str, Any]]
    counters: list[dict[str, Any]]


def _status(rng: random.Random, newer_share: float) -> Status:
    """A status for an application with ``newer_share`` of all applications received after it."""
    roll = rng.random()
    table: tuple[tuple[float, Status], ...]
    if newer_share < OPEN_SHARE:
        table = ((0.7, Status.RECEIVED), (0.9, Status.REVIEWING))
        fallback = Status.SUPPLEMENT_REQUESTED
    elif newer_share < OPEN_SHARE + 0.15:
        table = ((0.2, Status.REVIEWING), (0.8, Status.APPROVED), (0.9, Status.REJECTED))
        fallback = Status.SUPPLEMENT_REQUESTED
    else:
        table = ((0.85, Status.PAID), (0.95, Status.REJECTED))
        fallback = Status.APPROVED
    return next((status for limit, status in table if roll < limit), fallback)


def _utc(day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=KST)
    return local.astimezone(UTC).replace(tzinfo=None)


def _candidates(size: int, seed: int, rng: random.Random) -> list[tuple[Kind, Any, Any]]:
    population = generate_population(size, seed)
    households: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for person in population.residents:
        households[person["household_id"]].append(person)
    children = sorted(
        (
            r
            for r in population.residents
            if r["relation"] == "자녀" and 2 <= (CITY_DAY - r["birth_date"]).days <= WINDOW_DAYS
        ),
        key=lambda r: (-r["birth_date"].toordinal(), r["id"]),
    )
    chosen: list[tuple[Kind, Any, Any]] = []
    for child in children:
        parents = [p for p in households[child["household_id"]] if p["relation"] != "자녀"]
        if not parents:
            continue
        mother = next((p for p in parents if p["sex"] == "F"), None)
        applicant = mother if mother is not None and rng.random() < 0.7 else rng.choice(parents)
        chosen.append((Kind.CHILDBIRTH_INCENTIVE, child, applicant))
        if mother is not None and rng.random() < 0.2:
            chosen.append((Kind.POSTNATAL_CARE, child, mother))
    return chosen[: target_count(size)]


def _disagree(app: dict[str, Any], anomaly: str, rng: random.Random) -> None:
    """Make one field differ slightly from the registry."""
    if anomaly == "applicant_name":
        name = app["applicant_name"]
        app["applicant_name"] = name[:-1] + rng.choice(_SYLLABLES.replace(name[-1], ""))
    elif anomaly == "applicant_rrn":
        rrn = app["applicant_rrn"]
        keep_fictional = {rrn[-1], str(check_digit(rrn.replace("-", "")[:12]))}
        app["applicant_rrn"] = rrn[:-1] + rng.choice(
            [d for d in "0123456789" if d not in keep_fictional]
        )
    elif anomaly == "address":
        street, _, number = app["address"].rpartition(" ")
        app["address"] = f"{street} {int(number) % 399 + 1}"
    elif anomaly == "child_birth_date":
        app["child_birth_date"] -= timedelta(days=1)


def _application(kind: Kind, child: Any, parent: Any, rng: random.Random) -> dict[str, Any]:
    """One application as the applicant filled it in, received some days after the birth."""
    age = (CITY_DAY - child["birth_date"]).days
    late = kind is Kind.POSTNATAL_CARE and rng.random() < 0.1
    if late:
        delay = rng.randrange(91, 150)
    else:
        delay = rng.randrange(3, 85 if kind is Kind.POSTNATAL_CARE else 120)
    delay = delay if delay < age else rng.randrange(1, age)
    # A baby younger than the 90 days cannot be the subject of a late application: the note
    # follows the delay actually drawn.
    late = late and delay > 90
    bank = rng.choice(_BANK_DRAW_ORDER)
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice(BANKS[bank].lengths)))
    return {
        "kind": kind.value,
        "applicant_name": parent["name"],
        "applicant_rrn": parent["rrn"],
        "phone": f"010-{rng.randrange(2000, 10000)}-{rng.randrange(10000):04d}",
        "address": parent["address"],
        "child_name": child["name"],
        "child_birth_date": child["birth_date"],
        "bank": bank,
        "account_no": f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}",
        "account_holder": parent["name"],
        "received_at": _utc(child["birth_date"] + timedelta(days=delay), rng),
        "registry_applicant_id": parent["id"],
        "registry_child_id": child["id"],
        "seed_anomaly": "postnatal_late" if late else None,
    }


def _stated(apps: list[dict[str, Any]], rng: random.Random) -> None:
    """What the applicants state besides: 다태아, 접수 경로 and the 산후조리 details."""
    multiple: dict[int, bool] = {}
    for app in apps:
        child = app["registry_child_id"]
        if child not in multiple:
            multiple[child] = rng.random() < MULTIPLE_BIRTH_SHARE
        app["multiple_birth"] = multiple[child]
        app["channel"] = (Channel.VISIT if rng.random() < VISIT_SHARE else Channel.ONLINE).value
        app["care_group"] = app["centre_in_city"] = app["care_days"] = None
        if app["kind"] == Kind.POSTNATAL_CARE.value:
            roll = rng.random()
            app["care_group"] = next(g for limit, g in _CARE_GROUPS if roll < limit).value
            app["centre_in_city"] = rng.random() < CENTRE_IN_CITY_SHARE
            used_any = app["centre_in_city"] or rng.random() < 0.5
            app["care_days"] = rng.randint(5, 16) if used_any else 0


def _mistyped(value: str, rng: random.Random, *, start: int, how: int) -> str:
    """``value`` with, after position ``start``, a digit dropped (0), doubled (1) or typed as
    a letter (2)."""
    positions = [i for i in range(start, len(value)) if value[i].isdigit()]
    at = rng.choice(positions)
    if how == 0:
        return value[:at] + value[at + 1 :]
    if how == 1:
        return value[: at + 1] + value[at:]
    return value[:at] + _LOOK_ALIKE.get(value[at], "O") + value[at + 1 :]


def _malformed_account(app: dict[str, Any], rng: random.Random) -> str:
    digits = app["account_no"].replace("-", "")
    allowed = BANKS[app["bank"]].lengths
    wrong = [n for n in range(9, 17) if n not in allowed]
    nearest = min(abs(n - len(digits)) for n in wrong)
    length = rng.choice([n for n in wrong if abs(n - len(digits)) == nearest])
    while len(digits) > length:
        at = rng.randrange(3, len(digits))
        digits = digits[:at] + digits[at + 1 :]
    while len(digits) < length:
        at = rng.randrange(3, len(digits) + 1)
        digits = digits[:at] + str(rng.randrange(10)) + digits[at:]
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


def malformed_count(received: int, size: int) -> int:
    """How many malformed applications a city of ``size`` with ``received`` 접수 has."""
    count = received // MALFORMED_EVERY
    if size >= MALFORMED_FROM_SIZE:
        count = max(count, len(MALFORMED))
    return count


def _malform(apps: list[dict[str, Any]], size: int, rng: random.Random) -> None:
    """Make some correct 접수 applications malformed, as a clerk typed them from paper."""
    received = [a for a in apps if a["status"] == Status.RECEIVED.value]
    clean = [a for a in received if a["seed_anomaly"] is None]
    count = min(malformed_count(len(received), size), len(clean))
    for turn in range(count):
        app = clean[(2 * turn + 1) * len(clean) // (2 * count)]
        anomaly = MALFORMED[turn % len(MALFORMED)]
        how = turn // len(MALFORMED) % 3  # each kind of typo in turn, per anomaly
        if anomaly == "malformed_rrn":
            app["applicant_rrn"] = _mistyped(app["applicant_rrn"], rng, start=7, how=how)
        elif anomaly == "malformed_account":
            app["account_no"] = _malformed_account(app, rng)
        else:
            # in the last four digits: a middle part of three is still a valid number
            app["phone"] = _mistyped(app["phone"], rng, start=len(app["phone"]) - 4, how=how)
        app["seed_anomaly"] = anomaly
        app["channel"] = Channel.VISIT.value


@functools.lru_cache(maxsize=4)
def generate_applications(size: int, seed: int = CITY_SEED) -> Generated:
    """The applications of a city of ``size`` residents; the same rows for the same arguments."""
    rng = random.Random(seed * 7919 + 1)
    apps = [_application(*chosen, rng) for chosen in _candidates(size, seed, rng)]
    apps.sort(key=lambda a: (a["received_at"], a["registry_child_id"], a["kind"]))
    open_count = 0
    for rank, app in enumerate(apps):
        status = _status(rng, (len(apps) - 1 - rank) / len(apps))
        if app["seed_anomaly"] == "postnatal_late" and status not in _OPEN:
            status = Status.REJECTED
        elif app["seed_anomaly"] is None and status in _OPEN:
            if open_count % ANOMALY_EVERY == ANOMALY_EVERY - 1:
                anomaly = _ANOMALIES[open_count // ANOMALY_EVERY % len(_ANOMALIES)]
                app["seed_anomaly"] = anomaly
                _disagree(app, anomaly, rng)
            open_count += 1
        app["status"] = status.value
    # A second stream for what was added later: the draws above keep making the same rows.
    stated = random.Random(seed * 7919 + 2)
    _stated(apps, stated)
    _malform(apps, size, stated)
    return _numbered(apps, rng)


def _numbered(apps: list[dict[str, Any]], rng: random.Random) -> Generated:
    """Give ids, 접수번호, files and history to applications sorted by receipt."""
    serials: dict[tuple[int, str], int] = defaultdict(int)
    files: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    # The office's last seeded step is the evening before the city's day: what the robots and
    # clerks do on the day (stamped by the city's clock) then follows it in every history.
    closing = kst_stamp(CITY_DAY - timedelta(days=1), time(18, 0))
    for app_id, app in enumerate(apps, start=1):
        year = app["received_at"].replace(tzinfo=UTC).astimezone(KST).year
        serials[year, app["kind"]] += 1
        app["id"] = app_id
        app["application_no"] = application_no(year, Kind(app["kind"]), serials[year, app["kind"]])
        if app["seed_anomaly"] != "missing_birth_certificate":
            content = tiny_pdf(f"Birth certificate (synthetic) born {app['child_birth_date']}")
            files.append(_file(app_id, "birth_certificate", "출생증명서.pdf", content))
        if app["seed_anomaly"] != "missing_bankbook":
            as_pdf = rng.random() < 0.3
            content = tiny_pdf("Bankbook copy (synthetic)") if as_pdf else tiny_png()
            name = "통장사본.pdf" if as_pdf else "통장사본.png"
            files.append(_file(app_id, "bankbook", name, content))
        at = app["received_at"]
        if app["channel"] == Channel.VISIT.value:
            receipt = (_STAFF[0], "방문 신청 접수(서면 신청서 입력)")
        else:
            receipt = (PORTAL_USER, "온라인 신청 접수")
        events.append(_event(app_id, at, receipt[0], None, Status.RECEIVED, receipt[1]))
        source = Status.RECEIVED
        for step in path_to(Status(app["status"])):
            at = min(at + timedelta(days=rng.randrange(1, 12), hours=rng.randrange(8)), closing)
            memo = _STEP_MEMOS[step]
            if step is Status.REJECTED and app["seed_anomaly"] == "postnatal_late":
                memo = "신청 기한(출산일부터 90일) 경과"
            events.append(_event(app_id, at, rng.choice(_STAFF), source, step, memo))
            source = step
        app["updated_at"] = at
    numbers = [{"year": y, "kind": k, "last": n} for (y, k), n in sorted(serials.items())]
    return Generated(applications=apps, attachments=files, history=events, counters=numbers)


def _file(app_id: int, kind: str, filename: str, content: bytes) -> dict[str, Any]:
    return {
        "application_id": app_id,
        "kind": kind,
        "filename": filename,
        "size": len(content),
        "content": content,
    }


def _event(
    app_id: int,
    at: datetime,
    user: tuple[str, str],
    source: Status | None,
    target: Status,
    memo: str,
) -> dict[str, Any]:
    return {
        "application_id": app_id,
        "at": at,
        "username": user[0],
        "display_name": user[1],
        "from_status": source.value if source else None,
        "to_status": target.value,
        "memo": memo,
    }


def seed_applications(db: SandboxDatabase, size: int, *, seed: int = CITY_SEED) -> None:
    """Fill an empty intake system with :func:`generate_applications`."""
    generated = generate_applications(size, seed)
    tables: tuple[tuple[Table, list[dict[str, Any]]], ...] = (
        (applications, generated.applications),
        (attachments, generated.attachments),
        (history, generated.history),
        (counters, generated.counters),
    )
    with db.session() as session:
        for table, rows in tables:
            for offset in range(0, len(rows), _CHUNK):
                session.execute(insert(table), rows[offset : offset + _CHUNK])
