"""Tables of the resident registry (its own database: another agency's system)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table

metadata = MetaData()

households = Table(
    "households",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address", String(200), nullable=False),
)

residents = Table(
    "residents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False, index=True),
    Column("rrn", String(14), nullable=False, unique=True),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("household_id", Integer, ForeignKey("households.id"), nullable=False, index=True),
    #: 본인, 배우자, 자녀, 부, 모 ...
    Column("relation", String(10), nullable=False),
    Column("address", String(200), nullable=False),
    #: 전입일: the day the resident moved to the current address.
    Column("moved_in", Date, nullable=False),
    #: 전출일: set when the resident left the city (the record stays, as a registry keeps it).
    Column("moved_out", Date, nullable=True),
)

address_history = Table(
    "address_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("resident_id", Integer, ForeignKey("residents.id"), nullable=False, index=True),
    Column("address", String(200), nullable=False),
    Column("moved_in", Date, nullable=False),
    Column("moved_out", Date, nullable=True),
)

lookups = Table(
    "lookups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(50), nullable=False),
    Column("reason_code", String(20), nullable=False),
    Column("reason_detail", String(200), nullable=False),
    Column("query_name", String(50), nullable=False),
    Column("query_has_rrn", Integer, nullable=False),
    #: 생년월일, when the search named one (a baby is searched by name and birth date).
    Column("query_birth_date", Date, nullable=True),
    Column("result_count", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
)

#: 조회 사유 codes and their Korean labels.
REASONS = {
    "benefit": "복지·수당 지급 요건 확인",
    "certificate": "민원 증명서 발급",
    "tax": "지방세 부과",
    "audit": "감사·점검",
}
