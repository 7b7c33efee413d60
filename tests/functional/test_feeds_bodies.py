"""A renamed body changes its meetings' SUMMARY, so the ETag of every feed holding them; a feed's text is put
together from each meeting's kept VEVENT text, and is the same as writing the calendar whole."""
from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from app.calendar import texts
from app.calendar.selection import REFRESH
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.services import meeting_event
from tests.functional.test_feeds_follow import feed_path, parsed, unfolded, world  # noqa: F401


def test_renaming_a_body_changes_the_summary_and_the_etag_of_the_feeds(app, client, world, token_for,  # noqa: F811
                                                                        make_user):
    member, committee = world["member"], world["committee"]
    personal = feed_path(client, member, token_for)
    body_feed = f"{personal[:-4]}/bodies/{committee.id}.ics"
    anonymous = app.test_client()
    etags = {path: anonymous.get(path).headers["ETag"] for path in (personal, body_feed)}
    admin = token_for(make_user("admin"))
    renamed = client.patch(f"/api/v1/bodies/{committee.id}", json={"short_name": "คกก.นโยบายใหม่"}, headers=admin)
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    for path, etag in etags.items():
        after = anonymous.get(path, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["ETag"] != etag, path
        event = parsed(after)[world["m_committee"].uid]
        assert str(event["SUMMARY"]) == f"ครั้งที่ {world['m_committee'].code} คกก.นโยบายใหม่"
        assert anonymous.get(path, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304
    # the full name, when there is no short name
    client.patch(f"/api/v1/bodies/{committee.id}", json={"name": "คณะกรรมการนโยบายแห่งชาติ", "short_name": None},
                 headers=admin)
    event = parsed(anonymous.get(personal))[world["m_committee"].uid]
    assert str(event["SUMMARY"]).endswith(" คณะกรรมการนโยบายแห่งชาติ")


def test_renaming_a_body_outside_the_feed_keeps_its_etag(app, client, world, token_for, make_user,  # noqa: F811
                                                         make_body):
    personal = feed_path(client, world["member"], token_for)
    etag = app.test_client().get(personal).headers["ETag"]
    other = make_body("คณะที่ไม่เกี่ยวข้อง")
    db.session.commit()
    client.patch(f"/api/v1/bodies/{other.id}", json={"short_name": "คณะอื่น"}, headers=token_for(make_user("admin")))
    assert app.test_client().get(personal, headers={"If-None-Match": etag}).status_code == 304


def test_the_feed_from_kept_texts_is_the_calendar_written_whole(app, client, world, token_for):  # noqa: F811
    from app import ical

    path = feed_path(client, world["member"], token_for)
    first = app.test_client().get(path).data
    again = app.test_client().get(path + "?x=1").data  # every event's text now kept
    assert again == first
    meetings = sorted(db.session.scalars(select(Meeting).where(Meeting.id.in_(
        [world["m_committee"].id, world["m_chaired"].id]))), key=lambda m: (m.starts_at, m.id))
    with app.test_request_context(path):
        whole = b"".join([ical.calendar_head(method="PUBLISH", name=f"ประชุม — {world['member'].name}",
                                             refresh=REFRESH)]
                         + [ical.event_text(meeting_event(m, reminder_minutes=world["member"].calendar_reminder_minutes), stamp=m.updated_at,
                                            method="PUBLISH") for m in meetings] + [ical.CALENDAR_END])
    assert unfolded(first) == unfolded(whole)
    assert len(Calendar.from_ical(first).walk("VEVENT")) == 2
    assert sum(len(table) for table in texts.event_texts().tables.values()) >= 2
