"""Thai dates in the web forms: BE day-first dates with 24-hour time, Western-looking years caught, sane years
only, a start in the past confirmed, the typed text kept, and the same format in the English UI."""
from __future__ import annotations

import html as markup
import re
from datetime import datetime, timedelta, timezone

import pytest

from app import thaidates
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Meeting
from tests.conftest import csrf_from
from tests.functional.test_meetings_web import group, meeting_form, page, secretary  # noqa: F401 (fixtures)


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def post_new(client, group, **overrides):  # noqa: F811
    token = csrf_from(page(client, f"/meetings/new?body={group.id}"))
    return client.post("/meetings/new", data=meeting_form(group, token, **overrides))


def field_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return markup.unescape(value.group(1)) if value else ""


def future(days: int) -> datetime:
    return (datetime.now(thaidates.BANGKOK) + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)


def test_the_secretariat_types_a_be_date_and_gets_26_june_2020_0930_bangkok(client, login, secretary, group):  # noqa: F811
    login(secretary)
    form_page = page(client, f"/meetings/new?body={group.id}")
    start = re.search(r'<input[^>]*name="starts_at"[^>]*>', form_page).group(0)
    assert 'type="text"' in start and 'data-thai-date="datetime"' in start and "วว/ดด/ปปปป ชช.นน" in start
    assert '<label class="form-label" for="starts_at">เริ่ม</label>' in form_page
    response = post_new(client, group, starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00", notify=None)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.starts_at == datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)
    assert meeting.code == "1/2563"
    edit = page(client, f"/meetings/{meeting.id}/edit")
    assert field_value(edit, "starts_at") == "26/06/2563 09.30" and field_value(edit, "ends_at") == "26/06/2563 12.00"


@pytest.mark.parametrize("typed, year, be", [("26/06/2020 09.30", 2020, 2563), ("26/06/1990 09.30", 1990, 2533)])
def test_a_western_year_is_caught_with_both_readings_and_the_text_kept(client, login, secretary, group, outbox,  # noqa: F811
                                                                         typed, year, be):
    login(secretary)
    response = post_new(client, group, starts_at=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"ปี {year} ดูเหมือนปี ค.ศ. หมายถึง พ.ศ. {be} ใช่หรือไม่" in html
    assert field_value(html, "starts_at") == typed  # what was typed stays in the field
    assert count(Meeting) == 0 and count(OutgoingMail) == 0 and not list(outbox.glob("*.eml"))


@pytest.mark.parametrize("typed, message", [
    ("26/06/2700 09.30", "ปี พ.ศ. 2700 อยู่นอกช่วงที่รับได้"), ("26/06/3106 09.30", "ปี พ.ศ. 3106 อยู่นอกช่วงที่รับได้"),
    ("31/02/2563 09.30", "ไม่มีวันที่นี้ในปฏิทิน"), ("26/06/2563", "กรุณาระบุเวลาด้วย"),
    ("26-06-2020 09.30", "ดูเหมือนปี ค.ศ."), ("พรุ่งนี้", "อ่านวันที่ไม่ได้"),
])
def test_insane_or_unreadable_dates_are_refused_by_the_field(client, login, secretary, group, typed, message):  # noqa: F811
    login(secretary)
    response = post_new(client, group, starts_at=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and field_value(html, "starts_at") == typed
    assert "กรุณาระบุวันเวลาเริ่ม" not in html  # the reason, not a bare "required"
    assert count(Meeting) == 0


def test_a_start_in_the_past_asks_for_confirmation_and_unticks_the_mail(client, login, secretary, group, outbox):  # noqa: F811
    login(secretary)
    first = page(client, f"/meetings/new?body={group.id}")
    assert 'name="confirm_past"' not in first  # the box appears only with the message
    asked = post_new(client, group, starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00", confirm_past=None)
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert "วันเวลาเริ่มผ่านมาแล้ว" in html and 'name="confirm_past"' in html
    notify = re.search(r'<input[^>]*name="notify"[^>]*>', html).group(0)
    assert "checked" not in notify  # invitations for a past meeting are not sent unasked
    assert count(Meeting) == 0
    confirmed = post_new(client, group, starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00", confirm_past="y",
                         notify=None)
    assert confirmed.status_code == 302
    assert count(Meeting) == 1 and count(OutgoingMail) == 0


def test_a_future_start_needs_no_confirmation(client, login, secretary, group):  # noqa: F811
    login(secretary)
    start = future(14)
    response = post_new(client, group, starts_at=thaidates.typed_datetime(start),
                        ends_at=thaidates.typed_datetime(start + timedelta(hours=3)), confirm_past=None, notify=None)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert db.session.scalar(db.select(Meeting)).starts_at == start.astimezone(timezone.utc)


def test_editing_a_past_meeting_keeps_its_start_without_asking_but_moving_it_back_asks(client, login, secretary,  # noqa: F811
                                                                                       group):
    login(secretary)
    assert post_new(client, group, starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00").status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    form_page = page(client, f"/meetings/{meeting.id}/edit")
    assert "checked" not in re.search(r'<input[^>]*name="notify"[^>]*>', form_page).group(0)
    data = meeting_form(group, csrf_from(form_page), starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00",
                        venue="ห้องประชุมสุนทรธรรม", confirm_past=None, notify=None, version=meeting.version)
    del data["number"]
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    moved = client.post(f"/meetings/{meeting.id}/edit",
                        data={**data, "starts_at": "25/06/2563 09.30", "version": meeting.version + 1})
    assert moved.status_code == 422 and "วันเวลาเริ่มผ่านมาแล้ว" in moved.get_data(as_text=True)


def test_postponing_into_the_past_needs_the_box(client, login, secretary, group):  # noqa: F811
    login(secretary)
    start = future(7)
    assert post_new(client, group, starts_at=thaidates.typed_datetime(start),
                    ends_at=thaidates.typed_datetime(start + timedelta(hours=2)), notify=None).status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    detail = page(client, f"/meetings/{meeting.id}")
    assert 'name="postpone-confirm_past"' in detail
    token = csrf_from(detail)
    refused = client.post(f"/meetings/{meeting.id}/postpone", data={
        "postpone-csrf_token": token, "postpone-starts_at": "17/09/2563 13.30", "postpone-ends_at": "17/09/2563 16.00"},
        follow_redirects=True)
    assert "วันเวลาเริ่มผ่านมาแล้ว" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == "scheduled"
    later = start + timedelta(days=7)
    moved = client.post(f"/meetings/{meeting.id}/postpone", data={
        "postpone-csrf_token": token, "postpone-starts_at": thaidates.typed_datetime(later),
        "postpone-ends_at": thaidates.typed_datetime(later + timedelta(hours=2)), "confirmed": "1"})
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).starts_at == later.astimezone(timezone.utc)


def test_the_english_ui_takes_the_same_be_format_with_english_labels(client, login, secretary, group):  # noqa: F811
    login(secretary)
    form_page = page(client, f"/meetings/new?body={group.id}&lang=en")
    assert '<label class="form-label" for="starts_at">Starts</label>' in form_page
    response = post_new(client, group, starts_at="26/06/2563 09.30", ends_at="26/06/2563 12.00", notify=None)
    assert response.status_code == 302
    assert db.session.scalar(db.select(Meeting)).starts_at == datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)


def test_round_due_dates_and_audit_filters_take_be_dates(client, login, make_user):
    login(make_user("admin"))
    html = client.get("/admin/audit?date_from=26/06/2020").get_data(as_text=True)
    assert "ดูเหมือนปี ค.ศ. หมายถึง พ.ศ. 2563" in html and field_value(html, "date_from") == "26/06/2020"
    html = client.get("/admin/audit?date_from=26/06/2563").get_data(as_text=True)
    assert field_value(html, "date_from") == "26/06/2563" and "ดูเหมือนปี" not in html
