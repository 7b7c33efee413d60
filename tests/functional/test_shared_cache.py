"""The shared cache on one node: the roll-up answer and the committee overview are computed once per version of
their data and kept; readers share an answer only when they may read the same reports; a report change (through
the services or straight to the database), a round's new due date or a new report gives a new answer at once."""
from __future__ import annotations

import re

import pytest

from app.reports import documents, figures
from tests.functional.test_reports_api import act, filed, ok, put_report, world  # noqa: F401 (world is a fixture)


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """Every computation of a roll-up answer or of the committee views, in order."""
    calls: list[str] = []
    round_rollup, committee_views = figures.round_rollup, documents.committee_views

    def counted_rollup(*args, **kwargs):
        calls.append("rollup")
        return round_rollup(*args, **kwargs)

    def counted_views(*args, **kwargs):
        calls.append("overview")
        return committee_views(*args, **kwargs)

    monkeypatch.setattr(figures, "round_rollup", counted_rollup)
    monkeypatch.setattr(documents, "committee_views", counted_views)
    return calls


def rollup(client, w, who: str, **args) -> dict:
    query = "".join(f"&{name}={value}" for name, value in args.items())
    return ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}{query}", headers=w.headers[who]))


def sub_item(body: dict, code: str) -> dict:
    return next(s for t in body["themes"] for s in t["sub_items"] if s["code"] == code)


def unit_line(body: dict, code: str, unit: str) -> dict:
    return next(u for u in sub_item(body, code)["units"] if u["code"] == unit)


def test_readers_share_a_kept_rollup_only_when_they_read_the_same_reports(client, world, shared_cache, computed):
    w = world
    put_report(w.round, w.subs["1.1"], w.units["ICT"], "draft", "on_track", 80)  # the secretariat and ICT read it
    staff = rollup(client, w, "secretariat")
    assert rollup(client, w, "admin") == staff and computed == ["rollup"]  # the same audience: the kept answer
    assert unit_line(staff, "1.1", "ICT")["percent"] == 80
    member = rollup(client, w, "member")
    assert len(computed) == 2 and unit_line(member, "1.1", "ICT")["percent"] is None
    assert unit_line(member, "1.1", "ICT")["report_id"] is None
    ict = rollup(client, w, "ict")
    assert len(computed) == 3 and unit_line(ict, "1.1", "ICT")["percent"] == 80
    assert rollup(client, w, "ict2") == ict and len(computed) == 3  # another reporter of the same unit
    bps = rollup(client, w, "bps")
    assert len(computed) == 4 and unit_line(bps, "1.1", "ICT")["percent"] is None
    assert rollup(client, w, "viewer") == member and len(computed) == 4  # reads delivered reports, as the member
    # the summary alone shows no report: one answer for everybody
    summary = rollup(client, w, "member", units=0)
    for who in ("secretariat", "ict", "viewer", "outsider"):
        assert rollup(client, w, who, units=0) == summary
    assert len(computed) == 5
    # a page of unit lines is its own answer
    page = rollup(client, w, "secretariat", page=2, per_page=2)
    assert page["units_page"] == {"page": 2, "per_page": 2, "total": 7, "pages": 4} and len(computed) == 6
    assert rollup(client, w, "admin", page=2, per_page=2) == page and len(computed) == 6


def test_a_report_change_gives_a_new_rollup_at_once(client, world, shared_cache, computed):
    w = world
    before = rollup(client, w, "member")
    assert rollup(client, w, "member") == before and computed == ["rollup"]
    report = filed(client, w, "1.1", percent=40)  # a draft: the member's figures do not move …
    draft = rollup(client, w, "member")
    assert len(computed) == 2 and sub_item(draft, "1.1")["percent"] == 0
    assert act(client, w, report, "submit", "ict").status_code == 200  # … until it is submitted
    submitted = rollup(client, w, "member")
    assert len(computed) == 3 and sub_item(submitted, "1.1")["percent"] == 20  # (40 + 0) / 2 units
    assert unit_line(submitted, "1.1", "ICT")["percent"] == 40
    # a report written straight to the database (no audit event) moves the version too
    put_report(w.round, w.subs["1.1"], w.units["BPS"], "submitted", "on_track", 60)
    direct = rollup(client, w, "member")
    assert len(computed) == 4 and sub_item(direct, "1.1")["percent"] == 50


def test_a_new_due_date_gives_a_new_rollup_at_once(client, world, shared_cache, computed):
    w = world
    before = rollup(client, w, "viewer", units=0)
    assert before["counts"]["late"] == 7  # due 15 Jul 2020: every missing report is late
    assert rollup(client, w, "viewer", units=0) == before and len(computed) == 1
    moved = client.patch(f"/api/v1/rounds/{w.round.id}", json={"due_date": "2099-07-15"},
                         headers=w.headers["secretariat"])
    assert moved.status_code == 200, moved.get_data(as_text=True)
    after = rollup(client, w, "viewer", units=0)
    assert len(computed) == 2 and after["counts"]["late"] == 0 and after["round"]["due_date"] == "2099-07-15"


COMMITTEE_VIEW = re.compile(r'<section class="card mb-3 committee-view">.*?</section>', re.S)


