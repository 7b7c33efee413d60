"""Sign in, sign out and the profile page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import access, authz
from app.auth import services
from app.auth.forms import LanguageForm, LoginForm, PasswordChangeForm, TokenCreateForm
from app.auth.models import ApiToken
from app.errors import Invalid
from app.transactions import discard
from app.webactions import refuse, require_csrf

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Follow `next` only to a path on this site (no scheme, no host, no //, no backslash)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; inactive users and wrong passwords get the same message."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.attempt_sign_in(form.email.data, form.password.data, request.remote_addr)
        except services.SignInThrottled as refusal:
            return login_page(form, throttled=refusal.message), 429, {"Retry-After": str(refusal.retry_after)}
        if user is None:
            form.password.errors.append(_("อีเมลหรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกระงับ"))
        else:
            remember = bool(form.remember.data)
            services.sign_in(user, remember=remember)
            fresh_session()
            login_user(user, remember=remember)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return login_page(form)


def login_page(form: LoginForm, throttled: str | None = None) -> str:
    """The sign-in form (what was typed in the e-mail field kept), with the throttling message if any."""
    from app.demo import DEMO_ACCOUNTS

    return render_template("auth/login.html", form=form, demo_accounts=DEMO_ACCOUNTS, throttled=throttled)


def fresh_session() -> None:
    """Start the cookie session anew (only the chosen language kept), at sign-in and sign-out."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Sign out: this sign-in ends on the server (copies of its cookies stop working), the remember-me
    cookie is deleted, and the sign-in page follows."""
    if current_user.is_authenticated:
        services.sign_out(current_user)
    fresh_session()
    logout_user()  # after fresh_session: it marks the remember-me cookie for deletion in the session
    flash(_("ออกจากระบบแล้ว"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Change one's own password and language."""
    password_form = PasswordChangeForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", locale=current_user.locale or "")
    if password_form.submit.data and password_form.validate_on_submit():
        if not current_user.check_password(password_form.current_password.data):
            password_form.current_password.errors.append(_("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
        else:
            try:
                user = current_user._get_current_object()
                remember = services.change_own_password(user, password_form.new_password.data)
            except Invalid as error:
                discard()
                password_form.new_password.errors.append(error.fields.get("password", error.message))
            else:
                if user.login_key:  # this browser goes on under its new sign-in; every other one has ended
                    login_user(user, remember=remember)
                flash(_("เปลี่ยนรหัสผ่านแล้ว ผู้ที่เข้าสู่ระบบด้วยบัญชีนี้จากที่อื่นต้องเข้าสู่ระบบใหม่"), "success")
                return redirect(url_for("auth.profile"))
    elif language_form.submit_language.data and language_form.validate_on_submit():
        services.set_locale(current_user, language_form.locale.data or None)
        session.pop("lang", None)
        flash(_("บันทึกภาษาแล้ว"), "success")
        return redirect(url_for("auth.profile"))
    return profile_page(password_form=password_form, language_form=language_form)


def profile_page(*, password_form: PasswordChangeForm | None = None, language_form: LanguageForm | None = None,
                 token_form: TokenCreateForm | None = None, new_token: str | None = None,
                 line_code: str | None = None):
    """The profile page: password, language, calendar feed, API tokens (a new token shown this once),
    notices and LINE (a new link code shown this once)."""
    from app.calendar.feeds import feed_url_for, webcal_url

    feed_url = feed_url_for(current_user, external=True)
    return render_template(
        "auth/profile.html",
        password_form=password_form or PasswordChangeForm(prefix="pw", formdata=None),
        language_form=language_form or LanguageForm(prefix="lang", formdata=None, locale=current_user.locale or ""),
        token_form=token_form or TokenCreateForm(prefix="token", formdata=None),
        tokens=services.tokens_of(current_user), new_token=new_token,
        feed_url=feed_url, webcal_url=webcal_url(feed_url) if feed_url else None, line_code=line_code,
    )


@bp.post("/profile/tokens")
@login_required
def create_token():
    """Create an API token for oneself; the token is shown on this page only, once."""
    form = TokenCreateForm(prefix="token")
    if not form.validate_on_submit():
        return profile_page(token_form=form), 422
    try:
        _token, secret = services.create_token(current_user, form.name.data,
                                               int(form.days.data) if form.days.data else None)
    except Invalid as error:
        status = refuse(form, error)
        return profile_page(token_form=form), status
    flash(_("สร้างโทเคนแล้ว คัดลอกเก็บไว้ตอนนี้ ระบบจะไม่แสดงอีก"), "success")
    return profile_page(new_token=secret)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own API tokens."""
    require_csrf()
    token = access.load(ApiToken, token_id, read=authz.is_token_owner)
    services.revoke_token(token)
    flash(_("ยกเลิกโทเคน %(name)s แล้ว", name=token.name), "success")
    return redirect(url_for("auth.profile", _anchor="api-tokens"))
