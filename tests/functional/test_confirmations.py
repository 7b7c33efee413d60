"""Confirm before mail or lock: publishing an agenda, accepting a report, cancelling or postponing a meeting,
circulating or certifying minutes first show who will be e-mailed and change nothing; the confirmed POST acts.
The API acts at once."""
from __future__ import annotations

import html as html_lib
import re

from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Meeting
from app.minutes.models import Minutes
from app.reports.models import ProgressReport
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_minutes_web import meetings, save  # noqa: F401 (fixtures)
from tests.functional.test_reports_web import scene, sign_in  # noqa: F401 (fixtures)

MEMBERS = ("นายประธาน ทดสอบ", "นางสาวกรรมการ หนึ่ง", "นายผู้รายงาน สอง")


def mails() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail))


def resend(page: str) -> dict[str, str]:
    """The confirmation form's fields, as the browser would post them."""
    form = re.search(r'<form method="post" action="[^"]*"[^>]*id="confirm-form">(.*?)</form>', page, re.S).group(1)
    return {html_lib.unescape(n): html_lib.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)}


def asked(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="confirm-step"' in page, page[:300]
    return page


def test_publishing_the_agenda_names_the_members_first(client, make_user, login, meetings, group):  # noqa: F811
    first, _second, _item = meetings
    login(make_user("secretariat"))
    url = f"/meetings/{first}/agenda"
    page = asked(client.post(f"{url}/publish", data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True))}))
    assert "จะส่งอีเมลถึง 3 คน" in page and all(name in page for name in MEMBERS)
    assert db.session.get(Meeting, first).agenda_state != "published" and mails() == 0
    done = client.post(f"{url}/publish", data=resend(page))
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, first).agenda_state == "published" and mails() == 3


def test_cancelling_lists_the_invitees_or_says_no_mail(client, make_user, login, meetings, group):  # noqa: F811
    first, _second, _item = meetings
    login(make_user("secretariat"))
    detail = client.get(f"/meetings/{first}").get_data(as_text=True)
    assert not re.search(r'<input[^>]*checked[^>]*name="cancel-notify"|<input[^>]*name="cancel-notify"[^>]*checked',
                         detail)  # a meeting in the past: not ticked
    token = csrf_from(detail)
    quiet = asked(client.post(f"/meetings/{first}/cancel", data={"cancel-csrf_token": token, "cancel-reason": "ติดภารกิจ"}))
    assert 'id="no-recipients"' in quiet
    page = asked(client.post(f"/meetings/{first}/cancel", data={"cancel-csrf_token": token, "cancel-reason": "ติดภารกิจ",
                                                                "cancel-notify": "y"}))
    assert "จะส่งอีเมลถึง 3 คน" in page and all(name in page for name in MEMBERS)
    db.session.expire_all()
    assert db.session.get(Meeting, first).status == "scheduled" and mails() == 0
    fields = resend(page)
    assert fields["cancel-reason"] == "ติดภารกิจ" and fields["confirmed"] == "1" and fields["cancel-csrf_token"]
    assert client.post(f"/meetings/{first}/cancel", data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, first).status == "cancelled" and mails() == 3


def test_a_refused_step_is_not_asked_about(client, make_user, login, meetings):  # noqa: F811
    first, _second, _item = meetings
    login(make_user("secretariat"))
    token = csrf_from(client.get(f"/meetings/{first}").get_data(as_text=True))
    response = client.post(f"/meetings/{first}/postpone", data={
        "postpone-csrf_token": token, "postpone-starts_at": "10/09/2563 09.30", "postpone-ends_at": "10/09/2563 12.00",
        "postpone-confirm_past": "y"}, follow_redirects=True)  # the same time: refused, no confirmation
    assert 'id="confirm-step"' not in response.get_data(as_text=True)


def test_circulating_and_certifying_ask_first(client, make_user, login, meetings):  # noqa: F811
    first, second, item_id = meetings
    login(make_user("secretariat"))
    assert save(client, first, item_id, 0, "<p>สาระ</p>").status_code == 302
    token = csrf_from(client.get(f"/meetings/{first}/minutes").get_data(as_text=True))
    page = asked(client.post(f"/meetings/{first}/minutes/circulate", data={"csrf_token": token}))
    assert all(name in page for name in MEMBERS)
    db.session.expire_all()
    assert db.session.scalar(db.select(Minutes)).state == "draft" and mails() == 0
    assert client.post(f"/meetings/{first}/minutes/circulate", data=resend(page)).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Minutes)).state == "circulated"
    sent = mails()
    token = csrf_from(client.get(f"/meetings/{first}/minutes").get_data(as_text=True))
    page = asked(client.post(f"/meetings/{first}/minutes/certify",
                             data={"csrf_token": token, "at_meeting_id": str(second), "amendments": ""}))
    assert "ล็อก" in page
    db.session.expire_all()
    assert db.session.scalar(db.select(Minutes)).state == "circulated" and mails() == sent
    assert client.post(f"/meetings/{first}/minutes/certify", data=resend(page)).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Minutes)).state == "certified"


def test_accepting_a_report_names_the_units_reporters(client, scene, sign_in):  # noqa: F811
    sign_in("secretariat")
    report = scene.opec_submitted
    html = client.get("/reports/review").get_data(as_text=True)
    page = asked(client.post(f"/reports/{report.id}/accept", data={
        "csrf_token": csrf_from(html), "version": str(report.version), "next_queue": "1"}))
    assert "จะส่งอีเมลถึง" in page or 'id="no-recipients"' in page
    db.session.expire_all()
    assert db.session.get(ProgressReport, report.id).state == "submitted"
    done = client.post(f"/reports/{report.id}/accept", data=resend(page))
    assert done.status_code == 302 and done.headers["Location"].endswith("/reports/review")
    db.session.expire_all()
    assert db.session.get(ProgressReport, report.id).state == "accepted"


def test_the_api_acts_at_once(client, staff, group):  # noqa: F811
    meeting = schedule(client, staff, group.id, notify=False).get_json()
    response = client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=staff, json={"notify": False})
    assert response.status_code == 200
    assert db.session.get(Meeting, meeting["id"]).agenda_state == "published"
