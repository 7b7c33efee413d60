"""Quorum and votes on the web, per role: the attendance page's quorum, the body form's rule, the meeting's votes
page (opening a vote), one vote's page (big buttons, hand votes, closing, the casting vote), and who may see what."""
from __future__ import annotations

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.votes.models import SecretBallot, Vote, VoteVoter
from tests.conftest import csrf_from
from tests.functional.test_votes_api import ABSTAIN, APPROVE, REJECT, attend, open_vote, wg  # noqa: F401

ROLES = ("admin", "secretariat", "member", "reporter", "viewer")


def signed_in(app, login, user):
    """A client of its own, signed in as `user`."""
    return login(user, c=app.test_client())


def post(client, url: str, page_url: str, **data):
    """POST a page's form with the page's CSRF token."""
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


@pytest.fixture
def voting(client, wg):  # noqa: F811
    """Everybody present and an open secret vote on item 5.1."""
    attend(client, wg, {user: "present" for user in wg.everyone})
    wg.vote_id = open_vote(client, wg, secret=True).get_json()["id"]
    return wg


def test_the_attendance_page_shows_the_quorum_live(client, wg, login):  # noqa: F811
    attend(client, wg, {user: "present" for user in wg.everyone[:4]})
    staff = signed_in(client.application, login, wg.staff_user)
    page = staff.get(f"/meetings/{wg.meeting_id}/attendance").get_data(as_text=True)
    assert 'id="quorum"' in page and "alert-warning" in page
    assert 'data-quorum-required="5"' in page and 'data-quorum-delegates="1"' in page and "js/quorum.js" in page
    assert '<span data-quorum-present>4</span>' in page
    attend(client, wg, {user: "present" for user in wg.everyone[:5]})
    page = staff.get(f"/meetings/{wg.meeting_id}/attendance").get_data(as_text=True)
    assert "alert-success" in page and '<span data-quorum-present>5</span>' in page


def test_the_body_form_sets_the_quorum_rule(client, wg, login):  # noqa: F811
    staff = signed_in(client.application, login, wg.staff_user)
    url = f"/bodies/{wg.body.id}/edit"
    base = {"name": wg.body.name, "kind": "working_group", "numbering": "calendar", "letter_form": "external"}
    response = post(staff, url, url, **base, quorum_kind="fraction", quorum_number="2/3")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert (wg.body.quorum_kind, wg.body.quorum_value, wg.body.quorum_denominator) == ("fraction", 2, 3)
    assert wg.body.delegates_count is False  # the unticked box
    assert 'value="2/3"' in staff.get(url).get_data(as_text=True)
    assert "ไม่น้อยกว่า 2/3 ของจำนวนกรรมการ" in staff.get(f"/meetings/{wg.meeting_id}/attendance").get_data(as_text=True)
    refused = post(staff, url, url, **base, quorum_kind="count", quorum_number="10", delegates_count="y")
    assert refused.status_code == 422
    assert "เกินจำนวนกรรมการ (9 คน)" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert wg.body.quorum_kind == "fraction"


def test_the_secretariat_opens_a_vote_on_the_phone_page(client, wg, login):  # noqa: F811
    attend(client, wg, {user: "present" for user in wg.everyone[:4]})
    staff = signed_in(client.application, login, wg.staff_user)
    url = f"/meetings/{wg.meeting_id}/votes"
    page = staff.get(url).get_data(as_text=True)
    assert "ไม่ครบองค์ประชุม" in page and 'name="override_reason"' in page
    refused = post(staff, url, url, agenda_item_id=wg.item_id, question="เห็นชอบหรือไม่", majority="simple")
    assert refused.status_code == 409 and db.session.scalar(db.select(db.func.count(Vote.id))) == 0
    opened = post(staff, url, url, agenda_item_id=wg.item_id, question="เห็นชอบหรือไม่", majority="simple",
                  secret="y", override_reason="ประธานให้ลงมติต่อ", closes_in="15")
    assert opened.status_code == 302, opened.get_data(as_text=True)[:3000]
    vote = db.session.scalar(db.select(Vote))
    assert vote.secret and vote.quorum_override_reason == "ประธานให้ลงมติต่อ" and vote.closes_at is not None
    assert opened.headers["Location"].endswith(f"/votes/{vote.id}")
    assert "การลงมติ" in staff.get(f"/meetings/{wg.meeting_id}").get_data(as_text=True)


