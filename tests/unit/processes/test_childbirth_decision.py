"""From an export row and a registry record to a decision (pure: no browser, no clock)."""

from __future__ import annotations

from datetime import date

import pytest

from civicrpa.core.errors import InputRejected, NotEligible
from civicrpa.processes.childbirth_incentive.decision import (
    Eligible,
    Supplement,
    check_application,
    city_since,
    find_child,
    judge,
    still_due,
)
from civicrpa.processes.childbirth_incentive.inputs import IntakeRow, Kind, parse
from civicrpa.processes.childbirth_incentive.policy import Policy
from civicrpa.processes.childbirth_incentive.process import payment_reference
from civicrpa.processes.childbirth_incentive.rules import Plan
from civicrpa.systems.resident_registry import Member, Move, ResidentRecord

CITY = "전라남도 광양시"
HOME = f"{CITY} 중마동 중마로 12"
BORN = date(2025, 3, 10)
TODAY = date(2025, 11, 1)
POLICY = Policy()


def _row(**changes: object) -> IntakeRow:
    values: dict[str, object] = {
        "application_no": "2025-출산-000123",
        "kind": "출산장려금",
        "status": "접수",
        "received_at": "2025-04-02 10:15",
        "applicant_name": "김지현",
        "applicant_rrn": "900101-2345678",
        "phone": "010-1234-5678",
        "address": HOME,
        "child_name": "박서준",
        "child_birth_date": BORN,
        "multiple_birth": "아니오",
        "bank": "농협은행",
        "account_no": "302-1234-5678-91",
        "account_holder": "김지현",
        "birth_certificate": "제출",
        "bankbook": "제출",
    }
    values.update(changes)
    return IntakeRow.model_validate(values)


def _record(
    *,
    moved_in: date = date(2020, 5, 1),
    moved_out: date | None = None,
    history: tuple[Move, ...] = (),
    children: tuple[Member, ...] = (),
    spouse_moved_in: date = date(2020, 5, 1),
    spouse_moved_out: date | None = None,
    baby_moved_out: date | None = None,
) -> ResidentRecord:
    me = Member(
        relation="배우자",
        name="김지현",
        birth_date=date(1990, 1, 1),
        moved_in=moved_in,
        moved_out=None,
    )
    head = Member(
        relation="본인",
        name="박민수",
        birth_date=date(1989, 7, 7),
        moved_in=spouse_moved_in,
        moved_out=spouse_moved_out,
    )
    baby = Member(
        relation="자녀", name="박서준", birth_date=BORN, moved_in=BORN, moved_out=baby_moved_out
    )
    return ResidentRecord(
        name="김지현",
        birth_date=date(1990, 1, 1),
        address=HOME,
        moved_in=moved_in,
        moved_out=moved_out,
        history=(*history, Move(address=HOME, moved_in=moved_in, moved_out=moved_out)),
        household=(head, me, *children, baby),
    )


def test_a_second_child_of_a_resident_family_gets_the_2022_plan() -> None:
    older = Member(
        relation="자녀",
        name="박하은",
        birth_date=date(2021, 6, 1),
        moved_in=date(2021, 6, 1),
        moved_out=None,
    )
    decision = judge(parse(_row()), _record(children=(older,)), today=TODAY, policy=POLICY)
    assert isinstance(decision, Eligible)
    assert decision.birth_order == 2
    assert decision.plan is not None
    assert decision.plan.total == 10_000_000
    assert decision.amount_now == 2_000_000


def test_residence_counts_from_the_first_move_into_the_city() -> None:
    earlier = Move(
        address=f"{CITY} 광양읍 매화로 3", moved_in=date(2018, 2, 1), moved_out=date(2020, 5, 1)
    )
    outside = Move(
        address="서울특별시 종로구 1", moved_in=date(2015, 1, 1), moved_out=date(2018, 2, 1)
    )
    assert city_since(_record(history=(outside, earlier))) == date(2018, 2, 1)
    assert city_since(_record(history=(earlier,), moved_in=date(2020, 5, 1))) == date(2018, 2, 1)
    assert city_since(_record(history=(outside,))) == date(2020, 5, 1)


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (_record(moved_in=date(2024, 12, 1)), "childbirth.residency_too_short"),
        (_record(moved_in=date(2025, 5, 1)), "childbirth.not_resident_on_birth"),
        (_record(moved_out=date(2025, 9, 1)), "childbirth.applicant_moved_out"),
    ],
)
def test_the_ordinance_refuses_with_its_reason(record: ResidentRecord, code: str) -> None:
    with pytest.raises(NotEligible) as refused:
        judge(parse(_row()), record, today=TODAY, policy=POLICY)
    assert refused.value.code == code


def _without_baby(record: ResidentRecord) -> ResidentRecord:
    return ResidentRecord(**{**record.__dict__, "household": record.household[:2]})


def test_a_child_missing_from_the_household_is_not_registered() -> None:
    record = _without_baby(_record())
    assert find_child(record, parse(_row())) is None
    with pytest.raises(NotEligible) as refused:
        judge(parse(_row()), record, today=TODAY, policy=POLICY)
    assert refused.value.code == "childbirth.child_not_registered"


def test_a_child_registered_in_another_household_is_not_in_the_household() -> None:
    with pytest.raises(NotEligible) as refused:
        judge(
            parse(_row()),
            _without_baby(_record()),
            today=TODAY,
            policy=POLICY,
            child_elsewhere=True,
        )
    assert refused.value.code == "childbirth.not_in_household"


