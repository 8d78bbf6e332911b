"""The robots' screen API on the real finance and intake systems, in real Chromium."""

from __future__ import annotations

import time
from collections.abc import Callable
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import FloatRect, Page, Route

from civicrpa.config import Settings
from civicrpa.core.errors import ScreenChanged, TargetUnavailable
from civicrpa.runtime.browser import BrowserSession, Screen, SessionExpired, TransientPageError
from civicrpa.runtime.browser.evidence import masked_screenshot
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import sandbox_post, truth

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

StartSystem = Callable[..., RunningSystem]
PAYMENT = {
    "지급 대상자": "홍길동",
    "은행": "농협은행",
    "계좌번호": "302-1234-5678-91",
    "예금주": "홍길동",
    "금액(원)": "2000000",
    "예산 과목": "출산장려금 지원",
    "참조번호": "2025-TEST-0001",
    "적요": "출산장려금 1회차",
}


@pytest.fixture
def finance(start_system: StartSystem) -> RunningSystem:
    return start_system("finance", seed_size=60)


@pytest.fixture
def screen(
    finance: RunningSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> Screen:
    """The finance system's tab of a fresh robot session (logged in on first use)."""
    return open_session(robot_settings(finance=finance)).screen("finance")


def test_open_logs_in_with_the_robots_credential_and_lands_on_the_page(
    finance: RunningSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> None:
    session = open_session(robot_settings(finance=finance))
    screen = session.screen("finance")
    screen.open("/payments/new", step="open_form")
    assert screen.path == "/payments/new"
    assert screen.logins == 1
    screen.open("/payments", step="list")  # still logged in: no second log-in
    assert screen.logins == 1
    assert session.launches == 1


def test_fill_form_sets_every_labelled_field_in_one_call_and_verifies(
    finance: RunningSystem, screen: Screen
) -> None:
    screen.open("/payments/new", step="open_form")
    screen.page.set_default_timeout(1_000)  # the missing ones below are waited for that long
    screen.fill_form(PAYMENT)
    assert screen.field("계좌번호").input_value() == "302-1234-5678-91"
    assert screen.field("적요").input_value() == "출산장려금 1회차"
    assert screen.field("예산 과목").input_value() == "childbirth_incentive"  # chosen by its text
    with pytest.raises(ScreenChanged) as missing:
        screen.fill_form({"없는 항목": "x"})
    assert "없는 항목" in missing.value.params["detail"]
    with pytest.raises(ScreenChanged) as no_option:
        screen.fill_form({"은행": "없는은행"})
    assert "은행" in no_option.value.params["detail"]


def test_fill_form_never_puts_the_values_in_its_error(
    finance: RunningSystem, screen: Screen
) -> None:
    screen.open("/payments/new", step="open_form")
    # maxlength 20 truncates the value, so the field does not hold what was asked for.
    with pytest.raises(ScreenChanged) as error:
        screen.fill_form({"계좌번호": "900101-1234568 900101-1234568"})
    detail = error.value.params["detail"]
    assert "계좌번호" in detail
    assert "1234568" not in detail


#: A test site's address; its pages come from :func:`_site`, drawn by the real Chromium.
SITE = "http://forms.test"
#: A page that draws its form by script after ``DELAY`` ms and, like the RPA Challenge page,
#: throws it away on each submit (kept in ``window.sent``) and draws a new one ``DELAY`` ms
#: later, its fields in another order; the 지역 list gets its options and 성명 is enabled late.
REDRAWN_FORM = """<!doctype html><html lang="ko"><body><main id="app"></main><script>
const DELAY = 400;
window.sent = [];
let round = 0;
const draw = () => {
  round += 1;
  const fields = ['<label for="f1">성명</label><input id="f1" name="name" disabled>',
                  '<label for="f2">연락처</label><input id="f2" name="phone">',
                  '<label for="f3">지역</label><select id="f3" name="area"></select>'];
  if (round % 2 === 0) { fields.reverse(); }
  const app = document.getElementById("app");
  app.innerHTML = '<form aria-label="신청">' + fields.join("") + '<button>제출</button></form>';
  const form = app.querySelector("form");
  setTimeout(() => {
    form.querySelector("select").innerHTML = "<option>선택</option><option>광양읍</option>";
    form.querySelector("[name=name]").disabled = false;
  }, DELAY / 2);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.sent.push(Object.fromEntries(new FormData(form)));
    app.innerHTML = "";
    setTimeout(draw, DELAY);
  });
};
setTimeout(draw, DELAY);
</script></body></html>"""
NO_FORM = '<!doctype html><html lang="ko"><body><p>점검 중입니다.</p></body></html>'


@pytest.fixture
def site(page: Page) -> Screen:
    """A screen on :data:`SITE`, whose pages the browser is served by the test itself."""

    def serve(route: Route) -> None:
        body = REDRAWN_FORM if route.request.url.endswith("/form") else NO_FORM
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    page.route(f"{SITE}/**", serve)
    page.set_default_timeout(5_000)
    return Screen(page, system="forms", base_url=SITE)


def test_fill_form_waits_for_a_form_drawn_and_redrawn_by_script(site: Screen) -> None:
    site.open("/form", step="open_form")
    for number in range(1, 6):
        # Each fill comes while the form is not there yet (or its list is still empty).
        site.fill_form(
            {"성명": f"신청인{number}", "연락처": f"010-0000-000{number}", "지역": "광양읍"}
        )
        site.button("제출").click()
    sent = site.page.evaluate("window.sent")
    assert sent == [
        {"name": f"신청인{n}", "phone": f"010-0000-000{n}", "area": "광양읍"} for n in range(1, 6)
    ]


def test_fill_form_on_a_form_that_never_comes_is_a_changed_screen_within_the_timeout(
    site: Screen,
) -> None:
    site.open("/maintenance", step="open_form")
    site.page.set_default_timeout(1_500)
    started = time.monotonic()
    with pytest.raises(ScreenChanged) as missing:
        site.fill_form({"성명": "홍길동"}, step="apply")
    waited = time.monotonic() - started
    assert waited >= 1.4  # it waited for the form (how long past: bench/form_timeout.py)
    assert missing.value.params["step"] == "apply"
    assert "no field labelled '성명'" in missing.value.params["detail"]
    with pytest.raises(ScreenChanged) as no_scope:
        site.fill_form({"성명": "홍길동"}, scope="dialog[open]", step="apply")
    assert "not on the page" in no_scope.value.params["detail"]


def test_per_field_api_and_a_submitted_form_with_a_confirm(
    finance: RunningSystem, screen: Screen
) -> None:
    screen.open("/payments/new", step="open_form")
    account = truth(finance, "/accounts?limit=1&status=active")
    assert isinstance(account, list)
    row = account[0]
    screen.fill("지급 대상자", row["holder"])
    screen.choose("은행", BANKS[row["bank_code"]].name)
    screen.fill("계좌번호", row["account_number"])
    screen.button("예금주 조회").click()
    screen.page.get_by_role("dialog").get_by_role("button", name="확인").click()
    screen.fill_form(
        {
            "예금주": row["holder"],
            "금액(원)": "2000000",
            "예산 과목": "출산장려금 지원",
            "참조번호": "2025-TEST-0002",
            "적요": "출산장려금 1회차",
        }
    )
    screen.submit("지급 등록", step="register", confirm=True)
    assert screen.path.startswith("/payments/")
    paid = truth(finance, "/payments/2025-TEST-0002")
    assert isinstance(paid, dict)
    assert paid["amount"] == 2_000_000


def test_expired_session_logs_in_again(finance: RunningSystem, screen: Screen) -> None:
    screen.open("/payments/new", step="open_form")
    sandbox_post(finance, "/sessions/expire")
    screen.open("/payments/new", step="open_form")  # a GET: logs in and lands on the page
    assert screen.path == "/payments/new"
    assert screen.logins == 2
    screen.fill_form(PAYMENT)
    sandbox_post(finance, "/sessions/expire")  # expired while the form is open: the post bounces
    with pytest.raises(SessionExpired):
        screen.submit("지급 등록", step="register", confirm=True)
    assert screen.logins == 3


def test_attempt_repeats_a_step_after_a_bounced_post(
    finance: RunningSystem, screen: Screen
) -> None:
    screen.backoff_seconds = 0.01
    tries: list[str] = []

    def register() -> str:
        screen.open("/payments/new", step="open_form")
        tries.append(screen.path)
        if len(tries) == 1:  # the session ends while the form is filled in: the post bounces
            screen.fill_form(PAYMENT)
            sandbox_post(finance, "/sessions/expire")
            screen.submit("지급 등록", step="register", confirm=True)
        return screen.path

    assert screen.attempt("register", register) == "/payments/new"
    assert tries == ["/payments/new", "/payments/new"]  # the step ran again from its start
    assert screen.logins == 2  # logged in again when the post bounced
    every = truth(finance, "/payments")
    assert isinstance(every, list)
    assert [p for p in every if p["reference"] == PAYMENT["참조번호"]] == []  # nothing paid


def test_server_errors_are_retried_then_reported_with_the_step(
    finance: RunningSystem, screen: Screen
) -> None:
    screen.backoff_seconds = 0.01
    screen.open("/payments", step="list")
    sandbox_post(finance, "/faults", {"error_rate": 1.0})
    with pytest.raises(TransientPageError):
        screen.open("/payments", step="list")
    with pytest.raises(TargetUnavailable) as spent:
        screen.attempt("list_payments", lambda: screen.open("/payments", step="list"))
    assert spent.value.code == "browser.retries_spent"
    assert spent.value.params == {"system": "finance", "step": "list_payments", "attempts": 3}
    assert "list_payments" in spent.value.message_ko
    sandbox_post(finance, "/faults", {"error_rate": 0.0})
    response = screen.attempt("list", lambda: screen.open("/payments", step="list"))
    assert response is not None
    assert response.status == 200
    assert screen.path == "/payments"


def test_a_system_that_is_down_is_unavailable_not_a_changed_screen(
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
    finance: RunningSystem,
) -> None:
    settings = robot_settings(finance=finance)
    settings = settings.model_copy(update={"system_urls": {"finance": "http://127.0.0.1:9"}})
    screen = open_session(settings).screen("finance")
    screen.backoff_seconds = 0.01
    with pytest.raises(TargetUnavailable):
        screen.attempt("list", lambda: screen.open("/payments", step="list"))


def test_records_and_rows_are_read_by_their_table_names(
    start_system: StartSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> None:
    intake = start_system("intake", seed_size=200)
    screen = open_session(robot_settings(intake=intake)).screen("intake")
    screen.open("/inbox", step="inbox")
    rows = screen.rows("접수 목록")
    assert rows
    number = rows[0]["접수번호"]
    screen.open(f"/applications/{number}", step="detail")
    record = screen.record("신청 정보")
    assert record["접수번호"] == number
    assert screen.has_table("신청인 정보")
    with pytest.raises(ScreenChanged):
        screen.record("없는 표")


def test_screenshots_paint_personal_data_over_before_capture(
    start_system: StartSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> None:
    intake = start_system("intake", seed_size=200)
    screen = open_session(robot_settings(intake=intake)).screen("intake")
    screen.open("/inbox", step="inbox")
    number = screen.rows("접수 목록")[0]["접수번호"]
    screen.open(f"/applications/{number}", step="detail")
    page = screen.page
    # A number typed into a form field is painted over as well.
    page.get_by_label("추가 메모", exact=True).fill("신청인 900101-1234568 확인")
    png = masked_screenshot(page)
    scroll_x, scroll_y = page.evaluate(
        "[window.scrollX, window.scrollY]"
    )  # boxes are in the viewport
    image = Image.open(BytesIO(png)).convert("RGB")

    def centre(locator_box: FloatRect | None) -> tuple[int, int, int]:
        assert locator_box is not None
        x = int(scroll_x + locator_box["x"] + locator_box["width"] / 2)
        y = int(scroll_y + locator_box["y"] + locator_box["height"] / 2)
        pixel = image.getpixel((x, y))
        assert isinstance(pixel, tuple)
        return (int(pixel[0]), int(pixel[1]), int(pixel[2]))

    personal = page.get_by_role("table", name="입금 계좌").locator("td").nth(1)  # 계좌번호
    typed = page.get_by_label("추가 메모", exact=True)
    public = page.get_by_role("table", name="신청 정보").locator("td").first  # 접수번호
    assert centre(personal.bounding_box()) == (0, 0, 0)
    assert centre(typed.bounding_box()) == (0, 0, 0)
    assert centre(public.bounding_box()) != (0, 0, 0)
