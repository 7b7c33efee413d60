"""Prachum (ประชุม): meetings, minutes and progress reports for Thai government secretariats."""
from __future__ import annotations

from pathlib import Path

from flask_openapi3 import Info, OpenAPI

from config import Config, config_for_environment

ROOT = Path(__file__).resolve().parent.parent


class Prachum(OpenAPI):
    """The Flask application with the request layer's transaction around every view."""

    def dispatch_request(self):
        """Run the view, then commit once if it succeeded or roll back if not (app.transactions)."""
        from app.transactions import finish_request

        return finish_request(self.make_response(super().dispatch_request()))

    def process_response(self, response):
        """The after_request work and the session's cookie, then the finished answer kept when its view allows
        (app.kept_responses)."""
        from app.kept_responses import keep

        response = super().process_response(response)
        keep(response)
        return response

    def generate_spec_json(self):
        """The OpenAPI document, with every 400 and 422 declared as the error shape the API sends."""
        from app.api.openapi import complete_document

        super().generate_spec_json()
        complete_document(self.spec_json)


def create_app(config: Config | None = None, **overrides) -> OpenAPI:
    """Build the application: configuration, extensions, blueprints, error handlers, CLI."""
    from app.api.errors import validation_error_response
    from app.api.schemas import ErrorResponse

    app = Prachum(
        __name__,
        info=Info(title="Prachum API", version="1"),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
        doc_prefix="/api/v1",
        doc_url="/openapi.json",
        validation_error_status=422,
        validation_error_callback=validation_error_response,
        validation_error_model=ErrorResponse,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or config_for_environment())
    app.config.update(overrides)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    register_converters(app)

    register_responses(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("WARM_UP_SEARCH"):
        warm_up_search()

    return app


def warm_up_search() -> None:
    """PyThaiNLP's dictionary loaded before the first search (app.search.tokens.warm_up)."""
    from app.search.tokens import warm_up

    warm_up()


def register_converters(app: OpenAPI) -> None:
    """<int:…> in every route (web and API) matches only ids a row can have (app.ids): larger ones are 404."""
    from app.ids import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_responses(app: OpenAPI) -> None:
    """Static files fingerprinted and cached for a year, responses compressed (first: its after_request runs last)."""
    from app.responses import init_responses

    init_responses(app)


def register_extensions(app: OpenAPI) -> None:
    """Bind db, migrations, login, CSRF, Babel, Bootstrap, the throttle's storage and the shared cache to the app."""
    from app import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from app.auth.loading import init_login
    from app.caching import init_cache
    from app.extensions import babel, bootstrap, csrf, db, limiter, migrate
    from app.i18n import select_locale, select_timezone
    from app.jobs import init_jobs
    from app.kept_responses import init_kept_responses
    from app.operations import init_operations

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    limiter.init_app(app)
    init_cache(app)
    init_login(app)
    init_jobs(app)
    init_operations(app)
    init_kept_responses(app)


def register_blueprints(app: OpenAPI) -> None:
    """Web areas and the /api/v1 JSON API."""
    from app.actions.routes import bp as actions_bp
    from app.admin.routes import bp as admin_bp
    from app.api import register_api
    from app.auth.routes import bp as auth_bp
    from app.bodies.routes import bp as bodies_bp
    from app.agenda.routes import bp as agenda_bp
    from app.attachments.routes import bp as attachments_bp
    from app.calendar.routes import bp as calendar_bp
    from app.circulations.routes import bp as circulations_bp
    from app.evidence.routes import bp as evidence_bp
    from app.exports.routes import bp as exports_bp
    from app.i18n import bp as i18n_bp
    from app.main.routes import bp as main_bp
    from app.meetings.answers import bp as answers_bp
    from app.meetings.routes import bp as meetings_bp
    from app.meetings import guest_routes  # noqa: F401 (the guests section's routes on meetings_bp)
    from app.minutes.routes import bp as minutes_bp
    from app.notify.routes import bp as notify_bp
    from app.plans.routes import bp as plans_bp
    from app.reports.routes import bp as reports_bp
    from app.search.routes import bp as search_bp
    from app.series.routes import bp as series_bp
    from app.votes.routes import bp as votes_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(meetings_bp, url_prefix="/meetings")
    app.register_blueprint(answers_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(circulations_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(agenda_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(minutes_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(bodies_bp, url_prefix="/bodies")
    app.register_blueprint(search_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(series_bp)
    app.register_blueprint(votes_bp)
    register_api(app)


def register_error_handlers(app: OpenAPI) -> None:
    """JSON errors under /api/, Thai error pages elsewhere; the session is rolled back on 500."""
    from app.errors import init_error_handlers

    init_error_handlers(app)


def register_security_headers(app: OpenAPI) -> None:
    """Content-Security-Policy, framing, referrer, nosniff and (production) HSTS on every response."""
    from app.security import init_security

    init_security(app)


def register_template_helpers(app: OpenAPI) -> None:
    """Date filters, permission predicates and the current locale for Jinja."""
    from app.templating import init_templating

    init_templating(app)


def register_commands(app: OpenAPI) -> None:
    """flask demo …, flask users …"""
    from app.cli import init_cli

    init_cli(app)
