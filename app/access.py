"""One way for every web route and API endpoint to load the object it works on.

`load(Model, id, read=…, change=…)`: an object that does not exist, or that the signed-in user may
not read, answers 404 in both cases, so its existence does not leak; one the user may read but not
change answers 403. The predicates are the ones in app.authz, called with (user, object).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, TypeVar

from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.ids import MAX_ID

T = TypeVar("T")


Rule = Callable[[Any, Any], bool]


def fetch(model: type[T], ident: Any, *, options: Iterable = ()) -> T | None:
    """The row with this primary key, or None (also for ids that no integer key can hold)."""
    if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident, options=list(options))


def load(model: type[T], ident: Any, *, read: Rule, change: Rule | None = None, options: Iterable = (),
         missing: str | None = None, user=None) -> T:
    """The object; NotFound (404) when missing or unreadable, Forbidden (403) when readable but `change` refuses."""
    return authorize(fetch(model, ident, options=options), read=read, change=change, missing=missing, user=user)


def authorize(obj: T | None, *, read: Rule, change: Rule | None = None, missing: str | None = None, user=None) -> T:
    """The rule of `load` for an object loaded otherwise (None counts as missing)."""
    user = current_user if user is None else user
    if obj is None or not read(user, obj):
        raise NotFound(missing or _("ไม่พบข้อมูลที่ต้องการ หรือคุณไม่มีสิทธิ์เข้าถึง"))
    if change is not None and not change(user, obj):
        raise Forbidden(_("คุณไม่มีสิทธิ์แก้ไขรายการนี้"))
    return obj


def allowed(rule: Callable[[Any], bool], user=None) -> None:
    """Forbidden (403) unless the user-only rule (e.g. authz.can_manage_plans) allows it."""
    if not rule(current_user if user is None else user):
        raise Forbidden(_("คุณไม่มีสิทธิ์ทำรายการนี้"))
