"""시립도서관 업무 시스템: catalogue, members, loans and returns, overdue list, acquisitions.

Librarians search the catalogue, lend and take back copies (14 days, at most 5 per member),
export the overdue list as .xlsx for the overdue-SMS work, and register newly acquired books
from a supplier's .xlsx list after a preview that shows each row's problems in Korean.
"""
