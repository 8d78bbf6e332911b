"""The factory every sandbox system is built with: sessions, log-in, CSRF, faults, truth.

A system describes itself with a :class:`SystemSpec` (name, Korean title, routers, tables,
ground truth, seed) and :func:`create_system_app` adds what all of them share.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Header, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import MetaData, select
from starlette.responses import Response

from civicrpa.sandbox.common.config import FaultConfig, SystemConfig
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.faults import FaultInjector
from civicrpa.sandbox.common.forms import message
from civicrpa.sandbox.common.sessions import Session, SessionStore, verify_password
from civicrpa.sandbox.common.web import make_templates, render


@dataclass(frozen=True, kw_only=True)
class SystemSpec:
    """What makes one system: its name, screens, tables and ground truth."""

    name: str
    title_ko: str
    templates: Path
    metadata: MetaData
    routers: tuple[APIRouter, ...]
    #: JSON for tests under ``/__sandbox/truth`` (token required): what the system holds, and
    #: for the registry one event a test can make happen; robots never use it.
    truth: APIRouter
    #: Where a user lands after logging in.
    home: str = "/"
    #: Fills an empty database: ``seed(db, size)``.
    seed: Callable[[SandboxDatabase, int], None] | None = None
    #: Sets up what the system keeps in memory on ``app.state``.
    setup: Callable[[FastAPI], None] | None = None


def _cookie(request: Request) -> str:
    return f"sandbox_{request.app.state.spec.name}_sid"


def session_of(request: Request) -> Session:
    """The browser's session, created on first sight (log-in forms need a CSRF token too)."""
    store: SessionStore = request.app.state.sessions
    session = store.get(request.cookies.get(_cookie(request)))
    if session is None:
        session = store.new()
        request.state.new_session = session.token
    request.state.session = session
    return session


def current_user(request: Request) -> Session:
    """Dependency: a logged-in session, or a redirect to the log-in screen."""
    had_cookie = _cookie(request) in request.cookies
    session = session_of(request)
    if session.user is None:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        expired = "&expired=1" if had_cookie and getattr(request.state, "new_session", None) else ""
        raise HTTPException(303, headers={"Location": f"/login?next={target}{expired}"})
    return session


async def csrf_protect(request: Request) -> None:
    """Dependency for every POST: the form's ``csrf_token`` must match the session's.

    A post from a browser whose session expired meanwhile is sent to the log-in screen with
    the expiry notice (the robot logs in again); any other mismatch is refused with 403.
    """
    had_cookie = _cookie(request) in request.cookies
    form = await request.form()
    session = session_of(request)
    sent = str(form.get("csrf_token", ""))
    if sent and hmac.compare_digest(sent, session.csrf):
        return
    await form.close()  # uploaded temporary files of a refused post
    if had_cookie and getattr(request.state, "new_session", None):
        referer = request.headers.get("referer", "")
        path = "/" + referer.split("://", 1)[-1].split("/", 1)[-1] if referer else "/"
        raise HTTPException(303, headers={"Location": f"/login?next={quote(path)}&expired=1"})
    raise HTTPException(403, detail="csrf")


LoggedIn = Annotated[Session, Depends(current_user)]
CsrfChecked = Depends(csrf_protect)


def _require_token(request: Request, token: str | None) -> None:
    expected = request.app.state.config.truth_token
    if token is None or not hmac.compare_digest(token, expected):
        raise HTTPException(404)


def _shared_router() -> APIRouter:
    router = APIRouter()

    @router.get("/login")
    def login_form(request: Request, next: str = "/", expired: int = 0) -> Response:
        session = session_of(request)
        return render(
            request, "login.html", {"next": next, "expired": bool(expired), "user": session.user}
        )

    @router.post("/login", dependencies=[CsrfChecked])
    def login(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        session = session_of(request)
        users = request.app.state.users
        with request.app.state.db.session() as db:
            row = db.execute(select(users).where(users.c.username == username.strip())).first()
        if row is None or not verify_password(password, row.password_hash):
            return render(
                request,
                "login.html",
                {"next": next, "error": message("login_failed")},
                status=401,
            )
        store: SessionStore = request.app.state.sessions
        store.drop(session.token)  # a new session id at log-in (no session fixation)
        fresh = store.new()
        fresh.user, fresh.display_name = row.username, row.display_name
        safe_next = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(safe_next or request.app.state.spec.home, status_code=303)
        response.set_cookie(_cookie(request), fresh.token, httponly=True, samesite="lax")
        return response

    @router.post("/logout", dependencies=[CsrfChecked])
    def logout(request: Request) -> Response:
        request.app.state.sessions.drop(session_of(request).token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(_cookie(request))
        return response

    @router.post("/__sandbox/faults")
    def set_faults(
        request: Request,
        body: dict[str, Any],
        x_sandbox_token: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        _require_token(request, x_sandbox_token)
        config = FaultConfig(**body)
        request.app.state.faults.configure(config)
        return {"ok": True}

    @router.post("/__sandbox/sessions/expire")
    def expire_sessions(
        request: Request, x_sandbox_token: Annotated[str | None, Header()] = None
    ) -> dict[str, int]:
        _require_token(request, x_sandbox_token)
        return {"expired": request.app.state.sessions.expire_all()}

    return router


def create_system_app(spec: SystemSpec, config: SystemConfig) -> FastAPI:
    """A running system: its screens plus log-in, sessions, CSRF, faults and ground truth."""
    app = FastAPI(title=spec.title_ko, docs_url=None, redoc_url=None, openapi_url=None)
    from civicrpa.sandbox.common.db import users_table

    users = spec.metadata.tables.get("users")
    if users is None:
        users = users_table(spec.metadata)
    app.state.spec = spec
    app.state.config = config
    app.state.users = users
    app.state.db = SandboxDatabase(config.database_path(spec.name), spec.metadata)
    app.state.sessions = SessionStore(config.session_minutes)
    app.state.faults = FaultInjector(config.faults)
    app.state.templates = make_templates(spec.templates)
    if spec.setup is not None:
        spec.setup(app)

    def render_fault(request: Request, status: int) -> Response:
        template = "maintenance.html" if status == 503 else "error.html"
        return render(request, template, {"status": status}, status=status)

    @app.middleware("http")
    async def faults_and_cookies(request: Request, call_next: Any) -> Response:
        response: Response = await app.state.faults(request, call_next, render_fault)
        token = getattr(request.state, "new_session", None)
        if token is not None and "set-cookie" not in response.headers:
            response.set_cookie(_cookie(request), token, httponly=True, samesite="lax")
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in (301, 302, 303, 307) and exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
        if request.url.path.startswith("/__sandbox/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        session_of(request)
        template = "forbidden.html" if exc.status_code == 403 else "error.html"
        return render(request, template, {"status": exc.status_code}, status=exc.status_code)

    app.include_router(_shared_router())
    truth = APIRouter(prefix="/__sandbox/truth")

    def truth_guard(
        request: Request, x_sandbox_token: Annotated[str | None, Header()] = None
    ) -> None:
        _require_token(request, x_sandbox_token)

    truth.include_router(spec.truth, dependencies=[Depends(truth_guard)])
    app.include_router(truth)
    for router in spec.routers:
        app.include_router(router)
    return app
