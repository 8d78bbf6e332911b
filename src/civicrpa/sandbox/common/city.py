"""The synthetic city every sandbox system belongs to: its day, its place, its population.

The six systems stand for one Gwangyang-like city's software, and their data must agree: an
applicant on the intake portal lives in the registry, is paid into an account the finance
system knows, and a clerk in HR is a resident too. So every seed draws from the same city: the
same random seed (:data:`CITY_SEED`), the same population size (``size``: residents, from which
each system sizes its own rows) and the same day.

The systems' data is generated around one day, :data:`CITY_DAY`: the registry's births and
moves, the intake's applications, HR's attendance, finance's past payments, the library's loans,
the CMS's notices. Their screens judge by the same day: what is overdue, which notice is public,
the latest birth date a form accepts, the date on an exported file's name. Had some systems
followed the real calendar, a loan lent "today" by the seed would turn overdue as the months
went by while an application of the same city stayed fresh, and a robot comparing two systems
would see a city at odds with itself. The robots must judge by the same day: the demo and the
tests set ``process_date`` to :data:`CITY_DAY`; ``civicrpa run`` against the sandbox needs
``CIVICRPA_PROCESS_DATE=2025-11-01``, as the README says. How moments are stamped on that day is
:mod:`civicrpa.sandbox.common.clock`'s; who lives in the city is
:mod:`civicrpa.sandbox.common.population`'s.
"""

from __future__ import annotations

from datetime import date

#: The city's day.
CITY_DAY = date(2025, 11, 1)
#: The city, as addresses begin.
CITY_NAME = "전라남도 광양시"
#: Its 읍·면·동, where households live.
DISTRICTS = (
    "광양읍",
    "중마동",
    "금호동",
    "태인동",
    "광영동",
    "골약동",
    "옥곡면",
    "진상면",
    "봉강면",
)
#: Road names of its addresses.
ROADS = ("중마로", "매화로", "광양읍로", "백운로", "제철로", "희망길", "청암로", "사랑로")
#: The seed of every system's generator, so that their data agree.
CITY_SEED = 2025
#: Residents of a city started without a size (tests, ``build_app``); the command line and the
#: demo choose their own.
DEFAULT_POPULATION = 200

__all__ = ["CITY_DAY", "CITY_NAME", "CITY_SEED", "DEFAULT_POPULATION", "DISTRICTS", "ROADS"]
