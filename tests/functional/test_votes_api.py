"""Quorum and votes through the API: the body's rule, the meeting's quorum, opening (and the quorum override), ballots,
hand votes, closing by every majority rule, the casting vote, secret ballots that no endpoint, export or audit entry
links to a voter, and the resolution written into the minutes (page and DOCX)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from types import SimpleNamespace

import docx
import pytest
from sqlalchemy import inspect as sa_inspect

from app.agenda.models import AgendaItem
from app.audit.models import AuditEvent
from app.dbtypes import utcnow
from app.extensions import db
from app.minutes.models import Minutes, MinutesItem
from app.votes.models import SecretBallot, Vote, VoteVoter
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule

APPROVE, REJECT, ABSTAIN = "เห็นชอบ", "ไม่เห็นชอบ", "งดออกเสียง"


@pytest.fixture
def wg(make_user, make_body, add_member, token_for):
    """A working group of 9 (a chair and 8 members), its meeting with item 5.1, the secretariat and other roles."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    chair = make_user("member", name="ประธาน คณะทำงาน")
    add_member(body, chair, "chair")
    members = [make_user("member", name=f"กรรมการ {n}") for n in range(1, 9)]
    for user in members:
        add_member(body, user)
    staff_user = make_user("secretariat")
    staff = token_for(staff_user)
    response = schedule(app_client(), staff, body.id, notify=False, chair_id=chair.id, mode="hybrid",
                        online_url="https://zoom.us/j/123")
    assert response.status_code == 201, response.get_data(as_text=True)
    meeting_id = response.get_json()["id"]
    db.session.add(AgendaItem(meeting_id=meeting_id, section=5, position=1, title="ขอความเห็นชอบแผนปฏิบัติการ",
                              kind="decision"))
    db.session.commit()
    item_id = db.session.scalar(db.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id))
    return SimpleNamespace(body=body, chair=chair, members=members, everyone=[chair, *members], staff=staff,
                           staff_user=staff_user, meeting_id=meeting_id, item_id=item_id, tokens={})


def app_client():
    from flask import current_app

    return current_app.test_client()


def token(wg, token_for, user) -> dict:
    """A member's bearer header (one token each)."""
    if user.id not in wg.tokens:
        wg.tokens[user.id] = token_for(user)
    return wg.tokens[user.id]


def attend(client, wg, statuses: dict) -> None:
    """Record attendance: {user: "present" | "online" | ("online", True) | "delegate" | "absent"}; others absent."""
    rows = []
    for user in wg.everyone:
        status = statuses.get(user, "absent")
        identity = False
        if isinstance(status, tuple):
            status, identity = status
        row = {"user_id": user.id, "status": status, "identity_confirmed": identity}
        if status == "delegate":
            row["delegate_name"] = f"ผู้แทน {user.name}"
        rows.append(row)
    response = client.put(f"/api/v1/meetings/{wg.meeting_id}/attendance", json={"members": rows}, headers=wg.staff)
    assert response.status_code == 200, response.get_data(as_text=True)


def open_vote(client, wg, **body):
    return client.post(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=wg.staff,
                       json={"question": "เห็นชอบแผนปฏิบัติการหรือไม่", **body})


def cast(client, wg, token_for, vote_id, user, choice):
    return client.post(f"/api/v1/votes/{vote_id}/ballots", json={"choice": choice}, headers=token(wg, token_for, user))


def quorum(client, wg, headers=None):
    response = client.get(f"/api/v1/meetings/{wg.meeting_id}/quorum", headers=headers or wg.staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- the body's quorum rule -----------------------------------------------------------------------

def test_the_body_shows_and_changes_its_quorum_rule(client, wg):
    body = client.get(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff).get_json()
    assert body["quorum"] == {"kind": "majority", "value": None} and body["delegates_count"] is True
    changed = client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff,
                           json={"quorum": {"kind": "fraction", "value": "2/3"}, "delegates_count": False})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["quorum"] == {"kind": "fraction", "value": "2/3"}
    assert changed.get_json()["delegates_count"] is False
    assert client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff,
                        json={"quorum": {"kind": "count", "value": 5}}).get_json()["quorum"] == {"kind": "count", "value": 5}
    assert client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff,
                        json={"delegates_count": True}).get_json()["quorum"] == {"kind": "count", "value": 5}
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "body.quorum")).all()
    assert len(event) == 3


