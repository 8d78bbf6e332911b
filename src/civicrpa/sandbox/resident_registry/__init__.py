"""주민등록 조회: search a resident by name and number, see address history and household.

Every look-up must state a reason (조회 사유), as the real system demands; the reason is stored
with who asked and when, and each detail screen is reachable only through a look-up.
"""
