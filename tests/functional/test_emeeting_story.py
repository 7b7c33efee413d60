"""Issue 13's story end to end, through the API (and the web where a person would use it): a working group with a
quorum rule meets in hybrid mode; two members join online and confirm who they are with a one-time code, which
brings the meeting to quorum; an open and a secret vote fill the minutes' resolutions; a matter circulated to the
members is answered by one-click links, and its result becomes item 4.x of the next meeting, scheduled by
POST /api/v1/meetings/<id>/next; the evidence appendix downloads as DOCX."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import docx

from app import thaidates
from app.dbtypes import utcnow
from app.extensions import db
from app.mail.models import OutgoingMail
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import schedule

APPROVE, REJECT, ABSTAIN = "เห็นชอบ", "ไม่เห็นชอบ", "งดออกเสียง"
CIRCULATION_LINK = re.compile(r"^- (เห็นชอบ|ไม่เห็นชอบ|มีความเห็นเพิ่มเติม): (\S+)$", re.MULTILINE)


def bangkok(moment) -> str:
    """An ISO Bangkok wall-clock time to the minute, as the API takes it without an offset."""
    return thaidates.to_bangkok(moment).strftime("%Y-%m-%dT%H:%M")


def latest_mail(address: str, kind: str) -> OutgoingMail:
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.to_email == address, OutgoingMail.kind == kind)
                              .order_by(OutgoingMail.id.desc())).first()
    assert mail is not None, f"no {kind} mail to {address}"
    return mail


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    return response.get_json()


def test_a_hybrid_meeting_reaches_quorum_votes_and_reports_a_circulation_to_the_next_meeting(
        app, client, make_user, make_body, add_member, token_for, login):
    # --- a working group of 7 whose quorum is 5 members, and its hybrid meeting in progress now ---------------
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    chair = make_user("member", name="นายประธาน ทำงานดี", email="chair@example.go.th")
    add_member(body, chair, "chair")
    members = [make_user("member", name=name, email=f"m{n}@example.go.th") for n, name in enumerate(
        ["นายหนึ่ง ทดสอบ", "นางสองทดสอบ ใจดี", "นายสาม มั่นคง", "นางสาวสี่ ศรีสุข", "นายห้า ทองดี", "นางหก รักงาน"], 1)]
    for member in members:
        add_member(body, member)
    everyone = [chair, *members]
    secretary = make_user("secretariat", name="นางเลขา ฝ่ายเลขานุการ")
    staff = token_for(secretary)
    tokens = {user.id: token_for(user) for user in everyone}
    rule = ok(client.patch(f"/api/v1/bodies/{body.id}", headers=staff,
                           json={"quorum": {"kind": "count", "value": 5}, "delegates_count": False}))
    assert rule["quorum"] == {"kind": "count", "value": 5}

    now = utcnow()
    meeting = ok(schedule(client, staff, body.id, notify=False, chair_id=chair.id, mode="hybrid",
                          online_url="https://zoom.us/j/93125700001", starts_at=bangkok(now - timedelta(minutes=30)),
                          ends_at=bangkok(now + timedelta(minutes=90))), 201)
    meeting_id = meeting["id"]
    agenda = [ok(client.post(f"/api/v1/meetings/{meeting_id}/agenda-items", headers=staff,
                             json={"section": 5, "title": title, "kind": "decision"}), 201)
              for title in ("ขอความเห็นชอบแผนปฏิบัติการ พ.ศ. 2564", "การคัดเลือกหน่วยงานต้นแบบ")]
    plan_item, choice_item = agenda[0]["id"], agenda[1]["id"]

    # --- attendance: three in the room, two online (not yet confirmed), two absent -----------------------------
    online = members[2:4]
    statuses = {chair: "present", members[0]: "present", members[1]: "present", online[0]: "online",
                online[1]: "online"}
    ok(client.put(f"/api/v1/meetings/{meeting_id}/attendance", headers=staff, json={"members": [
        {"user_id": user.id, "status": statuses.get(user, "absent"), "identity_confirmed": False,
         **({"reason": "ติดราชการ"} if user not in statuses else {})} for user in everyone]}))
    quorum = ok(client.get(f"/api/v1/meetings/{meeting_id}/quorum", headers=staff))
    assert (quorum["required"], quorum["present"], quorum["met"]) == (5, 3, False)  # online, unconfirmed: not counted
    refused = client.post(f"/api/v1/agenda-items/{plan_item}/votes", headers=staff, json={"question": "เห็นชอบหรือไม่"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "quorum_not_met"

    # --- the two online members confirm their identity with the one-time code sent to them ----------------------
    for user in online:
        sent = ok(client.post(f"/api/v1/meetings/{meeting_id}/identity-checks", headers=staff,
                              json={"user_id": user.id, "method": "otp"}), 202)
        assert sent["state"] == "code_sent"
        code = re.search(r"\d{6}", latest_mail(user.email, "meeting.identity_code").subject).group(0)
        wrong = client.post(f"/api/v1/meetings/{meeting_id}/identity-checks/otp", headers=tokens[user.id],
                            json={"code": "000000" if code != "000000" else "111111"})
        assert wrong.status_code == 422
        confirmed = ok(client.post(f"/api/v1/meetings/{meeting_id}/identity-checks/otp", headers=tokens[user.id],
                                   json={"code": code}))
        assert confirmed["state"] == "confirmed" and confirmed["method"] == "otp"
    quorum = ok(client.get(f"/api/v1/meetings/{meeting_id}/quorum", headers=tokens[chair.id]))
    assert (quorum["present"], quorum["met"]) == (5, True)

    # --- an open vote: four in favour, one against; the result fills item 5.1's resolution ------------------------
    vote = ok(client.post(f"/api/v1/agenda-items/{plan_item}/votes", headers=staff,
                          json={"question": "เห็นชอบแผนปฏิบัติการ พ.ศ. 2564 หรือไม่"}), 201)
    voters = [chair, members[0], members[1], *online]
    for user, choice in zip(voters, [APPROVE, APPROVE, APPROVE, APPROVE, REJECT]):
        ok(client.post(f"/api/v1/votes/{vote['id']}/ballots", headers=tokens[user.id], json={"choice": choice}), 201)
    absent = client.post(f"/api/v1/votes/{vote['id']}/ballots", headers=tokens[members[4].id], json={"choice": APPROVE})
    assert absent.status_code == 403  # not at the meeting: no ballot
    before = ok(client.get(f"/api/v1/votes/{vote['id']}", headers=tokens[chair.id]))
    assert before["result"] is None and len(before["voted"]) == 5  # who has voted, but no result before closing
    closed = ok(client.post(f"/api/v1/votes/{vote['id']}/close", headers=staff))
    assert closed["result"]["outcome"] == "approved"
    assert closed["result"]["counts"] == {APPROVE: 4, REJECT: 1, ABSTAIN: 0}

    # --- a secret vote between two candidates: who voted is shown, never how ------------------------------------
    secret = ok(client.post(f"/api/v1/agenda-items/{choice_item}/votes", headers=staff, json={
        "question": "หน่วยงานต้นแบบ", "secret": True, "options": ["สำนักงาน ก.ค.ศ.", "สำนักงาน กศน."]}), 201)
    for user, choice in zip(voters, ["สำนักงาน กศน.", "สำนักงาน กศน.", "สำนักงาน ก.ค.ศ.", "สำนักงาน กศน.",
                                     "สำนักงาน กศน."]):
        ok(client.post(f"/api/v1/votes/{secret['id']}/ballots", headers=tokens[user.id], json={"choice": choice}), 201)
    result = ok(client.post(f"/api/v1/votes/{secret['id']}/close", headers=staff))["result"]
    assert result["winner"] == "สำนักงาน กศน." and result["counts"] == {"สำนักงาน ก.ค.ศ.": 1, "สำนักงาน กศน.": 4}
    assert result["ballots"] is None
    assert sorted(v["user_id"] for v in ok(client.get(f"/api/v1/votes/{secret['id']}", headers=staff))["voted"]) \
        == sorted(u.id for u in voters)

    minutes = ok(client.get(f"/api/v1/meetings/{meeting_id}/minutes", headers=staff))
    resolutions = {item["agenda_item_id"]: item for item in minutes["items"]}
    assert resolutions[plan_item]["resolution_kind"] == "approved"
    assert resolutions[plan_item]["resolution"] == closed["result"]["resolution"]
    assert resolutions[plan_item]["resolution"].startswith("ที่ประชุมมีมติเห็นชอบ")
    assert "เห็นชอบ 4 ไม่เห็นชอบ 1" in resolutions[plan_item]["resolution"]
    assert resolutions[choice_item]["resolution"] == result["resolution"]
    assert "สำนักงาน กศน." in result["resolution"]

    # --- a matter circulated to the members, answered by one-click links from the notices -------------------------
    circulation = ok(client.post(f"/api/v1/bodies/{body.id}/circulations", headers=staff, json={
        "title": "ขอความเห็นชอบรายชื่อผู้ประสานงานของหน่วยงาน", "question": "เห็นชอบรายชื่อตามที่เสนอหรือไม่",
        "deadline": bangkok(now + timedelta(days=5))}), 201)
    db.session.commit()
    phone = app.test_client()  # members answer from their phones, never signed in
    for user, word in zip(everyone, [APPROVE] * 5 + ["มีความเห็นเพิ่มเติม", "ไม่เห็นชอบ"]):
        links = {answer: urlsplit(url).path for answer, url in
                 CIRCULATION_LINK.findall(latest_mail(user.email, "circulation.requested").body_text)}
        page = phone.get(links[word])
        assert page.status_code == 200 and "ขอความเห็นชอบรายชื่อผู้ประสานงานของหน่วยงาน" in page.get_data(as_text=True)
        fields = {"answer": {APPROVE: "approve", "ไม่เห็นชอบ": "reject"}.get(word, "comment"),
                  "comment": "ขอให้ระบุเบอร์โทรศัพท์ด้วย" if word == "มีความเห็นเพิ่มเติม" else ""}
        answered = phone.post(links[word], data={"csrf_token": csrf_from(page.get_data(as_text=True)), **fields})
        assert answered.status_code == 302, answered.get_data(as_text=True)[:500]
    done = ok(client.get(f"/api/v1/circulations/{circulation['id']}", headers=staff))
    assert done["state"] == "closed" and done["result"]["close_reason"] == "all_answered"
    assert done["result"]["outcome"] == "approved"
    assert done["result"]["counts"] == {"approve": 5, "reject": 1, "comment": 1, "none": 0}

    # --- the next meeting, scheduled from this one, reports the circulation's result in section 4 ----------------
    following = ok(client.post(f"/api/v1/meetings/{meeting_id}/next", headers=staff, json={"notify": False}), 201)
    same_year = following["year_be"] == meeting["year_be"]
    assert following["number"] == (meeting["number"] + 1 if same_year else 1)  # a new year numbers from 1
    ok(client.post(f"/api/v1/meetings/{following['id']}/agenda/publish", headers=staff))
    sections = {s["number"]: s for s in ok(client.get(f"/api/v1/meetings/{following['id']}/agenda",
                                                      headers=tokens[members[4].id]))["sections"]}
    reported = [item for item in sections[4]["items"] if "ขอความเห็นชอบรายชื่อผู้ประสานงานของหน่วยงาน" in item["title"]]
    assert len(reported) == 1 and re.fullmatch(r"4\.\d+", reported[0]["number"])
    assert done["result"]["resolution"] in reported[0]["detail"]
    assert "ผู้ตอบมีความเห็นเพิ่มเติม: " + members[4].name in reported[0]["detail"]

    # --- the secretariat downloads the evidence appendix; the minutes page states the quorum --------------------
    login(secretary)
    minutes_page = client.get(f"/meetings/{meeting_id}/minutes?read=1").get_data(as_text=True)
    assert '<p id="quorum-line">ครบองค์ประชุม</p>' in minutes_page
    assert closed["result"]["resolution"] in minutes_page and result["resolution"] in minutes_page
    response = client.get(f"/meetings/{meeting_id}/evidence.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    for user in online:
        assert f"{user.name} — รหัสผ่านใช้ครั้งเดียว (OTP)" in text