@pytest.mark.parametrize("rule", [{"kind": "count", "value": 10}, {"kind": "count", "value": 0},
                                  {"kind": "count", "value": "5"}, {"kind": "fraction", "value": "3/2"},
                                  {"kind": "fraction", "value": "abc"}, {"kind": "fraction"}, {"kind": "most"},
                                  {"kind": "count", "value": 5, "extra": 1}])
def test_a_rule_the_body_cannot_meet_is_refused(client, wg, rule):
    response = client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff, json={"quorum": rule})
    error = assert_error(response, 422)
    assert any(key.startswith("quorum") for key in error["fields"]), error
    db.session.expire_all()
    assert wg.body.quorum_kind == "majority"


def test_only_the_secretariat_changes_the_rule(client, wg, token_for):
    response = client.patch(f"/api/v1/bodies/{wg.body.id}", headers=token(wg, token_for, wg.chair),
                            json={"quorum": {"kind": "count", "value": 3}})
    assert_error(response, 403)


# --- the meeting's quorum ------------------------------------------------------------------------

def test_exactly_half_present_is_not_a_quorum_and_one_more_is(client, wg):
    half = {user: "present" for user in wg.everyone[:4]}  # 4 of 9 — and 4.5 would be half
    attend(client, wg, half)
    assert quorum(client, wg) == {"rule": {"kind": "majority", "value": None, "delegates_count": True},
                                  "members": 9, "required": 5, "present": 4, "met": False}
    attend(client, wg, {**half, wg.members[4]: "present"})
    assert quorum(client, wg)["met"] is True


def test_exactly_half_of_an_even_body_is_not_a_quorum(client, wg, add_member, make_user):
    add_member(wg.body, make_user("member"))  # 10 members
    attend(client, wg, {user: "present" for user in wg.everyone[:5]})
    assert (quorum(client, wg)["required"], quorum(client, wg)["met"]) == (6, False)


def test_online_members_count_once_their_identity_is_confirmed(client, wg):
    statuses = {user: "present" for user in wg.everyone[:3]}
    statuses.update({wg.members[5]: "online", wg.members[6]: "online"})
    attend(client, wg, statuses)
    assert quorum(client, wg)["present"] == 3
    statuses.update({wg.members[5]: ("online", True), wg.members[6]: ("online", True)})
    attend(client, wg, statuses)
    assert quorum(client, wg)["present"] == 5 and quorum(client, wg)["met"] is True


def test_delegates_count_only_when_the_body_allows(client, wg):
    statuses = {user: "present" for user in wg.everyone[:4]}
    statuses[wg.members[6]] = "delegate"
    attend(client, wg, statuses)
    assert (quorum(client, wg)["present"], quorum(client, wg)["met"]) == (5, True)
    client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff, json={"delegates_count": False})
    assert (quorum(client, wg)["present"], quorum(client, wg)["met"]) == (4, False)


def test_count_and_fraction_rules_at_the_meeting(client, wg):
    attend(client, wg, {user: "present" for user in wg.everyone[:3]})
    client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff, json={"quorum": {"kind": "count", "value": 3}})
    assert quorum(client, wg)["required"] == 3 and quorum(client, wg)["met"] is True
    client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff, json={"quorum": {"kind": "fraction", "value": 0.5}})
    assert quorum(client, wg)["required"] == 5 and quorum(client, wg)["met"] is False  # half of 9, rounded up
    client.patch(f"/api/v1/bodies/{wg.body.id}", headers=wg.staff, json={"quorum": {"kind": "fraction", "value": "1/3"}})
    assert quorum(client, wg)["required"] == 3 and quorum(client, wg)["met"] is True


@pytest.mark.parametrize("role", ["admin", "secretariat", "member", "reporter", "viewer"])
def test_quorum_readers(client, wg, make_user, token_for, role):
    user = make_user(role)
    response = client.get(f"/api/v1/meetings/{wg.meeting_id}/quorum", headers=token_for(user))
    assert response.status_code == (200 if role in ("admin", "secretariat", "viewer") else 404)
    assert response.status_code == 200 or response.is_json
    assert client.get(f"/api/v1/meetings/{wg.meeting_id}/quorum", headers=token(wg, token_for, wg.members[0])
                      ).status_code == 200


