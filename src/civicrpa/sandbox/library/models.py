"""Tables of the library system (its own database: the library vendor's software)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

books = Table(
    "books",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("isbn", String(13), nullable=False, unique=True),
    Column("title", String(200), nullable=False, index=True),
    Column("author", String(100), nullable=False),
    Column("publisher", String(100), nullable=False),
    Column("year", Integer, nullable=True),
    #: 정가, whole won.
    Column("price", Integer, nullable=True),
)

copies = Table(
    "copies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("book_id", Integer, ForeignKey("books.id"), nullable=False, index=True),
    #: 등록번호 on the copy's label, e.g. ``EM0000123`` (EM: 일반도서).
    Column("barcode", String(12), nullable=False, unique=True),
    Column("added_on", Date, nullable=False),
    #: The supplier list the copy came with, if any.
    Column("acquisition_id", Integer, ForeignKey("acquisitions.id"), nullable=True),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_no", String(10), nullable=False, unique=True),
    Column("name", String(50), nullable=False, index=True),
    Column("phone", String(13), nullable=False),
    Column("joined_on", Date, nullable=False),
    #: No loans before this day: the suspension an overdue return earns.
    Column("suspended_until", Date, nullable=True),
)

loans = Table(
    "loans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("copy_id", Integer, ForeignKey("copies.id"), nullable=False, index=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False, index=True),
    Column("loaned_on", Date, nullable=False),
    Column("due_on", Date, nullable=False, index=True),
    Column("returned_on", Date, nullable=True),
    Column("loaned_by", String(50), nullable=False),
    Column("returned_by", String(50), nullable=True),
)
#: A copy is lent to one member at a time, even if two desks click at once.
Index(
    "uq_loans_open_copy",
    loans.c.copy_id,
    unique=True,
    sqlite_where=loans.c.returned_on.is_(None),
)

acquisitions = Table(
    "acquisitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("filename", String(200), nullable=False),
    Column("uploaded_by", String(50), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    #: ``preview`` until 등록 is confirmed, then ``registered`` (never twice).
    Column("status", String(12), nullable=False),
    Column("registered_by", String(50), nullable=True),
    Column("registered_at", DateTime, nullable=True),
    Column("books_created", Integer, nullable=False, default=0),
    Column("copies_added", Integer, nullable=False, default=0),
)

acquisition_lines = Table(
    "acquisition_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("acquisition_id", Integer, ForeignKey("acquisitions.id"), nullable=False, index=True),
    #: Row number in the supplier's sheet (the header is row 1).
    Column("row_no", Integer, nullable=False),
    # As written in the sheet, for the preview (ISBN without hyphens).
    Column("isbn", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("author", String(300), nullable=False),
    Column("publisher", String(300), nullable=False),
    Column("year_text", String(40), nullable=False),
    Column("price_text", String(40), nullable=False),
    Column("quantity_text", String(40), nullable=False),
    # Parsed values; None where the cell was unusable.
    Column("year", Integer, nullable=True),
    Column("price", Integer, nullable=True),
    Column("quantity", Integer, nullable=True),
    #: Korean problems joined by newlines; empty for a row that can be registered.
    Column("problems", Text, nullable=False),
    #: After registration: ``new_book`` or ``added_copies``.
    Column("outcome", String(12), nullable=True),
)
