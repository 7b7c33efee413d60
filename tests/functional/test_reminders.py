"""`flask reminders send`: reporters with reports due within N days or late get one e-mail per round per day."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser

from sqlalchemy import func, select

from app.extensions import db
from app.reports.models import ReminderSent, ReportingRound


def mails(outbox) -> list:
    """Every .eml written to the outbox, parsed."""
    if not outbox.exists():
        return []
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def nine_month_round() -> ReportingRound:
    return db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9))


def send(app, *args: str):
    result = app.test_cli_runner().invoke(args=["reminders", "send", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_late_reports_are_reminded_once_per_day(app, demo, outbox):
    # The demo's 9-month round was due 15 Jul 2020; ICT has filed nothing, ONIE misses 2.2, BLA misses 3.4.
    output = send(app, "--today", "2020-07-20")
    assert "queued" in output
    messages = mails(outbox)
    recipients = {m["To"].addresses[0].addr_spec for m in messages}
    assert "reporter.ict@demo.prachum.in.th" in recipients
    assert "reporter.onie@demo.prachum.in.th" in recipients
    assert "reporter.bla@demo.prachum.in.th" in recipients
    assert "reporter.otepc@demo.prachum.in.th" not in recipients  # OTEPC delivered everything
    ict = next(m for m in messages if m["To"].addresses[0].addr_spec == "reporter.ict@demo.prachum.in.th")
    assert "เกินกำหนด" in ict["Subject"]
    body = ict.get_body().get_content()
    assert "1.2" in body and "ศูนย์เทคโนโลยีสารสนเทศ" in body

    count = len(messages)
    send(app, "--today", "2020-07-20")  # the same day again: nothing new
    assert len(mails(outbox)) == count
    send(app, "--today", "2020-07-21")  # the next day: reminded again
    assert len(mails(outbox)) > count


def test_only_rounds_due_within_the_window(app, demo, outbox):
    # Ten days before the due date: a 7-day window reminds nobody, a 10-day window reminds.
    send(app, "--today", "2020-07-05", "--days", "7")
    assert mails(outbox) == []
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0
    send(app, "--today", "2020-07-05", "--days", "10")
    messages = mails(outbox)
    assert messages and all("ใกล้ครบกำหนด" in m["Subject"] for m in messages)


def test_closed_rounds_and_delivered_reports_are_not_reminded(app, demo, outbox):
    round_ = nine_month_round()
    round_.status = "closed"
    db.session.commit()
    send(app, "--today", "2020-07-20")
    assert mails(outbox) == []