def test_signed_out_is_401(client, wg):
    for method, url in [("get", f"/api/v1/meetings/{wg.meeting_id}/quorum"), ("get", "/api/v1/votes/1"),
                        ("post", f"/api/v1/agenda-items/{wg.item_id}/votes"), ("post", "/api/v1/votes/1/ballots"),
                        ("post", "/api/v1/votes/1/close"), ("post", "/api/v1/votes/1/casting-vote"),
                        ("get", f"/api/v1/agenda-items/{wg.item_id}/votes")]:
        assert_error(getattr(client, method)(url, json={}), 401)


# --- opening ---------------------------------------------------------------------------------------

def test_no_vote_without_quorum_unless_the_chair_overrides_with_a_reason(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone[:4]})
    error = assert_error(open_vote(client, wg), 409, "quorum_not_met")
    assert "override_reason" in error["fields"]
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0
    member = token(wg, token_for, wg.members[0])
    assert_error(client.post(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=member,
                             json={"question": "ก", "override_reason": "เร่งด่วน"}), 403)
    chair = token(wg, token_for, wg.chair)
    response = client.post(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=chair,
                           json={"question": "เห็นชอบหรือไม่", "override_reason": "เรื่องเร่งด่วนตามกำหนดเวลาของกระทรวง"})
    assert response.status_code == 201, response.get_data(as_text=True)
    vote = response.get_json()
    assert vote["quorum_override_reason"] == "เรื่องเร่งด่วนตามกำหนดเวลาของกระทรวง" and vote["state"] == "open"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "vote.open"))
    assert event.user_id == wg.chair.id and "ไม่ครบองค์ประชุม (4/5)" in event.summary and "เร่งด่วน" in event.summary


def test_opening_returns_the_contract_and_defaults(client, wg):
    attend(client, wg, {user: "present" for user in wg.everyone})
    response = open_vote(client, wg, secret=True)
    assert response.status_code == 201, response.get_data(as_text=True)
    vote = response.get_json()
    assert {"id", "state", "question", "secret", "options", "majority", "voted", "result"} <= set(vote)
    assert (vote["state"], vote["options"], vote["majority"], vote["voted"], vote["result"]) == (
        "open", [APPROVE, REJECT, ABSTAIN], "simple", [], None)
    assert vote["quorum_override_reason"] is None


@pytest.mark.parametrize(("body", "field"), [
    ({"question": ""}, "question"), ({"majority": "most"}, "majority"), ({"options": ["ก"]}, "options"),
    ({"options": ["ก", "ก"]}, "options"), ({"options": ["ก", " "]}, "options"), ({"closes_at": "2020-01-01T09:00"}, "closes_at"),
    ({"closes_at": "พรุ่งนี้"}, "closes_at"), ({"secret": True, "weights": {"1": 2}}, "weights"),
    ({"weights": {"999999": 2}}, "weights.999999"), ({"unknown": 1}, "unknown")])
def test_bad_votes_are_refused_by_the_field(client, wg, body, field):
    attend(client, wg, {user: "present" for user in wg.everyone})
    error = assert_error(open_vote(client, wg, **body), 422)
    assert field in error["fields"], error
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0


# --- casting and closing ---------------------------------------------------------------------------

