"""The staff console's web server (Sanic): sign-in, missed questions, answers, services, publishing.

    python -m console.app          (CONSOLE_HOST, default 127.0.0.1; CONSOLE_PORT, default 8090)

Every page needs a signed-in staff member; every form carries a CSRF token; every change is
written to the audit log with the staff member's name. Nothing a person wrote to the assistant is
logged: the missed questions are masked (tools/review.py) and only shown in the page.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import mimetypes
import re
import secrets
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict

import markdown
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape
from sanic import Sanic, response
from sanic.request import Request

from console import audit, edits, missed
from console.accounts import SignIn, Staff
from console.jobs import Jobs, Step
from console.preview import preview
from console.settings import Settings, load_settings
from tools import paths
from tools.model_store import StoreError, publish_answers, read_state, rollback

HERE = Path(__file__).resolve().parent
COOKIE = "console_session"
PRE_COOKIE = "console_signin"
MAX_BODY = 256 * 1024
SIGNIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# Pictures of the evaluation report that the page may show.
REPORT_FILES = {".png", ".svg"}

logger = logging.getLogger("console")


@dataclass
class Session:
    staff: Staff
    csrf: str
    started: float
    seen: float


def _pages() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    return env


def _check_quietly(root: Path) -> None:
    try:
        edits.current_problems(root)
    except Exception as error:  # noqa: BLE001 (a save checks again and reports it)
        logger.warning("console: the first check failed: %s", type(error).__name__)


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or load_settings()
    app = Sanic(f"staff_console_{secrets.token_hex(4)}")
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.ACCESS_LOG = False  # query strings and forms never reach a log
    app.config.FORWARDED_SECRET = None
    app.ctx.settings = settings
    app.ctx.sessions: Dict[str, Session] = {}
    app.ctx.signin = SignIn(
        settings.staff_file,
        settings.lockout_failures,
        settings.lockout_s,
        settings.signin_per_minute,
    )
    app.ctx.jobs = Jobs(settings.root)
    pages = _pages()
    root = settings.root

    def render(request: Request, name: str, status: int = 200, **values: Any):
        session = request.ctx.session
        html = pages.get_template(name).render(
            staff=session.staff if session else None,
            csrf=session.csrf if session else "",
            path=request.path,
            **values,
        )
        return response.html(html, status=status)

    def who(request: Request) -> str:
        return request.ctx.session.staff.name

    def log(request: Request, what: str, **details: Any) -> None:
        audit.record(settings.audit_file, who(request), what, **details)

    # --- sessions, CSRF and headers -------------------------------------------------------------

    def current_session(request: Request) -> Session | None:
        token = request.cookies.get(COOKIE)
        session = app.ctx.sessions.get(token) if token else None
        now = time.time()
        if session and (
            now - session.seen > settings.session_idle_s
            or now - session.started > settings.session_max_s
        ):
            app.ctx.sessions.pop(token, None)
            session = None
        if session:
            session.seen = now
        return session

    def set_cookie(res, name: str, value: str, max_age: int) -> None:
        res.cookies[name] = value
        res.cookies[name]["httponly"] = True
        res.cookies[name]["samesite"] = "Strict"
        res.cookies[name]["path"] = "/"
        res.cookies[name]["max-age"] = max_age
        if settings.secure_cookie:
            res.cookies[name]["secure"] = True

    @app.on_request
    async def sign_in_first(request: Request):
        request.ctx.session = current_session(request)
        public = request.path in ("/signin", "/health", "/favicon.ico") or request.path.startswith(
            "/static/"
        )
        if request.ctx.session is None and not public:
            if request.method == "GET":
                return response.redirect("/signin")
            return response.text("Sign in first.", status=401)
        if request.method == "POST":
            await request.receive_body()  # the whole form, within REQUEST_MAX_SIZE (413 beyond)
        if request.method == "POST" and request.path != "/signin":
            form = request.form or {}
            sent = form.get("csrf", "") if form else ""
            if not hmac.compare_digest(sent, request.ctx.session.csrf):
                return response.text(
                    "This form is out of date. Go back, reload the page and try again.", status=403
                )
        return None

    @app.on_response
    async def security_headers(request: Request, res):
        for name, value in HEADERS.items():
            res.headers.setdefault(name, value)

    @app.after_server_start
    async def check_once_before_the_first_edit(app: Sanic, loop: asyncio.AbstractEventLoop):
        # The first check imports Rasa and parses every file: done now, not during a save.
        loop.run_in_executor(None, _check_quietly, root)

    @app.exception(Exception)
    async def plain_error(request: Request, error: Exception):
        status = getattr(error, "status_code", 500)
        if status >= 500:
            frame = traceback.extract_tb(error.__traceback__)[-1:]  # where, never the values
            where = f" at {frame[0].filename}:{frame[0].lineno}" if frame else ""
            logger.error("console error: %s%s", type(error).__name__, where)
            return response.text("Something went wrong; nothing was changed.", status=500)
        return response.text(str(getattr(error, "message", "") or "Bad request."), status=status)

    def needs_publisher(handler: Callable[..., Awaitable]):
        async def checked(request: Request, *args, **kwargs):
            if not request.ctx.session.staff.can_publish:
                return render(
                    request,
                    "message.html",
                    status=403,
                    title="Publishers only",
                    message="Only a publisher can publish or roll back. Ask a publisher to do it.",
                )
            return await handler(request, *args, **kwargs)

        checked.__name__ = handler.__name__
        return checked

    # --- static files and health ----------------------------------------------------------------

    app.static("/static", str(HERE / "static"), name="static")

    @app.get("/health")
    async def health(request: Request):
        return response.text("ok")

    @app.get("/favicon.ico")
    async def no_icon(request: Request):
        return response.empty(status=404)

    # --- sign-in --------------------------------------------------------------------------------

    @app.get("/signin")
    async def signin_page(request: Request):
        # The same token for every load (a second tab, the browser's own favicon request).
        sent = request.cookies.get(PRE_COOKIE, "")
        token = sent if SIGNIN_TOKEN.fullmatch(sent) else secrets.token_urlsafe(24)
        res = render(request, "signin.html", signin_token=token, error=None)
        set_cookie(res, PRE_COOKIE, token, 3600)
        return res

    @app.post("/signin")
    async def signin(request: Request):
        form = request.form or {}
        token = request.cookies.get(PRE_COOKIE, "")
        if not token or not hmac.compare_digest(form.get("csrf", ""), token):
            return response.text("This form is out of date. Reload the page.", status=403)
        address = request.remote_addr or request.ip or "?"
        signin_ = app.ctx.signin
        name = (form.get("name") or "").strip()[:40]
        password = (form.get("password") or "")[:1024]
        error, status = None, 200
        if signin_.too_many_from(address):
            error, status = "Too many sign-in attempts. Wait a minute and try again.", 429
        else:
            staff = await asyncio.get_running_loop().run_in_executor(
                None, signin_.check, name, password
            )
            if staff is not None:
                session_token = secrets.token_urlsafe(32)
                now = time.time()
                app.ctx.sessions[session_token] = Session(
                    staff, secrets.token_urlsafe(32), now, now
                )
                audit.record(settings.audit_file, staff.name, "signed in")
                res = response.redirect("/", status=303)
                set_cookie(res, COOKIE, session_token, settings.session_max_s)
                del res.cookies[PRE_COOKIE]
                return res
            if signin_.locked(name):
                error = (
                    "This account is locked after too many failed sign-ins. Try again in "
                    f"{settings.lockout_s // 60} minutes, or ask an administrator."
                )
                status = 429
            else:
                error, status = "The name or the password is wrong.", 401
        new = secrets.token_urlsafe(24)
        res = render(request, "signin.html", status=status, signin_token=new, error=error)
        set_cookie(res, PRE_COOKIE, new, 3600)
        return res

    @app.post("/signout")
    async def signout(request: Request):
        app.ctx.sessions.pop(request.cookies.get(COOKIE), None)
        res = response.redirect("/signin", status=303)
        del res.cookies[COOKIE]
        return res

    # --- home -----------------------------------------------------------------------------------

    @app.get("/")
    async def home(request: Request):
        return render(
            request,
            "home.html",
            state=read_state(root),
            job=app.ctx.jobs.running(),
            changes=audit.recent(settings.audit_file, 10),
        )

    @app.get("/audit")
    async def audit_page(request: Request):
        return render(request, "audit.html", changes=audit.recent(settings.audit_file, 500))

    # --- missed questions -----------------------------------------------------------------------

    @app.get("/missed")
    async def missed_page(request: Request):
        rows, labels = await asyncio.get_running_loop().run_in_executor(None, missed.listing, root)
        return render(request, "missed.html", rows=rows, labels=labels, note=None)

    @app.post("/missed")
    async def missed_file(request: Request):
        form = request.form
        text, label = form.get("text", ""), form.get("label", "")
        if form.get("action") == "dismiss":
            missed.dismiss(root, text)
            log(request, "dismissed a missed question")
            note = "Dismissed: it will not be listed again."
        else:
            result = missed.file_under(root, text, label)
            if result.errors:
                note = " ".join(result.errors)
            else:
                log(request, "added a training example", label=label, files=result.files)
                note = result.message
        rows, labels = missed.listing(root)
        return render(request, "missed.html", rows=rows, labels=labels, note=note)

    # --- answers --------------------------------------------------------------------------------

    @app.get("/answers")
    async def answers_page(request: Request):
        return render(request, "answers.html", answers=edits.answers(root))

    def answer_form(
        request: Request, answer: edits.Answer, text: str, status: int = 200, **values: Any
    ):
        return render(
            request,
            "answer.html",
            status=status,
            answer=answer,
            text=text,
            preview=preview(text, answer.buttons, answer.language),
            **values,
        )

    def chosen_answer(request: Request, values: Any) -> edits.Answer | None:
        """The answer variation a link or form names; None when there is no such one."""
        try:
            return edits.read_answer(
                root, values.get("name", ""), edits.variant_index(values.get("variant"))
            )
        except (KeyError, IndexError, ValueError):
            return None

    def no_such_answer(request: Request):
        return render(
            request,
            "message.html",
            404,
            title="No such answer",
            message="There is no answer or version of an answer with this name. "
            "Go back to Answers and choose one from the list.",
        )

    @app.get("/answer")
    async def answer_page(request: Request):
        answer = chosen_answer(request, request.args)
        if answer is None:
            return no_such_answer(request)
        return answer_form(request, answer, answer.text)

    @app.post("/answer")
    async def answer_save(request: Request):
        form = request.form
        answer = chosen_answer(request, form)
        if answer is None:
            return no_such_answer(request)
        text = edits.one_line_ending(form.get("text", ""))
        if form.get("action") == "preview":
            problems = edits.text_problems(text, "answer")
            return answer_form(request, answer, text, problems=problems, saved=False)
        try:
            await asyncio.get_running_loop().run_in_executor(
                None, edits.save_answer, root, answer.name, text, answer.variant
            )
        except edits.EditRefused as refused:
            return answer_form(request, answer, text, 422, problems=refused.problems, saved=False)
        log(request, "edited an answer", answer=answer.name, version=answer.label)
        saved = edits.read_answer(root, answer.name, answer.variant)
        return answer_form(request, saved, saved.text, saved=True)

    # --- services -------------------------------------------------------------------------------

    @app.get("/services")
    async def services_page(request: Request):
        return render(request, "services.html", services=edits.services(root))

    def service_form(request: Request, entry: Dict, status: int = 200, **values: Any):
        return render(
            request,
            "service.html",
            status=status,
            entry=entry,
            fields=edits.SERVICE_FIELDS,
            statuses=edits.STATUSES,
            **values,
        )

    def form_values(entry: Dict) -> Dict[str, str]:
        values = {}
        for name in edits.SERVICE_FIELDS:
            value = entry.get(name, "")
            values[name] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        return values

    @app.get("/service")
    async def service_page(request: Request):
        service_id = request.args.get("id", "")
        try:
            entry = edits.service(root, service_id)
        except KeyError:
            return render(request, "message.html", 404, title="No such service", message=service_id)
        return service_form(request, entry, values=form_values(entry))

    @app.post("/service")
    async def service_save(request: Request):
        form = request.form
        service_id = form.get("id", "")
        try:
            entry = edits.service(root, service_id)
        except KeyError:
            return render(request, "message.html", 404, title="No such service", message=service_id)
        closing = form.get("action") == "close"
        values = (
            {"status": "closed"}
            if closing
            else {
                name: form.get(name, "")
                for name in edits.SERVICE_FIELDS
                if name in entry or form.get(name, "").strip()  # no empty new fields
            }
        )
        try:
            saved = await asyncio.get_running_loop().run_in_executor(
                None, edits.save_service, root, service_id, values
            )
        except edits.EditRefused as refused:
            shown = {**form_values(entry), **values}
            return service_form(request, entry, 422, values=shown, problems=refused.problems)
        log(request, "closed a service" if closing else "edited a service", service=service_id)
        return service_form(request, saved, values=form_values(saved), saved=True)

    # --- evaluate and publish -------------------------------------------------------------------

    def python(*args: str) -> list:
        return [settings.python, *args]

    def train_steps() -> list:
        from tools.models import newest_trained
        from tools.publish import data_changed_since

        model = newest_trained(root)
        if model is not None and not data_changed_since(root, model):
            return []
        return [
            Step(
                "Train a new model (a few minutes)",
                python("-m", "tools.train", "--quick"),
            ),
            Step(
                "Note the training",
                python("-c", f"open({str(root / paths.TRAINED_STAMP)!r}, 'a').close()"),
            ),
        ]

    def comparison(state: Dict[str, Any]) -> Dict[str, Any] | None:
        """The latest evaluation next to the published model's, when one was evaluated."""
        from tools.evaluate import LATEST, PREVIOUS, saved_result
        from tools.report import METRICS

        latest = saved_result(root, LATEST)
        if latest is None:
            return None
        live = (state.get("current") or {}).get("fingerprint")
        published = next(
            (
                result
                for result in (latest, saved_result(root, PREVIOUS))
                if result and result.get("fingerprint") == live
            ),
            None,
        )
        rows = [
            (name, latest["heldout"].get(key), (published or {}).get("heldout", {}).get(key))
            for key, name in METRICS
        ]
        return {
            "latest": latest,
            "is_live": published is latest,
            "published": published,
            "rows": rows,
            "failures": (latest.get("gate") or {}).get("failures") or [],
        }

    def publish_page(request: Request, status: int = 200, **values: Any):
        from tools.models import newest_trained
        from tools.published_answers import not_live, pending

        state = read_state(root)
        waiting = None
        current = root / paths.PUBLISHED / (state.get("current") or {}).get("file", "-")
        if current.is_file():
            waiting = {
                "replace": not_live(root, root / paths.PUBLISHED, current),
                "need_training": pending(root, current)["need_training"],
            }
        jobs = sorted(app.ctx.jobs.jobs.values(), key=lambda j: j.id, reverse=True)
        return render(
            request,
            "publish.html",
            status=status,
            state=state,
            waiting=waiting,
            newest=newest_trained(root),
            jobs=jobs[:5],
            report=(root / paths.EVALUATION / "report.md").is_file(),
            compared=comparison(state),
            **values,
        )

    @app.get("/publish")
    async def publish_get(request: Request):
        return publish_page(request)

    def start_job(request: Request, title: str, steps: list):
        try:
            job = app.ctx.jobs.start(
                title,
                who(request),
                steps,
                on_done=lambda job: audit.record(
                    settings.audit_file,
                    job.who,
                    f"{job.title}: {'done' if job.passed else 'stopped'}",
                ),
            )
        except RuntimeError:
            return publish_page(
                request, 409, note="Another job is running: wait until it has finished."
            )
        log(request, f"started: {title}")
        return response.redirect(f"/job?id={job.id}", status=303)

    @app.post("/evaluate")
    async def evaluate(request: Request):
        folds = "3" if request.form.get("folds") == "3" else "0"
        steps = [
            *train_steps(),
            Step("Evaluate", python("-m", "tools.evaluate", "--root", str(root), "--folds", folds)),
        ]
        return start_job(request, "Evaluate", steps)

    @app.post("/publish")
    @needs_publisher
    async def publish_full(request: Request):
        steps = [
            Step("Check", python("-m", "tools.check", "--root", str(root))),
            *train_steps(),
            Step("Test and publish", python("-m", "tools.publish", "publish", "--root", str(root))),
        ]
        return start_job(request, "Publish a new model", steps)

    @app.post("/publish-answers")
    @needs_publisher
    async def publish_fast(request: Request):
        problems = await asyncio.get_running_loop().run_in_executor(
            None, edits.current_problems, root
        )
        if problems:
            return publish_page(
                request,
                422,
                note="Not published: the checks found problems.",
                problems=edits.plain_problems(problems),
            )
        try:
            entry = await asyncio.get_running_loop().run_in_executor(
                None, publish_answers, root, f"answers published by {who(request)}"
            )
        except StoreError as error:
            return publish_page(request, 409, note=str(error))
        log(request, "published answers", answers_file=entry.get("answers"))
        return publish_page(
            request, note="Published: the assistant uses the new answers within seconds."
        )

    @app.post("/rollback")
    @needs_publisher
    async def rollback_(request: Request):
        try:
            entry = rollback(root)
        except StoreError as error:
            return publish_page(request, 409, note=str(error))
        log(request, "rolled back", to=entry.get("trained_as"), answers_file=entry.get("answers"))
        return publish_page(
            request,
            note=f"Rolled back: the version before is live again ({entry['trained_as']}).",
        )

    def job_named(request: Request):
        number = request.args.get("id", "")
        return app.ctx.jobs.jobs.get(int(number)) if number.isdigit() else None

    @app.get("/job")
    async def job_page(request: Request):
        job = job_named(request)
        if job is None:
            return render(request, "message.html", 404, title="No such job", message="")
        return render(request, "job.html", job=job)

    @app.get("/job.json")
    async def job_json(request: Request):
        job = job_named(request)
        if job is None:
            return response.json({}, status=404)
        return response.json(job.as_json())

    @app.get("/report")
    async def report(request: Request):
        path = root / paths.EVALUATION / "report.md"
        if not path.is_file():
            return render(
                request, "message.html", 404, title="No report yet", message="Evaluate first."
            )
        # The report is the project's own, but it quotes test questions: no raw HTML passes.
        source = str(escape(path.read_text(encoding="utf-8")))
        html = markdown.markdown(source, extensions=["tables"])
        html = html.replace('src="', 'src="/report/file?name=')
        return render(request, "report.html", html=html)

    @app.get("/report/file")
    async def report_file(request: Request):
        name = request.args.get("name", "")
        folder = (root / paths.EVALUATION).resolve()
        path = (folder / name).resolve()
        if path.parent != folder or path.suffix not in REPORT_FILES or not path.is_file():
            return response.text("Not found.", status=404)
        return await response.file(path, mime_type=mimetypes.guess_type(path.name)[0])

    return app


def main() -> int:
    settings = load_settings()
    if not settings.staff_file.exists():
        print(
            "No staff account yet: create one with "
            "`make staff-user NAME=<name> ROLE=<editor|publisher>`.",
            file=sys.stderr,
        )
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, access_log=False, workers=1, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
