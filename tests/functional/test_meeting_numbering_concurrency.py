"""Concurrent scheduling never hands out the same number (the database's unique constraint decides)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from app.extensions import db
from app.meetings.models import Meeting


def test_parallel_requests_get_distinct_consecutive_numbers(app, make_body, make_user, token_for):
    body = make_body("คณะทำงานทดสอบพร้อมกัน", numbering="fiscal")
    headers = token_for(make_user("secretariat"))
    body_id = body.id

    def create(i: int):
        client = app.test_client()
        return client.post("/api/v1/meetings", headers=headers, json={
            "body_id": body_id, "starts_at": f"2020-08-{10 + i:02d}T09:30", "ends_at": f"2020-08-{10 + i:02d}T11:00",
            "mode": "online", "online_url": "https://zoom.us/j/1", "notify": False})

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(create, range(12)))
    assert [r.status_code for r in responses] == [201] * 12, [r.get_data(as_text=True) for r in responses if r.status_code != 201]
    numbers = sorted(r.get_json()["number"] for r in responses)
    assert numbers == list(range(1, 13))
    db.session.expire_all()
    stored = db.session.scalars(db.select(Meeting.number).where(Meeting.body_id == body_id)).all()
    assert sorted(stored) == numbers
