"""Sign in, sign out and the profile page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.audit.services import record
from app.auth import services
from app.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from app.dbtypes import utcnow
from app.errors import Invalid
from app.extensions import db

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
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("อีเมลหรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกระงับ"))
        else:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            record("user.login", user, user.email, user=user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    from app.demo import DEMO_ACCOUNTS

    return render_template("auth/login.html", form=form, demo_accounts=DEMO_ACCOUNTS)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Sign out and return to the sign-in page."""
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
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
                services.set_password(current_user, password_form.new_password.data)
            except Invalid as error:
                password_form.new_password.errors.append(error.fields.get("password", error.message))
            else:
                db.session.commit()
                flash(_("เปลี่ยนรหัสผ่านแล้ว"), "success")
                return redirect(url_for("auth.profile"))
    elif language_form.submit_language.data and language_form.validate_on_submit():
        services.set_locale(current_user, language_form.locale.data or None)
        session.pop("lang", None)
        db.session.commit()
        flash(_("บันทึกภาษาแล้ว"), "success")
        return redirect(url_for("auth.profile"))
    from app.calendar.feeds import feed_url_for, webcal_url

    feed_url = feed_url_for(current_user, external=True)
    db.session.commit()
    return render_template("auth/profile.html", password_form=password_form, language_form=language_form,
                           feed_url=feed_url, webcal_url=webcal_url(feed_url) if feed_url else None)