def test_a_child_who_left_the_city_after_the_birth_is_not_registered() -> None:
    with pytest.raises(NotEligible) as refused:
        judge(parse(_row()), _record(baby_moved_out=date(2025, 8, 1)), today=TODAY, policy=POLICY)
    assert refused.value.code == "childbirth.child_not_registered"


def _plan() -> Plan:
    decision = judge(parse(_row()), _record(), today=TODAY, policy=POLICY)
    assert isinstance(decision, Eligible)
    assert decision.plan is not None
    return decision.plan


def test_a_later_instalment_is_paid_while_the_family_stays() -> None:
    second = parse(_row(instalment_no=2, birth_order=1))
    assert still_due(second, _record(), _plan(), policy=POLICY)


@pytest.mark.parametrize(
    "record",
    [
        # The child left the city after the first payment (the applicant stays).
        _record(baby_moved_out=date(2025, 9, 1)),
        # The applicant left after the birth and came back: the current stay began later.
        _record(
            moved_in=date(2025, 10, 1),
            history=(
                Move(address=HOME, moved_in=date(2020, 5, 1), moved_out=date(2025, 6, 1)),
                Move(
                    address="서울특별시 종로구 1",
                    moved_in=date(2025, 6, 1),
                    moved_out=date(2025, 10, 1),
                ),
            ),
        ),
    ],
    ids=["child-moved-out", "applicant-left-and-came-back"],
)
def test_a_later_instalment_stops_once_the_family_left_the_city(record: ResidentRecord) -> None:
    second = parse(_row(instalment_no=2, birth_order=1))
    assert not still_due(second, record, _plan(), policy=POLICY)


def test_a_later_instalment_without_the_child_in_the_household_is_held() -> None:
    second = parse(_row(instalment_no=2, birth_order=1))
    with pytest.raises(NotEligible) as held:
        still_due(second, _without_baby(_record()), _plan(), policy=POLICY)
    assert held.value.code == "childbirth.not_in_household"


def test_a_birth_date_that_disagrees_goes_back_to_the_applicant() -> None:
    decision = judge(
        parse(_row(child_birth_date=date(2025, 3, 9))), _record(), today=TODAY, policy=POLICY
    )
    assert decision == Supplement(code="childbirth.child_mismatch", params={})


def test_documents_and_registry_agreement_come_first() -> None:
    assert check_application(parse(_row(bankbook="미제출")), _record()) == Supplement(
        code="childbirth.documents_missing", params={"documents": "통장 사본"}
    )
    assert check_application(parse(_row()), None) == Supplement(
        code="childbirth.applicant_mismatch", params={}
    )
    moved = parse(_row(address=f"{CITY} 중마동 중마로 13"))
    assert check_application(moved, _record()) == Supplement(
        code="childbirth.address_mismatch", params={}
    )
    assert check_application(parse(_row()), _record()) is None


def _postnatal(**changes: object) -> IntakeRow:
    return _row(
        application_no="2025-산후-000045",
        kind="산후조리비용",
        care_group="기초생활수급자·중증장애인",
        centre_in_city="예",
        care_days="14",
        **changes,
    )


def test_postnatal_care_pays_by_group_and_days() -> None:
    decision = judge(parse(_postnatal(multiple_birth="예")), _record(), today=TODAY, policy=POLICY)
    assert isinstance(decision, Eligible)
    assert decision.plan is None
    assert decision.amount_now == 1_680_000  # worked example 5: 1,400,000 x 1.2


def test_postnatal_care_refused_after_90_days_and_without_the_spouse() -> None:
    late = parse(_postnatal(received_at="2025-06-09 09:00"))  # day 91
    with pytest.raises(NotEligible) as refused:
        judge(late, _record(), today=TODAY, policy=POLICY)
    assert refused.value.code == "childbirth.postnatal_deadline_passed"
    with pytest.raises(NotEligible) as alone:
        judge(
            parse(_postnatal()),
            _record(spouse_moved_in=date(2025, 4, 1)),
            today=TODAY,
            policy=POLICY,
        )
    assert alone.value.code == "childbirth.spouse_not_resident"
    with pytest.raises(NotEligible) as left:  # the spouse left the city before the birth
        judge(
            parse(_postnatal()),
            _record(spouse_moved_out=date(2025, 3, 1)),
            today=TODAY,
            policy=POLICY,
        )
    assert left.value.code == "childbirth.spouse_not_resident"


def test_a_malformed_row_names_every_faulty_field_and_no_value() -> None:
    with pytest.raises(InputRejected) as rejected:
        parse(_row(applicant_rrn="900101-23456789", phone="010-12-5678", account_no="12-34"))
    message = rejected.value.message_ko
    for field in ("신청인 주민등록번호", "연락처", "계좌번호"):
        assert field in message
    assert "23456789" not in message
    assert "900101" not in repr(parse(_row()))


def test_kinds_and_references() -> None:
    assert parse(_row()).kind is Kind.INCENTIVE
    assert parse(_postnatal()).care is not None
    assert payment_reference("2025-출산-000123", 2) == "CI-2025-000123-2"
    assert payment_reference("2025-산후-000045", 1) == "PC-2025-000045-1"


def test_personal_numbers_never_print_in_clear() -> None:
    row = _row()
    app = parse(row)
    for text in (repr(row), str(row), repr(app), f"{app.applicant_rrn} {app.account_no}"):
        assert "2345678" not in text
        assert "5678-91" not in text
        assert "1234-5678" not in text
    assert app.applicant_rrn.reveal() == "900101-2345678"
    assert app.account_no.reveal() == "302-1234-5678-91"
    assert str(app.applicant_rrn) == "900101-2******"
    # The payload is stored (sealed) and read back whole.
    assert IntakeRow.model_validate(row.model_dump(mode="json")) == row