def test_a_member_votes_with_a_big_button_and_sees_the_result_only_after_closing(client, voting, login):
    member = signed_in(client.application, login, voting.members[0])
    url = f"/votes/{voting.vote_id}"
    page = member.get(url).get_data(as_text=True)
    assert f'name="choice" value="{APPROVE}"' in page and 'id="result"' not in page and "btn-lg" in page
    assert post(member, f"{url}/ballot", url, choice=APPROVE).status_code == 302
    page = member.get(url).get_data(as_text=True)
    assert "คุณลงคะแนนแล้ว" in page and 'name="choice"' not in page
    twice = post(member, f"{url}/ballot", url, choice=REJECT)
    assert twice.status_code == 302 and db.session.scalar(db.select(db.func.count()).select_from(SecretBallot)) == 1
    staff = signed_in(client.application, login, voting.staff_user)
    staff_page = staff.get(url).get_data(as_text=True)
    assert 'id="hand-vote"' in staff_page and 'id="close-vote"' in staff_page
    assert post(staff, f"{url}/hand", url, user_id=voting.members[1].id, choice=REJECT).status_code == 302
    assert post(staff, f"{url}/hand", url, user_id=voting.chair.id, choice=ABSTAIN).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(VoteVoter)) == 3
    assert post(staff, f"{url}/close", url).status_code == 302
    page = member.get(url).get_data(as_text=True)
    assert 'id="result"' in page and "ที่ประชุมยังไม่มีมติ" in page
    assert "เห็นชอบ 1 ไม่เห็นชอบ 1 งดออกเสียง 1" in page
    assert "คะแนนเสียงเท่ากัน" in page  # 1 : 1 under the simple majority
    for user in voting.everyone[:2]:
        assert f"{user.name}: " not in page  # a secret vote names no choice


def test_the_chair_gives_the_casting_vote_on_the_page(client, wg, login, token_for):  # noqa: F811
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote_id = open_vote(client, wg).get_json()["id"]
    for user, choice in zip(wg.everyone[:2], (APPROVE, REJECT)):
        client.post(f"/api/v1/votes/{vote_id}/ballots", json={"choice": choice}, headers=token_for(user))
    client.post(f"/api/v1/votes/{vote_id}/close", headers=wg.staff)
    chair = signed_in(client.application, login, wg.chair)
    url = f"/votes/{vote_id}"
    page = chair.get(url).get_data(as_text=True)
    assert 'id="casting-vote"' in page
    assert f"{wg.chair.name}: {APPROVE}" in page  # an open vote names each choice once closed
    assert post(chair, f"{url}/casting-vote", url, choice=REJECT).status_code == 302
    db.session.expire_all()
    assert db.session.get(Vote, vote_id).result["outcome"] == "rejected"


def test_refusals_on_the_pages_change_nothing(client, voting, login, make_user):
    url = f"/votes/{voting.vote_id}"
    member = signed_in(client.application, login, voting.members[0])
    before = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    assert post(member, f"{url}/close", url).status_code == 403
    assert post(member, f"{url}/hand", url, user_id=voting.members[1].id, choice=APPROVE).status_code == 403
    assert post(member, f"{url}/casting-vote", url, choice=APPROVE).status_code == 403
    assert post(member, f"{url}/ballot", url, choice="อื่น ๆ").status_code == 302  # refused, flashed
    assert member.post(f"{url}/ballot", data={"choice": APPROVE}).status_code == 400  # no CSRF token
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == before
    assert db.session.scalar(db.select(db.func.count()).select_from(VoteVoter)) == 0


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, voting, login, make_user, role):
    user = make_user(role)
    browser = signed_in(client.application, login, user)
    staff = role in ("admin", "secretariat")
    meeting_page = browser.get(f"/meetings/{voting.meeting_id}/votes")
    assert meeting_page.status_code == (200 if staff else 403 if role == "viewer" else 404)
    assert browser.get(f"/votes/{voting.vote_id}").status_code == (200 if staff else 404)
    if staff:
        assert 'id="open-vote"' in meeting_page.get_data(as_text=True)
    home = browser.get("/")
    token = csrf_from(home.get_data(as_text=True)) if 'name="csrf_token"' in home.get_data(as_text=True) else None
    if token is None:
        return
    for path in ("ballot", "hand", "close", "casting-vote"):
        status = browser.post(f"/votes/{voting.vote_id}/{path}", data={"csrf_token": token, "choice": APPROVE}).status_code
        assert status == (302 if staff else 404) or (staff and status == 403), (path, status)


def test_a_body_member_reads_the_votes_but_opens_none(client, voting, login):
    member = signed_in(client.application, login, voting.members[0])
    page = member.get(f"/meetings/{voting.meeting_id}/votes")
    assert page.status_code == 200 and 'id="open-vote"' not in page.get_data(as_text=True)
    url = f"/meetings/{voting.meeting_id}/votes"
    assert post(member, url, url, agenda_item_id=voting.item_id, question="ก").status_code == 403


def test_signed_out_is_sent_to_sign_in(client, voting):
    for url in (f"/meetings/{voting.meeting_id}/votes", f"/votes/{voting.vote_id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    for path in ("ballot", "hand", "close", "casting-vote"):
        response = client.post(f"/votes/{voting.vote_id}/{path}", data={"choice": APPROVE})
        assert response.status_code in (302, 400, 401)
    assert db.session.scalar(db.select(db.func.count()).select_from(VoteVoter)) == 0


def test_the_meeting_page_leads_members_to_an_open_vote(client, voting, login, make_user):
    member = signed_in(client.application, login, voting.members[0])
    page = member.get(f"/meetings/{voting.meeting_id}").get_data(as_text=True)
    assert f'href="/votes/{voting.vote_id}"' in page and "เปิดลงมติ" in page
    viewer = signed_in(client.application, login, make_user("viewer"))
    page = viewer.get(f"/meetings/{voting.meeting_id}").get_data(as_text=True)
    assert f'/votes/{voting.vote_id}' not in page and "/votes\"" not in page
