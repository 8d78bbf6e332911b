"""Where the seeded staff travel, by 출장 구분, with the fares and room prices they meet.

Kept apart from the seed so that its tables read as data: (destinations, one-way fare range,
price range of one night) per area; won.
"""

from __future__ import annotations

TRIP_PLACES: dict[str, tuple[tuple[str, ...], tuple[int, int], tuple[int, int]]] = {
    "in_area": (
        (
            "광양읍 행정복지센터",
            "중마동 행정복지센터",
            "광양시 보건소",
            "광양항 컨테이너부두",
            "백운산 자연휴양림",
        ),
        (0, 1),
        (0, 1),
    ),
    "seoul": (("정부서울청사", "서울특별시청", "국회의사당"), (47_000, 60_000), (80_000, 130_000)),
    "metro": (("광주광역시청", "부산광역시청", "정부대전청사"), (15_000, 40_000), (60_000, 90_000)),
    "other": (
        ("정부세종청사", "전라남도청", "순천시청", "여수시청"),
        (8_000, 25_000),
        (50_000, 80_000),
    ),
}