def test_the_committee_overview_is_rendered_once_per_version(app, world, login, shared_cache, computed):
    w = world
    staff = login(w.users["secretariat"], c=app.test_client())
    viewer = login(w.users["viewer"], c=app.test_client())

    def overview(web) -> list[str]:
        response = web.get("/reports/dashboard")
        assert response.status_code == 200
        return COMMITTEE_VIEW.findall(response.get_data(as_text=True))

    first = overview(staff)
    assert len(first) == 1 and "0.00%" in first[0] and w.plan.title in first[0]
    assert overview(viewer) == first and overview(staff) == first and computed == ["overview"]
    put_report(w.round, w.subs["2.2"], w.units["BIE"], "submitted", "on_track", 90)
    changed = overview(viewer)
    # 2.2 = 90; theme 2 = (0 + 90) / 2 = 45; the plan = (0 × 1 + 45 × 2) / 3 = 30
    assert computed == ["overview", "overview"] and "30.00%" in changed[0]
    assert overview(staff) == changed and len(computed) == 2
    # the list of plans is kept with the views: a plan renamed (audited) is listed by its new name at once
    renamed = staff.patch(f"/api/v1/plans/{w.plan.id}", json={"title": "แผนปฏิรูปองค์การ (ฉบับปรับปรุง)"},
                          headers=w.headers["secretariat"])
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    listed = viewer.get("/reports/dashboard").get_data(as_text=True)
    assert len(computed) == 3 and "แผนปฏิรูปองค์การ (ฉบับปรับปรุง)</a>" in listed


def test_an_answer_with_too_many_unit_lines_is_not_kept(client, world, shared_cache, computed, monkeypatch):
    from app.api import reports as reports_api

    w = world
    monkeypatch.setattr(reports_api, "CACHED_UNIT_LINES", 3)  # the world's round has 7 unit lines
    for _ in range(2):
        rollup(client, w, "secretariat")
    assert len(computed) == 2
    for _ in range(2):
        rollup(client, w, "secretariat", page=1, per_page=3)
        rollup(client, w, "secretariat", units=0)
    assert len(computed) == 4


PLAN_FIGURE = re.compile(r'<section class="col-lg-8" id="plan-figure">.*?</aside>', re.S)


def test_a_large_plans_dashboard_figures_are_rendered_once_per_version(app, world, login, shared_cache, computed,
                                                                       monkeypatch):
    from app.reports import routes

    w = world
    monkeypatch.setattr(routes, "INLINE_DRILL_DOWN", 3)  # 7 expected reports: "large", no unit listed inline
    staff = login(w.users["secretariat"], c=app.test_client())
    viewer = login(w.users["viewer"], c=app.test_client())

    def figures_of(web, **args) -> str:
        query = "".join(f"&{name}={value}" for name, value in args.items())
        response = web.get(f"/reports/dashboard?plan={w.plan.id}&round={w.round.id}{query}")
        assert response.status_code == 200
        [found] = PLAN_FIGURE.findall(response.get_data(as_text=True))
        return found

    first = figures_of(staff)
    assert "0.00%" in first and figures_of(viewer) == first and figures_of(staff) == first
    assert computed == ["rollup"]
    put_report(w.round, w.subs["2.2"], w.units["BIE"], "submitted", "on_track", 90)
    changed = figures_of(viewer)
    assert computed == ["rollup", "rollup"] and "30.00%" in changed and figures_of(staff) == changed
    # a sub-item opened lists its units as the reader may read them: computed for each request, never kept
    opened = figures_of(viewer, sub_item=w.subs["2.2"].id)
    assert "BIE" in opened or w.units["BIE"].name in opened
    figures_of(viewer, sub_item=w.subs["2.2"].id)
    assert computed.count("rollup") == 4
    assert figures_of(staff) == changed and computed.count("rollup") == 4


ROUND_TABLE = re.compile(r'<table class="table table-sm align-middle" id="expected-reports">.*?</table>', re.S)


def test_the_round_page_is_rendered_once_per_version_for_the_secretariat(app, world, login, shared_cache, computed):
    w = world
    staff = login(w.users["secretariat"], c=app.test_client())
    admin = login(w.users["admin"], c=app.test_client())
    viewer = login(w.users["viewer"], c=app.test_client())

    def table(web, query: str = "") -> str:
        response = web.get(f"/rounds/{w.round.id}{query}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'name="csrf_token"' in html  # the forms around the kept parts carry this session's token
        [found] = ROUND_TABLE.findall(html)
        return found

    first = table(staff)
    assert table(admin) == first and table(staff) == first and computed == ["rollup"]
    table(viewer)
    table(viewer)  # a viewer reads delivered reports only: computed for each request, never kept
    assert computed == ["rollup"] * 3
    missing = table(staff, "?show=missing")  # another query is another rendering
    assert len(computed) == 4 and table(admin, "?show=missing") == missing and len(computed) == 4
    put_report(w.round, w.subs["2.2"], w.units["BIE"], "submitted", "on_track", 90)
    changed = table(admin)
    assert len(computed) == 5 and changed != first and ">90<" in changed.replace(" ", "")
    assert table(staff) == changed and len(computed) == 5


def test_a_kept_rollup_is_sent_as_kept_bytes_compressed_once(client, world, shared_cache, computed, monkeypatch):
    import gzip
    import json

    w = world
    url = f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}"
    plain = client.get(url, headers=w.headers["secretariat"])
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    compressed = gzip.compress  # the kept answer is not compressed again
    monkeypatch.setattr(gzip, "compress", lambda *a, **k: pytest.fail("compressed again"))
    packed = client.get(url, headers={**w.headers["secretariat"], "Accept-Encoding": "gzip, br"})
    assert computed == ["rollup"] and packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert json.loads(gzip.decompress(packed.get_data())) == plain.get_json()
    etag = plain.headers["ETag"]
    assert packed.headers["ETag"] == "W/" + etag  # one validator for both encodings, weak once encoded
    again = client.get(url, headers={**w.headers["secretariat"], "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and computed == ["rollup"]
    monkeypatch.setattr(gzip, "compress", compressed)
