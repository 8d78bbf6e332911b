"""Paging a list screen: which page is shown, and the links its pager draws."""

from __future__ import annotations

import pytest

from civicrpa.sandbox.common.listing import Page, page_link


@pytest.mark.parametrize(
    ("requested", "total", "number", "pages", "offset"),
    [
        (1, 0, 1, 1, 0),  # an empty list still has its one (empty) page
        (1, 20, 1, 1, 0),
        (2, 21, 2, 2, 20),  # 21 rows: 20 + 1
        (None, 45, 1, 3, 0),
        (0, 45, 1, 3, 0),  # below the first page: the first
        (-3, 45, 1, 3, 0),
        (9, 45, 3, 3, 40),  # past the last page: the last (rows 41-45)
    ],
)
def test_the_page_asked_for_is_moved_into_range(
    requested: int | None, total: int, number: int, pages: int, offset: int
) -> None:
    page = Page.of(requested, 20, total)
    assert (page.number, page.pages, page.offset, page.total) == (number, pages, offset, total)


def test_the_public_board_pages_by_ten() -> None:
    # 95 notices at ten a page: 10 pages, the last one from notice 91.
    page = Page.of(10, 10, 95)
    assert (page.pages, page.offset) == (10, 90)


@pytest.mark.parametrize(
    ("filters", "link"),
    [
        ({}, "/inbox?"),
        ({"status": "", "kind": ""}, "/inbox?"),
        ({"status": "received", "kind": ""}, "/inbox?status=received&"),
        (
            {"status": "received", "kind": "childbirth_incentive"},
            "/inbox?status=received&kind=childbirth_incentive&",
        ),
        # Korean and reserved characters are escaped, in the filters' order.
        ({"q": "공고 & 고시"}, "/inbox?q=%EA%B3%B5%EA%B3%A0+%26+%EA%B3%A0%EC%8B%9C&"),
    ],
)
def test_the_pager_link_keeps_the_search(filters: dict[str, str], link: str) -> None:
    assert page_link("/inbox", filters) == link
