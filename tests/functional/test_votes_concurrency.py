"""Fifty members voting at once lose no vote, and one member sending two ballots at once gets one (PostgreSQL:
the unique key of vote_voters decides; SQLite serialises writers, so the race only exists on PostgreSQL)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from app.agenda.models import AgendaItem
from app.auth.models import User
from app.auth.services import issue_token
from app.extensions import db
from app.votes.models import SecretBallot, VoteVoter
from tests.functional.test_meetings_api import schedule
from tests.functional.test_votes_api import APPROVE, REJECT, attend, open_vote

VOTERS = 50


@pytest.fixture
def big_body(app, make_user, make_body, add_member, token_for):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent ballots are a PostgreSQL matter")
    body = make_body("คณะกรรมการห้าสิบคน", kind="committee")
    template = make_user("member")
    users = [template]
    for n in range(1, VOTERS):
        users.append(User(email=f"voter{n}@example.go.th", name=f"กรรมการ {n:02d}", role="member",
                          password_hash=template.password_hash, is_active_user=True))
    db.session.add_all(users[1:])
    db.session.commit()
    for user in users:
        add_member(body, user)
    tokens = {user.id: {"Authorization": f"Bearer {issue_token(user, 'test')}"} for user in users}
    db.session.commit()
    staff = token_for(make_user("secretariat"))
    client = app.test_client()
    meeting_id = schedule(client, staff, body.id, notify=False).get_json()["id"]
    db.session.add(AgendaItem(meeting_id=meeting_id, section=5, position=1, title="เรื่องเพื่อพิจารณา"))
    db.session.commit()
    item_id = db.session.scalar(db.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id))
    wg = SimpleNamespace(body=body, everyone=users, staff=staff, meeting_id=meeting_id, item_id=item_id)
    attend(client, wg, {user: "present" for user in users})
    return wg, tokens


@pytest.mark.parametrize("secret", [True, False])
def test_fifty_parallel_ballots_lose_none(app, big_body, secret):
    wg, tokens = big_body
    vote = open_vote(app.test_client(), wg, secret=secret).get_json()
    choices = {user.id: APPROVE if index % 3 else REJECT for index, user in enumerate(wg.everyone)}

    def cast(user_id: int):
        return app.test_client().post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": choices[user_id]},
                                      headers=tokens[user_id]).status_code

    with ThreadPoolExecutor(max_workers=VOTERS) as pool:
        statuses = list(pool.map(cast, list(tokens)))
    assert statuses == [201] * VOTERS
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(VoteVoter)) == VOTERS
    result = app.test_client().post(f"/api/v1/votes/{vote['id']}/close", headers=wg.staff).get_json()["result"]
    expected_reject = sum(1 for choice in choices.values() if choice == REJECT)
    assert result["counts"][REJECT] == expected_reject and result["counts"][APPROVE] == VOTERS - expected_reject
    assert result["voters"] == VOTERS
    stored = db.session.scalar(db.select(db.func.count()).select_from(SecretBallot))
    assert stored == (VOTERS if secret else 0)


def test_two_ballots_of_one_member_sent_at_once_count_once(app, big_body):
    wg, tokens = big_body
    vote = open_vote(app.test_client(), wg, secret=True).get_json()
    user_id = wg.everyone[0].id

    def cast(_n: int):
        return app.test_client().post(f"/api/v1/votes/{vote['id']}/ballots", json={"choice": APPROVE},
                                      headers=tokens[user_id]).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(cast, range(10)))
    assert sorted(statuses) == [201] + [409] * 9
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(SecretBallot)) == 1
