"""The notices of a circulation, sent like every other notice (app.notify.services: e-mail and/or LINE as each
member chose, after the commit): the request with the member's own one-click answer links, the reminder to
those who have not answered (once a day each), and the result."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from app import thaidates
from app.circulations.links import circulation_answer_url, circulation_answer_urls
from app.circulations.models import Circulation
from app.links import absolute_url
from app.notify.services import notify, notify_once
from app.notify.texts import Notice, compose

ANSWER_LINK_WORDS = {"approve": "เห็นชอบ", "reject": "ไม่เห็นชอบ", "comment": "มีความเห็นเพิ่มเติม"}
BUTTON_COLOURS = {"approve": "#198754", "reject": "#dc3545", "comment": "#6c757d"}


def _with_buttons(notice: Notice, urls: dict[str, str]) -> Notice:
    """The notice whose HTML shows each answer line ("เห็นชอบ: <link>") as a large button, easy to press on a phone."""
    html = notice.html
    for answer, url in urls.items():
        word = ANSWER_LINK_WORDS[answer]
        html = html.replace(f"<li>{escape(f'{word}: {url}')}</li>",
                            f'<li style="list-style:none;margin:6px 0"><a href="{escape(url, quote=True)}" '
                            f'style="display:inline-block;padding:10px 18px;border-radius:6px;color:#fff;'
                            f'text-decoration:none;background:{BUTTON_COLOURS[answer]}">{escape(word)}</a></li>')
    return replace(notice, html=html)


def _deadline(circulation: Circulation) -> str:
    return thaidates.thai_datetime(circulation.deadline, "long")


def request_notice(circulation: Circulation, user, *, reminder: bool = False) -> Notice:
    """The request (or its reminder) to one member: the matter, the question, the deadline and the answer links."""
    from app.circulations.services import detail_text

    body = circulation.body
    if reminder:
        subject = f"โปรดตอบขอมติเวียน: {circulation.title}"
        lead = (f"ท่านยังไม่ได้ตอบการขอมติเวียนของ{body.name} เรื่อง {circulation.title} "
                f"กรุณาตอบภายในวันที่ {_deadline(circulation)}")
    else:
        subject = f"ขอมติเวียน: {circulation.title}"
        lead = (f"ฝ่ายเลขานุการ{body.name} ขอมติเวียน เรื่อง {circulation.title} "
                f"กรุณาตอบภายในวันที่ {_deadline(circulation)}")
    urls = circulation_answer_urls(circulation, user)
    details = [f"ประเด็นที่ขอมติ: {circulation.question}",
               *(f"{ANSWER_LINK_WORDS[answer]}: {url}" for answer, url in urls.items())]
    note = None if reminder else (detail_text(circulation) or None)
    return _with_buttons(compose(subject, lead, details, note=note, link=circulation_answer_url(circulation, user),
                                 link_label="ตอบขอมติ (กดลิงก์เดียว ไม่ต้องเข้าสู่ระบบ)"), urls)


def circulation_requested(circulation: Circulation) -> int:
    """Send every member asked the request with their own answer links; how many were reached."""
    return sum(notify([row.user], "circulation.requested", request_notice(circulation, row.user))
               for row in circulation.answers)


def circulation_reminder(circulation: Circulation, user, day: date) -> tuple[int, int]:
    """Remind one member who has not answered, at most once on `day`; (sent, skipped)."""
    return notify_once([user], "circulation.reminder", request_notice(circulation, user, reminder=True),
                       "circulation", circulation.id, day)


def circulation_result(circulation: Circulation) -> int:
    """Tell the members asked the result (outcome and tally)."""
    notice = compose(f"ผลการขอมติเวียน: {circulation.title}",
                     f"การขอมติเวียนของ{circulation.body.name} เรื่อง {circulation.title} ได้ผลดังนี้",
                     [circulation.result["resolution"]],
                     link=absolute_url("circulations.detail", circulation_id=circulation.id),
                     link_label="ดูผลการขอมติเวียน")
    return notify([row.user for row in circulation.answers], "circulation.result", notice)
