"""The one-time code that confirms an online attendee's identity, sent like every notice (app.notify.services:
e-mail, and LINE when the account is linked) after the commit."""
from __future__ import annotations

from app import thaidates
from app.links import absolute_url
from app.mail.services import queue_mail
from app.notify.services import notify
from app.notify.texts import addressed, as_html_document, compose

KIND = "meeting.identity_code"


def identity_code_notice(meeting, user, code: str) -> None:
    """Send the code with the meeting's name and page; by e-mail in any case, even when the member turned this
    kind of notice off (the code is asked for, not news)."""
    from app.evidence.services import CODE_LIFETIME

    notice = compose(f"รหัสยืนยันตัวตน {code} สำหรับการประชุมครั้งที่ {meeting.code}",
                     f"รหัสยืนยันตัวตนของท่านสำหรับ{meeting.title} "
                     f"({thaidates.thai_datetime(meeting.starts_at)}) คือ {code}",
                     [f"ใช้ได้ภายใน {int(CODE_LIFETIME.total_seconds() // 60)} นาที และใช้ได้ครั้งเดียว",
                      "หากท่านไม่ได้ขอรหัสนี้ โปรดแจ้งฝ่ายเลขานุการ"],
                     link=absolute_url("meetings.detail", meeting_id=meeting.id),
                     link_label="ใส่รหัสที่หน้าการประชุม")
    if not notify([user], KIND, notice, meeting_id=meeting.id):
        mail = addressed(notice, user.name)
        queue_mail(to_email=user.email, to_name=user.name, subject=mail.subject, body_text=mail.text,
                   body_html=as_html_document(mail), kind=KIND, meeting_id=meeting.id)