def test_acceptance_a_secret_vote_on_item_5_1_and_the_minutes(client, wg, token_for, login):
    """The quorum shows met, a secret vote on item 5.1 gets 5 เห็นชอบ, 1 ไม่เห็นชอบ, 1 งดออกเสียง and the minutes
    say so without naming anyone's choice."""
    statuses = {user: "present" for user in wg.everyone[:5]}
    statuses.update({wg.members[4]: ("online", True), wg.members[5]: ("online", True)})
    attend(client, wg, statuses)
    assert quorum(client, wg)["met"] is True and quorum(client, wg)["present"] == 7
    vote = open_vote(client, wg, secret=True).get_json()
    voters = wg.everyone[:7]
    choices = [APPROVE] * 5 + [REJECT, ABSTAIN]
    for user, choice in zip(voters, choices):
        response = cast(client, wg, token_for, vote["id"], user, choice)
        assert response.status_code == 201, response.get_data(as_text=True)
        shown = response.get_json()
        assert shown["result"] is None and shown["has_voted"] is True
    seen = client.get(f"/api/v1/votes/{vote['id']}", headers=wg.staff).get_json()
    assert sorted(v["user_id"] for v in seen["voted"]) == sorted(u.id for u in voters)
    assert seen["result"] is None  # nothing before closing
    closed = client.post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff)
    assert closed.status_code == 200, closed.get_data(as_text=True)
    result = closed.get_json()["result"]
    assert closed.get_json()["state"] == "closed"
    assert result["counts"] == {APPROVE: 5, REJECT: 1, ABSTAIN: 1}
    assert (result["outcome"], result["voters"], result["ballots"]) == ("approved", 7, None)
    text = "ที่ประชุมมีมติเห็นชอบ (เห็นชอบ 5 ไม่เห็นชอบ 1 งดออกเสียง 1)"
    minutes_item = db.session.scalar(db.select(MinutesItem).where(MinutesItem.agenda_item_id == wg.item_id))
    assert (minutes_item.resolution, minutes_item.resolution_kind) == (text, "approved")
    login(wg.staff_user)
    page = client.get(f"/meetings/{wg.meeting_id}/minutes?read=1").get_data(as_text=True)
    assert text in page and "ครบองค์ประชุม" in page and "ไม่ครบองค์ประชุม" not in page
    response = client.get(f"/meetings/{wg.meeting_id}/minutes.docx")
    document = docx.Document(io.BytesIO(response.data))
    paragraphs = [p.text for p in document.paragraphs]
    assert "ครบองค์ประชุม" in paragraphs and any(text in p for p in paragraphs)
    resolution = next(p for p in paragraphs if text in p)
    assert not any(user.name in resolution for user in wg.everyone)
    assert_secret_everywhere(client, wg, vote["id"])
    if shutil.which("soffice") and shutil.which("pdftotext"):
        rendered = re.sub(r"\s+", "", pdf_text(response.data))
        assert re.sub(r"\s+", "", text) in rendered, rendered


