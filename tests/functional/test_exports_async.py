"""Large exports by a background job: asking answers at once, the file is ready when the job is done; the owner
(and, for a closed round, whoever has the same view) downloads it; a failed job says so; every role."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from app.exports.models import Export
from app.extensions import db
from app.reports import documents
from tests.conftest import csrf_from
from tests.functional.test_reports_api import filed, world  # noqa: F401 (fixture)


def ask(client, w, who):
    return client.post(f"/api/v1/rounds/{w.round.id}/exports", headers=w.headers[who])


def test_the_round_workbook_as_a_job(client, world):  # noqa: F811
    filed(client, world)
    asked = ask(client, world, "secretariat")
    assert asked.status_code == 202, asked.get_data(as_text=True)
    export = client.get(asked.get_json()["url"], headers=world.headers["secretariat"]).get_json()
    assert export["state"] == "done" and export["filename"].endswith(".xlsx") and export["size"] > 0
    data = client.get(export["file_url"], headers=world.headers["secretariat"])
    assert data.status_code == 200
    sheet = load_workbook(io.BytesIO(data.data)).worksheets[0]
    assert sheet.max_row >= 2 and "ICT" in {cell.value for row in sheet.iter_rows() for cell in row}
    # another user's export is not theirs to follow while the round is open
    for who in ("ict", "member", "viewer", "bps"):
        assert client.get(asked.get_json()["url"], headers=world.headers[who]).status_code == 404


@pytest.mark.parametrize("who, status", [("secretariat", 202), ("admin", 202), ("viewer", 202), ("ict", 202),
                                         ("member", 202), ("outsider", 202)])
def test_who_may_ask(client, world, who, status):  # noqa: F811
    assert ask(client, world, who).status_code == status


def test_without_sign_in(app, world):  # noqa: F811
    anonymous = app.test_client()
    assert anonymous.post(f"/api/v1/rounds/{world.round.id}/exports").status_code == 401
    assert anonymous.get(f"/exports/1").status_code == 302


def test_a_closed_round_is_written_once_per_view(client, world):  # noqa: F811
    world.round.status = "closed"
    db.session.commit()
    first = ask(client, world, "secretariat").get_json()
    again = ask(client, world, "admin")
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    assert client.get(again.get_json()["file_url"], headers=world.headers["admin"]).status_code == 200
    own = ask(client, world, "ict").get_json()  # a reporter's view is their own unit's
    assert own["id"] != first["id"]
    assert db.session.query(Export).count() == 2


def test_a_failed_job_says_so(client, world, monkeypatch):  # noqa: F811
    def broken(round_, user):
        raise RuntimeError("ดิสก์เต็ม")

    monkeypatch.setattr(documents, "round_workbook", broken)
    url = ask(client, world, "secretariat").get_json()["url"]
    export = client.get(url, headers=world.headers["secretariat"]).get_json()
    assert export["state"] == "failed" and "ดิสก์เต็ม" in export["error"] and export["file_url"] is None
    refused = client.get(f"{url}/file", headers=world.headers["secretariat"])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_ready"


def test_on_the_web(app, client, world, login):  # noqa: F811
    web = login(world.users["secretariat"], c=app.test_client())
    page = web.get(f"/rounds/{world.round.id}").get_data(as_text=True)
    answer = web.post(f"/rounds/{world.round.id}/exports", data={"csrf_token": csrf_from(page)})
    assert answer.status_code == 302 and "/exports/" in answer.headers["Location"]
    shown = web.get(answer.headers["Location"]).get_data(as_text=True)
    assert "ไฟล์พร้อมแล้ว" in shown and "ดาวน์โหลด" in shown
    export = db.session.query(Export).one()
    assert web.get(f"/exports/{export.id}/file").status_code == 200
    assert web.post(f"/rounds/{world.round.id}/exports", data={}).status_code == 400  # no CSRF token
    member = login(world.users["member"], c=app.test_client())
    assert member.get(f"/exports/{export.id}").status_code == 404


def test_a_closed_round_changed_since_gets_a_new_file(client, world):  # noqa: F811
    from app.reports.models import ProgressReport

    report = filed(client, world)
    world.round.status = "closed"
    db.session.commit()
    first = ask(client, world, "secretariat").get_json()
    stored = db.session.get(ProgressReport, report["id"])
    stored.percent = 55  # reopened, corrected and closed again: the data moved on
    db.session.commit()
    again = ask(client, world, "admin").get_json()
    assert again["id"] != first["id"]
