"""The words of every notice, in Thai: plain values in, a subject, a plain text and an HTML body out.

Pure (no Flask, no database): the caller passes names, titles, dates already written the Thai way and the
absolute link. Every value is escaped in the HTML. The same text (with its link) goes by e-mail and LINE;
the e-mail adds the greeting (`addressed`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape
from typing import Sequence

SUBJECT_MAX = 500
SIGNATURE = "ฝ่ายเลขานุการ"


@dataclass(frozen=True)
class Notice:
    """One notice: the e-mail subject, the plain text, the HTML body and the one link it carries."""

    subject: str
    text: str
    html: str
    link: str


def compose(subject: str, lead: str, details: Sequence[str] = (), *, link: str, link_label: str,
            note: str | None = None) -> Notice:
    """A notice: a lead sentence, optional detail lines (a list), an optional note, the link, the signature."""
    lines = [lead]
    if details:
        lines += ["", *(f"- {d}" for d in details)]
    if note:
        lines += ["", note]
    lines += ["", f"{link_label}: {link}", "", SIGNATURE]
    parts = [f"<p>{escape(lead)}</p>"]
    if details:
        parts.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in details) + "</ul>")
    if note:
        parts.append("<p>" + escape(note).replace("\n", "<br>") + "</p>")
    parts.append(f'<p><a href="{escape(link, quote=True)}">{escape(link_label)}</a></p>')
    parts.append(f"<p>{escape(SIGNATURE)}</p>")
    return Notice(subject=subject[:SUBJECT_MAX], text="\n".join(lines), html="\n".join(parts), link=link)


def addressed(notice: Notice, name: str) -> Notice:
    """The notice with the greeting เรียน <name> before it (e-mail)."""
    return replace(notice, text=f"เรียน {name}\n\n{notice.text}",
                   html=f"<p>เรียน {escape(name)}</p>\n{notice.html}")


def as_html_document(notice: Notice) -> str:
    """The HTML body as a whole document (the e-mail's text/html part)."""
    return ('<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
            f"<title>{escape(notice.subject)}</title></head>\n"
            '<body style="font-family: \'TH Sarabun New\', Tahoma, sans-serif; font-size: 16px">\n'
            f"{notice.html}\n</body></html>\n")


def line_text(notice: Notice, limit: int = 5000) -> str:
    """The LINE message: the plain text (a LINE text message holds 5,000 characters), the link kept."""
    text = notice.text if notice.link in notice.text else f"{notice.text}\n{notice.link}"
    if len(text) <= limit:
        return text
    tail = f"\n…\n{notice.link}"
    return text[:limit - len(tail)] + tail


# --- meetings --------------------------------------------------------------------------------------

def agenda_published(meeting_title: str, when: str, venue: str | None,
                     sections: Sequence[tuple[str, str, Sequence[tuple[str, str]]]], link: str,
                     for_guest: bool = False) -> Notice:
    """The agenda of a meeting is published: sections (number, title, items (number, title)); a guest's link is
    their answer page (they have no account to read the agenda page with)."""
    details = []
    for number, title, items in sections:
        details.append(f"ระเบียบวาระที่ {number} {title}")
        details += [f"    {n} {t}" for n, t in items]
    where = f" ณ {venue}" if venue else ""
    return compose(f"ระเบียบวาระการประชุม: {meeting_title}",
                   f"ฝ่ายเลขานุการเผยแพร่ระเบียบวาระ{meeting_title} วันที่ {when}{where} แล้ว", details,
                   link=link, link_label="ตอบรับการประชุม" if for_guest else "อ่านระเบียบวาระ")


def invitation_unanswered(meeting_title: str, when: str, venue: str | None, link: str) -> Notice:
    """A member has not yet answered the invitation to a meeting."""
    where = f" ณ {venue}" if venue else ""
    return compose(f"โปรดตอบรับการประชุม: {meeting_title}",
                   f"ท่านยังไม่ได้ตอบรับ{meeting_title} วันที่ {when}{where} "
                   "กรุณาแจ้งว่าจะเข้าร่วม ไม่เข้าร่วม หรือมอบผู้แทน", link=link, link_label="ตอบรับการประชุม")


def minutes_circulated(meeting_title: str, meeting_code: str, comment_deadline: str | None, link: str) -> Notice:
    """Draft minutes are circulated to the members for comment (until the deadline, if any)."""
    until = f" ภายในวันที่ {comment_deadline}" if comment_deadline else ""
    return compose(f"เวียนรายงานการประชุมครั้งที่ {meeting_code} เพื่อพิจารณา",
                   f"ฝ่ายเลขานุการเวียนร่างรายงาน{meeting_title} (ครั้งที่ {meeting_code}) "
                   f"ให้กรรมการพิจารณา หากมีข้อแก้ไขกรุณาแสดงความเห็น{until}",
                   link=link, link_label="อ่านและแสดงความเห็น")


def minutes_certified(meeting_title: str, meeting_code: str, at_meeting_code: str, phrase: str, link: str) -> Notice:
    """Minutes were certified at a later meeting, with or without amendments."""
    return compose(f"รับรองรายงานการประชุมครั้งที่ {meeting_code} แล้ว",
                   f"ที่ประชุมครั้งที่ {at_meeting_code} รับรองรายงาน{meeting_title} (ครั้งที่ {meeting_code}) "
                   f"{phrase}", link=link, link_label="อ่านรายงานการประชุม")


# --- assigned actions ------------------------------------------------------------------------------

def action_assigned(unit_name: str, description: str, meeting_title: str, due: str | None, link: str) -> Notice:
    """The meeting assigned an action to the unit."""
    details = [description] + ([f"กำหนดเสร็จ {due}"] if due else [])
    return compose(f"งานที่ได้รับมอบหมาย: {unit_name}",
                   f"{meeting_title} มอบหมายให้{unit_name}ดำเนินการ", details,
                   link=link, link_label="ติดตามงาน")


def action_due(unit_name: str, description: str, due: str, days_left: int, link: str) -> Notice:
    """An assigned action is due in `days_left` days."""
    return compose(f"งานที่ได้รับมอบหมายครบกำหนดในอีก {days_left} วัน",
                   f"งานที่มอบหมายให้{unit_name}จะครบกำหนดวันที่ {due} (อีก {days_left} วัน)", [description],
                   link=link, link_label="ติดตามงาน")


def action_overdue(unit_name: str, description: str, due: str, link: str) -> Notice:
    """An assigned action is still open after its due date."""
    return compose("งานที่ได้รับมอบหมายเกินกำหนด",
                   f"งานที่มอบหมายให้{unit_name}เลยกำหนดวันที่ {due} แล้ว และยังไม่ได้ปิดงาน", [description],
                   link=link, link_label="ติดตามงาน")


def action_done(unit_name: str, description: str, note: str | None, link: str) -> Notice:
    """The owner unit marked an assigned action done: the secretariat confirms closing it."""
    return compose(f"{unit_name}แจ้งว่างานที่ได้รับมอบหมายแล้วเสร็จ",
                   f"{unit_name}แจ้งว่าดำเนินการงานที่ได้รับมอบหมายแล้วเสร็จ รอฝ่ายเลขานุการยืนยันการปิดงาน",
                   [description], note=note, link=link, link_label="ยืนยันการปิดงาน")


# --- progress reports and rounds -------------------------------------------------------------------

def report_submitted(unit_name: str, report_title: str, resubmitted: bool, link: str) -> Notice:
    """A unit sent a report (or a corrected one) to the secretariat for review."""
    verb = "ส่งรายงานที่แก้ไขแล้ว" if resubmitted else "ส่งรายงาน"
    return compose(f"{unit_name}{verb} {report_title}", f"{unit_name}{verb} {report_title} รอฝ่ายเลขานุการตรวจ",
                   link=link, link_label="ตรวจรายงาน")


def report_returned(report_title: str, comment: str, link: str) -> Notice:
    """The secretariat returned a report with a comment."""
    return compose(f"รายงาน {report_title} ถูกส่งกลับให้แก้ไข",
                   f"ฝ่ายเลขานุการส่งรายงาน {report_title} กลับให้แก้ไข:", note=comment,
                   link=link, link_label="แก้ไขรายงาน")


def report_accepted(report_title: str, link: str) -> Notice:
    """The secretariat accepted a report."""
    return compose(f"ฝ่ายเลขานุการรับรายงาน {report_title} แล้ว",
                   f"ฝ่ายเลขานุการรับรายงาน {report_title} แล้ว รายงานนี้ไม่เปิดให้แก้ไขอีก",
                   link=link, link_label="อ่านรายงาน")


def round_opened(round_label: str, plan_title: str, due: str, link: str) -> Notice:
    """A reporting round was opened."""
    return compose(f"เปิด{round_label}", f"ฝ่ายเลขานุการเปิด{round_label} ของ{plan_title} "
                   f"กรุณาส่งรายงานภายในวันที่ {due}", link=link, link_label="รายงานของหน่วยงาน")


def round_reminder(unit_name: str, round_label: str, plan_title: str, due: str, late: bool,
                   missing: Sequence[str], link: str) -> Notice:
    """A unit still owes reports of a round: due soon, or late."""
    subject = f"เกินกำหนดส่งรายงาน {round_label}" if late else f"ใกล้ครบกำหนดส่งรายงาน {round_label}"
    return compose(subject, f"{unit_name} ยังไม่ได้ส่งรายงาน {round_label} ของ{plan_title} "
                   f"(ครบกำหนด {due}) {len(missing)} เรื่อง:", missing, link=link, link_label="ส่งรายงาน")