def pdf_text(data: bytes) -> str:
    """The DOCX rendered by LibreOffice, read as text (what a person reads)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "minutes.docx"
        source.write_bytes(data)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                        "pdf", "--outdir", folder, str(source)], check=True, capture_output=True, timeout=180)
        return subprocess.run(["pdftotext", str(Path(folder) / "minutes.pdf"), "-"], check=True, capture_output=True,
                              text=True).stdout


def assert_secret_everywhere(client, wg, vote_id: int) -> None:
    """No endpoint, export or audit entry of a secret vote pairs a voter with a choice; the choices table has no
    user, no time and a random key."""
    shown = client.get(f"/api/v1/votes/{vote_id}", headers=wg.staff).get_json()
    for voter in shown["voted"]:
        assert set(voter) == {"user_id", "name", "by_hand"}
    assert shown["result"]["ballots"] is None
    listed = client.get(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=wg.staff).get_json()["items"]
    assert listed[0]["voted"] == shown["voted"]
    assert db.session.scalars(db.select(VoteVoter.choice).where(VoteVoter.vote_id == vote_id)).all() == [None] * len(shown["voted"])
    columns = {column.key for column in sa_inspect(SecretBallot).columns}
    assert columns == {"id", "vote_id", "choice"}
    keys = db.session.scalars(db.select(SecretBallot.id).where(SecretBallot.vote_id == vote_id)).all()
    assert all(len(key) == 32 and not key.isdigit() for key in keys)
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "vote",
                                                            AuditEvent.object_id == vote_id,
                                                            AuditEvent.action == "vote.ballot")).all()
    assert len(events) == len(shown["voted"])
    for event in events:
        assert event.changes is None
        assert not any(option in (event.summary or "") for option in (APPROVE, REJECT, ABSTAIN))
        assert "ลงคะแนนลับแล้ว" in event.summary


def test_one_ballot_each_and_only_present_members_vote(client, wg, token_for, make_user):
    statuses = {user: "present" for user in wg.everyone[:5]}
    statuses.update({wg.members[5]: "online", wg.members[6]: "delegate"})  # online unconfirmed; a delegate
    attend(client, wg, statuses)
    vote = open_vote(client, wg).get_json()
    assert cast(client, wg, token_for, vote["id"], wg.chair, APPROVE).status_code == 201
    assert_error(cast(client, wg, token_for, vote["id"], wg.chair, REJECT), 409, "already_voted")
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[5], APPROVE), 403)  # identity not confirmed
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[6], APPROVE), 403)  # the delegate votes by hand
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[7], APPROVE), 403)  # absent
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": APPROVE}, headers=wg.staff), 403)
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[0], "อื่น ๆ"), 422)
    outsider = make_user("member")
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": APPROVE},
                             headers=token_for(outsider)), 404)
    # the secretariat records the delegate's hand vote, once
    hand = client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"user_id": wg.members[6].id, "choice": REJECT},
                       headers=wg.staff)
    assert hand.status_code == 201, hand.get_data(as_text=True)
    assert [v["by_hand"] for v in hand.get_json()["voted"] if v["user_id"] == wg.members[6].id] == [True]
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"user_id": wg.members[6].id,
                                                                          "choice": REJECT}, headers=wg.staff), 409)
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"user_id": wg.members[7].id,
                                                                          "choice": REJECT}, headers=wg.staff), 422)
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"user_id": wg.members[1].id,
                                                                          "choice": REJECT},
                             headers=token(wg, token_for, wg.members[0])), 403)  # members record no hand votes
    assert db.session.scalar(db.select(db.func.count()).select_from(VoteVoter)) == 2


def test_an_open_vote_names_each_choice_once_closed(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg).get_json()
    cast(client, wg, token_for, vote["id"], wg.chair, APPROVE)
    cast(client, wg, token_for, vote["id"], wg.members[0], REJECT)
    open_view = client.get(f"/api/v1/votes/{vote['id']}", headers=token(wg, token_for, wg.members[0])).get_json()
    assert open_view["result"] is None and open_view["has_voted"] is True and open_view["may_vote"] is False
    closed = client.post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff).get_json()
    assert sorted((b["user_id"], b["choice"]) for b in closed["result"]["ballots"]) == sorted(
        [(wg.chair.id, APPROVE), (wg.members[0].id, REJECT)])
    assert closed["result"]["outcome"] == "tied"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "vote.ballot",
                                                          AuditEvent.user_id == wg.chair.id))
    assert APPROVE in event.summary  # an open vote is named
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[1], APPROVE), 409, "vote_closed")
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff), 409)


def run_vote(client, wg, token_for, majority: str, tally: tuple[int, int, int], **extra) -> dict:
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg, majority=majority, **extra).get_json()
    choices = [APPROVE] * tally[0] + [REJECT] * tally[1] + [ABSTAIN] * tally[2]
    for user, choice in zip(wg.everyone, choices):
        assert cast(client, wg, token_for, vote["id"], user, choice).status_code == 201
    response = client.post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize(("majority", "tally", "outcome"), [
    ("simple", (3, 2, 4), "approved"), ("simple", (2, 3, 4), "rejected"), ("simple", (3, 3, 3), "tied"),
    ("two_thirds", (4, 2, 3), "approved"), ("two_thirds", (5, 3, 1), "rejected"),
    ("absolute", (5, 0, 4), "approved"), ("absolute", (4, 0, 5), "rejected")])
def test_every_majority_rule(client, wg, token_for, majority, tally, outcome):
    result = run_vote(client, wg, token_for, majority, tally)["result"]
    assert result["outcome"] == outcome
    assert result["counts"] == dict(zip((APPROVE, REJECT, ABSTAIN), tally))


def test_a_tie_waits_for_the_chairs_casting_vote(client, wg, token_for):
    closed = run_vote(client, wg, token_for, "simple", (3, 3, 3))
    assert closed["result"]["outcome"] == "tied" and closed["result"]["tied"] == [APPROVE, REJECT]
    item = db.session.scalar(db.select(MinutesItem).where(MinutesItem.agenda_item_id == wg.item_id))
    assert item.resolution.startswith("คะแนนเสียงเท่ากัน")
    vote_id = closed["id"]
    assert_error(client.post(f"/api/v1/votes/{vote_id}/casting-vote", json={"choice": APPROVE},
                             headers=token(wg, token_for, wg.members[0])), 403)
    assert_error(client.post(f"/api/v1/votes/{vote_id}/casting-vote", json={"choice": ABSTAIN},
                             headers=wg.staff), 422)
    decided = client.post(f"/api/v1/votes/{vote_id}/casting-vote", json={"choice": APPROVE},
                          headers=token(wg, token_for, wg.chair))
    assert decided.status_code == 200, decided.get_data(as_text=True)
    result = decided.get_json()["result"]
    assert (result["outcome"], result["casting_vote"]) == ("approved", APPROVE)
    assert db.session.get(Vote, vote_id).casting_vote == APPROVE
    db.session.expire_all()
    item = db.session.scalar(db.select(MinutesItem).where(MinutesItem.agenda_item_id == wg.item_id))
    assert item.resolution == "ที่ประชุมมีมติเห็นชอบ โดยประธานออกเสียงชี้ขาด (เห็นชอบ 3 ไม่เห็นชอบ 3 งดออกเสียง 3)"
    assert_error(client.post(f"/api/v1/votes/{vote_id}/casting-vote", json={"choice": REJECT}, headers=wg.staff),
                 409, "not_tied")
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "vote.casting")).user_id == wg.chair.id


def test_no_casting_vote_without_a_tie_or_before_closing(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg).get_json()
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/casting-vote", json={"choice": APPROVE}, headers=wg.staff),
                 409, "vote_open")


def test_weights_in_an_open_vote(client, wg, token_for):
    closed = run_vote(client, wg, token_for, "simple", (1, 2, 0), weights={str(wg.chair.id): 3})
    assert closed["result"]["counts"][APPROVE] == 3 and closed["result"]["outcome"] == "approved"


def test_candidates(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg, secret=True, options=["นาย ก", "นาง ข"]).get_json()
    for user, choice in zip(wg.everyone[:5], ["นาย ก", "นาย ก", "นาง ข", "นาย ก", "นาง ข"]):
        cast(client, wg, token_for, vote["id"], user, choice)
    result = client.post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff).get_json()["result"]
    assert (result["outcome"], result["winner"]) == ("chosen", "นาย ก")
    assert result["resolution"] == "ที่ประชุมมีมติเลือก นาย ก (นาย ก 3 นาง ข 2)"


def test_a_vote_closes_by_itself_at_its_time(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone})
    soon = (utcnow() + timedelta(minutes=5)).isoformat()
    vote = open_vote(client, wg, closes_at=soon).get_json()
    cast(client, wg, token_for, vote["id"], wg.chair, APPROVE)
    stored = db.session.get(Vote, vote["id"])
    stored.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert_error(cast(client, wg, token_for, vote["id"], wg.members[0], APPROVE), 409, "vote_closed")
    shown = client.get(f"/api/v1/votes/{vote['id']}", headers=wg.staff).get_json()
    assert shown["state"] == "closed" and shown["result"]["counts"][APPROVE] == 1
    assert shown["result"]["outcome"] == "approved"


@pytest.mark.parametrize("role", ["admin", "secretariat", "member", "reporter", "viewer"])
def test_who_reads_and_runs_a_vote(client, wg, token_for, make_user, role):
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg).get_json()
    headers = token_for(make_user(role))
    staff = role in ("admin", "secretariat")
    assert client.get(f"/api/v1/votes/{vote['id']}", headers=headers).status_code == (200 if staff else 404)
    response = client.post(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=headers, json={"question": "ข"})
    assert response.status_code == (201 if staff else 404)  # votes are the body's, the chair's and the staff's
    closing = client.post(f"/api/v1/votes/{vote['id']}/close", headers=headers)
    assert closing.status_code == (200 if staff else 404)


def test_members_of_the_body_read_but_do_not_run_votes(client, wg, token_for):
    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg).get_json()
    member = token(wg, token_for, wg.members[0])
    assert client.get(f"/api/v1/votes/{vote['id']}", headers=member).get_json()["may_vote"] is True
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/close", headers=member), 403)
    assert_error(client.post(f"/api/v1/agenda-items/{wg.item_id}/votes", headers=member, json={"question": "ข"}), 403)


def test_no_vote_on_a_certified_meeting(client, wg):
    attend(client, wg, {user: "present" for user in wg.everyone})
    later = schedule(client, wg.staff, wg.body.id, notify=False, starts_at="2020-10-10T09:30",
                     ends_at="2020-10-10T12:00").get_json()
    minutes = Minutes(meeting_id=wg.meeting_id, state="certified", certified_at_meeting_id=later["id"])
    db.session.add(minutes)
    db.session.commit()
    assert_error(open_vote(client, wg), 409, "certified_locked")


def test_a_ballot_keeps_no_idempotency_record_that_would_pair_voter_and_choice(client, wg, token_for):
    from app.api.models import IdempotencyKey

    attend(client, wg, {user: "present" for user in wg.everyone})
    vote = open_vote(client, wg, secret=True).get_json()
    headers = {**token(wg, token_for, wg.chair), "Idempotency-Key": "ballot-1"}
    assert client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": APPROVE}, headers=headers).status_code == 201
    assert_error(client.post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": APPROVE}, headers=headers), 409)
    assert db.session.scalar(db.select(db.func.count(IdempotencyKey.id)).where(
        IdempotencyKey.request.like("%/ballots"))) == 0
