"""Thai dates in the hand-written forms: minutes times and action due dates, the comment deadline, the days of
a workshop. They take "26/06/2563" and "09.30", show them back that way, and explain a Western-looking year."""
from __future__ import annotations

from datetime import date, time, timedelta

from app import thaidates
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import ActionItem, Minutes
from tests.conftest import csrf_from
from tests.functional.test_feeds_follow import obec_workshop
from tests.functional.test_meetings_api import group, staff  # noqa: F401 (fixtures)
from tests.functional.test_minutes_web import meetings, save  # noqa: F401 (fixtures)


def test_minutes_take_thai_times_and_be_due_dates_and_show_them_back(client, make_user, login, meetings,  # noqa: F811
                                                                     make_unit):
    first, _second, item_id = meetings
    unit = make_unit("PSDG", "กลุ่มพัฒนาระบบบริหาร")
    login(make_user("secretariat"))
    response = save(client, first, item_id, 0, "<p>หารือ</p>", opened_at="09.30", closed_at="๑๒.๑๕", **{
        f"item-{item_id}-action-owner": str(unit.id), f"item-{item_id}-action-description": "สรุปผล",
        f"item-{item_id}-action-due": "15/10/2563"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    minutes = db.session.scalar(db.select(Minutes))
    assert (minutes.opened_at, minutes.closed_at) == (time(9, 30), time(12, 15))
    assert db.session.scalar(db.select(ActionItem)).due_date == date(2020, 10, 15)
    html = client.get(f"/meetings/{first}/minutes").get_data(as_text=True)
    assert 'value="09.30"' in html and 'value="12.15"' in html and 'value="15/10/2563"' in html
    assert 'data-thai-date="date"' in html and 'type="date"' not in html and 'type="time"' not in html


def test_a_bad_minutes_time_is_refused_and_kept(client, make_user, login, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    response = save(client, first, item_id, 0, "<p>หารือ</p>", opened_at="25.99")
    assert response.status_code == 422
    assert 'value="25.99"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Minutes)) is None


def test_the_comment_deadline_is_a_be_date_and_a_western_year_is_explained(client, make_user, login, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    assert save(client, first, item_id, 0, "<p>หารือ</p>").status_code == 302
    url = f"/meetings/{first}/minutes/circulate"
    token = csrf_from(client.get(f"/meetings/{first}/minutes").get_data(as_text=True))
    deadline = thaidates.today_bangkok() + timedelta(days=10)
    western = f"{deadline.day:02d}/{deadline.month:02d}/{deadline.year}"
    refused = client.post(url, data={"csrf_token": token, "comment_deadline": western, "confirmed": "1"},
                          follow_redirects=True)
    assert f"ดูเหมือนปี ค.ศ. หมายถึง พ.ศ. {deadline.year + 543}" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(Minutes)).state == "draft"
    client.post(url, data={"csrf_token": token, "comment_deadline": thaidates.typed_date(deadline), "confirmed": "1"})
    db.session.expire_all()
    minutes = db.session.scalar(db.select(Minutes))
    assert (minutes.state, minutes.comment_deadline) == ("circulated", deadline)


def test_the_days_of_a_workshop_take_thai_times(client, demo, make_user, login):
    workshop = obec_workshop()
    login(make_user("secretariat"))
    page = client.get(f"/meetings/{workshop.id}/edit").get_data(as_text=True)
    assert 'value="09.00"' in page or 'value="08.30"' in page  # hours shown the Thai way
    response = client.post(f"/meetings/{workshop.id}/days", data={
        "csrf_token": csrf_from(page), "date": ["2023-03-29", "2023-03-30", "2023-03-31"],
        "starts_at": ["08.30", "8:30", "๐๙.๐๐"], "ends_at": ["16.30", "16.30", "12.00 น."],
        "venue": ["", "", ""], "online_url": ["", "", ""]})
    assert response.status_code == 302
    db.session.expire_all()
    days = db.session.get(Meeting, workshop.id).days
    assert [d.starts_at.astimezone(thaidates.BANGKOK).strftime("%H.%M") for d in days] == ["08.30", "08.30", "09.00"]
    assert 'value="12.00"' in client.get(f"/meetings/{workshop.id}/edit").get_data(as_text=True)
