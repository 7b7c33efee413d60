"""The pages that list a plan's units and reports stay a few hundred lines long at any size (issue 14, the pages):
the review queue and the round's table a page at a time, the round's missing reports and the plan's responsible
units summarised (counts, the first ones, a link to the rest), the dashboard's drill-down paged; each page runs
the same number of SQL statements for 20 units as for 200."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from app.bodies.models import Body, Unit
from app.extensions import db
from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem, Theme, sub_item_units
from app.reports.routes import DRILL_DOWN_PER_PAGE, MISSING_UNITS_SHOWN, ROUND_TABLE_LIMIT
from app.reports.services import REVIEW_PER_PAGE
from app.reports.tallies import recount_round_tallies
from app.thaidates import round_period
from tests.sql import counted

SUB_ITEMS = 3
SUBMITTED_AT = datetime(2020, 7, 1, 3, 0, tzinfo=timezone.utc)


@dataclass
class Sized:
    """A plan of `units` offices × 3 sub-items with an open 9-month round; the i-th unit (1-based) has submitted
    its reports on every sub-item when i % 3 == 1, filed drafts when i % 3 == 2 and nothing when i % 3 == 0."""

    tag: str
    plan_id: int
    round_id: int
    sub_item_ids: list[int]
    unit_ids: list[int]  # in code order

    @property
    def units(self) -> int:
        return len(self.unit_ids)

    def submitted_units(self) -> list[int]:
        return [u for i, u in enumerate(self.unit_ids, 1) if i % 3 == 1]

    def missing_units(self) -> list[int]:
        return [u for i, u in enumerate(self.unit_ids, 1) if i % 3 != 1]


def build(tag: str, n_units: int) -> Sized:
    """The plan, its units and reports, inserted in bulk (tallies recounted, as `flask demo scale` does)."""
    group = Body(name=f"คณะทำงาน {tag}", kind="working_group", numbering="fiscal")
    db.session.add(group)
    db.session.flush()
    plan = Plan(title=f"แผน {tag}", owner_body_id=group.id, start_year_be=2562, end_year_be=2564)
    db.session.add(plan)
    db.session.flush()
    theme = Theme(plan_id=plan.id, number=1, title="ประเด็นหลัก 1", weight=1)
    db.session.add(theme)
    db.session.flush()
    db.session.execute(insert(SubItem), [{"theme_id": theme.id, "number": s, "title": f"ประเด็นย่อย {s}", "weight": 1}
                                         for s in range(1, SUB_ITEMS + 1)])
    sub_ids = list(db.session.scalars(select(SubItem.id).where(SubItem.theme_id == theme.id).order_by(SubItem.number)))
    db.session.execute(insert(Unit), [{"code": f"{tag}{u:04d}", "name": f"หน่วยงาน {tag} {u}", "active": True}
                                      for u in range(1, n_units + 1)])
    unit_ids = list(db.session.scalars(select(Unit.id).where(Unit.code.like(f"{tag}%")).order_by(Unit.code)))
    db.session.execute(insert(sub_item_units), [{"sub_item_id": s, "unit_id": u} for s in sub_ids for u in unit_ids])
    start, end = round_period(2563, 9)
    round_ = ReportingRound(plan_id=plan.id, fiscal_year_be=2563, months=9, period_start=start, period_end=end,
                            due_date=date(2020, 7, 15), status="open")
    db.session.add(round_)
    db.session.flush()
    rows, minute = [], 0
    for i, u in enumerate(unit_ids, 1):
        if i % 3 == 0:
            continue
        for s in sub_ids:
            minute += 1
            submitted = i % 3 == 1
            rows.append({"unit_id": u, "sub_item_id": s, "round_id": round_.id,
                         "state": "submitted" if submitted else "draft", "status": "on_track", "percent": 50,
                         "version": 1, "result": "ผลการดำเนินงาน",
                         "submitted_at": SUBMITTED_AT + timedelta(minutes=minute) if submitted else None,
                         "created_at": SUBMITTED_AT, "updated_at": SUBMITTED_AT})
    db.session.execute(insert(ProgressReport), rows)
    recount_round_tallies([round_.id])
    db.session.commit()
    return Sized(tag, plan.id, round_.id, sub_ids, unit_ids)


@pytest.fixture
def sizes(app) -> tuple[Sized, Sized]:
    """20 and 200 units."""
    return build("S", 20), build("L", 200)


@pytest.fixture
def secretariat(client, make_user, login):
    login(make_user("secretariat"))
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def statements_of(client, url: str) -> int:
    db.session.remove()
    with counted() as statements:
        page(client, url)
    return len(statements)


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</section>", start)]


def report_links(html: str) -> list[int]:
    """The ids of the reports a review queue page lists, in order."""
    return [int(n) for n in re.findall(r'class="fw-bold" href="/reports/(\d+)"', html)]


def queue_in_order(sized: Sized) -> list[int]:
    return list(db.session.scalars(select(ProgressReport.id).where(ProgressReport.round_id == sized.round_id,
                                                                   ProgressReport.state == "submitted")
                                   .order_by(ProgressReport.submitted_at, ProgressReport.id)))


# --- the review queue -------------------------------------------------------------------------------------------

def test_the_review_queue_is_paged_oldest_first_with_its_total(secretariat, sizes):
    everything = list(db.session.scalars(select(ProgressReport.id).where(ProgressReport.state == "submitted")
                                         .order_by(ProgressReport.submitted_at, ProgressReport.id)))
    assert len(everything) > 2 * REVIEW_PER_PAGE
    first = page(secretariat, "/reports/review")
    second = page(secretariat, "/reports/review?page=2")
    assert report_links(first) == everything[:REVIEW_PER_PAGE]
    assert report_links(second) == everything[REVIEW_PER_PAGE:2 * REVIEW_PER_PAGE]
    assert f'id="queue-total">{len(everything)}<' in first
    assert "/reports/review?page=2" in first  # the pager


def test_the_review_queue_narrows_to_a_unit_a_sub_item_or_a_round(secretariat, sizes):
    small, large = sizes
    unit_id = large.submitted_units()[5]
    code = db.session.get(Unit, unit_id).code
    html = page(secretariat, f"/reports/review?unit_code={code.lower()}")
    expected = list(db.session.scalars(select(ProgressReport.id).where(ProgressReport.unit_id == unit_id)
                                       .order_by(ProgressReport.submitted_at, ProgressReport.id)))
    assert report_links(html) == expected and len(expected) == SUB_ITEMS
    html = page(secretariat, f"/reports/review?sub_item={large.sub_item_ids[1]}&page=2")
    on_sub_item = list(db.session.scalars(select(ProgressReport.id).where(
        ProgressReport.sub_item_id == large.sub_item_ids[1], ProgressReport.state == "submitted")
        .order_by(ProgressReport.submitted_at, ProgressReport.id)))
    assert report_links(html) == on_sub_item[REVIEW_PER_PAGE:2 * REVIEW_PER_PAGE]
    assert f'id="queue-total">{len(on_sub_item)}<' in html
    html = page(secretariat, f"/reports/review?round={small.round_id}")
    assert report_links(html) == queue_in_order(small)
    html = page(secretariat, "/reports/review?unit_code=NOPE")
    assert report_links(html) == [] and "ไม่พบหน่วยงาน" in html


def test_the_queue_total_comes_from_the_kept_figures_and_counts_what_the_queue_lists(secretariat, sizes,
                                                                                     make_user):
    from app.reports import services
    from app.reports.models import SubItem

    small = sizes[0]
    listed = queue_in_order(small)
    html = page(secretariat, f"/reports/review?round={small.round_id}")
    assert f'id="queue-total">{len(listed)}<' in html
    # a unit taken off a sub-item after submitting: its report no longer counts in the roll-up, nor in the queue
    sub_item = db.session.get(SubItem, small.sub_item_ids[0])
    leaving = small.submitted_units()[0]
    services.save_sub_item(sub_item.theme, sub_item, {
        "number": sub_item.number, "title": sub_item.title, "weight": "1",
        "unit_ids": [u.id for u in sub_item.units if u.id != leaving]}, make_user("secretariat"))
    db.session.commit()
    html = page(secretariat, f"/reports/review?round={small.round_id}")
    gone = db.session.scalar(select(ProgressReport.id).where(ProgressReport.unit_id == leaving,
                                                             ProgressReport.sub_item_id == sub_item.id))
    assert gone not in report_links(html) and len(report_links(html)) == len(listed) - 1
    assert f'id="queue-total">{len(listed) - 1}<' in html
    assert services.awaiting_count(round_id=small.round_id) == len(listed) - 1
    assert services.awaiting_count(unit_id=leaving, round_id=small.round_id) == SUB_ITEMS - 1


def test_accepting_from_the_queue_returns_to_the_same_page_and_filters(secretariat, sizes):
    from tests.conftest import csrf_from

    large = sizes[1]
    url = f"/reports/review?sub_item={large.sub_item_ids[0]}&page=2"
    html = page(secretariat, url)
    report_id = report_links(html)[0]
    version = db.session.get(ProgressReport, report_id).version
    response = secretariat.post(f"/reports/{report_id}/accept", data={
        "csrf_token": csrf_from(html), "version": version, "next_queue": "1", "confirmed": "1",
        "queue_args": f"sub_item={large.sub_item_ids[0]}&page=2&evil=https://x.example"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/reports/review?") and "page=2" in location and "evil" not in location


def test_the_review_queue_runs_the_same_statements_for_20_and_200_units(secretariat, sizes):
    small, large = sizes
    counts = [statements_of(secretariat, f"/reports/review?round={s.round_id}&page=2") for s in sizes]
    counts += [statements_of(secretariat, f"/reports/review?round={s.round_id}") for s in sizes]
    assert counts[0] == counts[1] and counts[2] == counts[3], counts


# --- the round page ----------------------------------------------------------------------------------------------

def test_the_round_page_summarises_missing_reports_with_their_counts(secretariat, sizes):
    large = sizes[1]
    html = page(secretariat, f"/rounds/{large.round_id}")
    by_unit = section(html, "missing-by-unit")
    shown = re.findall(r'title="(L\d+)">[^<]+</span></strong> <span class="badge bg-danger">(\d+)</span>', by_unit)
    codes = [db.session.get(Unit, u).code for u in large.missing_units()]
    assert [code for code, _n in shown] == codes[:MISSING_UNITS_SHOWN]
    assert all(int(n) == SUB_ITEMS for _code, n in shown)
    assert 'id="more-missing-units"' in by_unit and f"({len(codes) * SUB_ITEMS:,} รายการ)" in by_unit
    by_sub = section(html, "missing-by-sub-item")
    badges = re.findall(r'<strong>1\.(\d)</strong>.*?badge bg-danger">([\d,]+)</span>', by_sub, re.S)
    assert badges == [(str(n), f"{len(codes):,}") for n in range(1, SUB_ITEMS + 1)]
    assert f"/rounds/{large.round_id}?sub_item={large.sub_item_ids[0]}&amp;show=missing" in by_sub


def test_the_round_page_lists_its_reports_a_page_at_a_time_and_filters_them(secretariat, sizes):
    large = sizes[1]
    total = large.units * SUB_ITEMS

    def rows(url):
        table = page(secretariat, url)
        table = table[table.index('id="expected-reports"'):]
        return re.findall(r"<tr>\s*<td>(1\.\d)</td>\s*<td>.*?title=\"[^\"]*\((L\d+)\)\"", table, re.S), table

    first, _ = rows(f"/rounds/{large.round_id}")
    second, _ = rows(f"/rounds/{large.round_id}?page=2")
    codes = [db.session.get(Unit, u).code for u in large.unit_ids]
    in_order = [(f"1.{s}", c) for s in range(1, SUB_ITEMS + 1) for c in codes]
    assert first == in_order[:ROUND_TABLE_LIMIT] and second == in_order[ROUND_TABLE_LIMIT:2 * ROUND_TABLE_LIMIT]
    html = page(secretariat, f"/rounds/{large.round_id}?page=2")
    assert f"{ROUND_TABLE_LIMIT + 1}–{2 * ROUND_TABLE_LIMIT} จาก {total:,}" in html
    only_unit, _ = rows(f"/rounds/{large.round_id}?unit_code={codes[4]}")
    assert only_unit == [(f"1.{s}", codes[4]) for s in range(1, SUB_ITEMS + 1)]
    missing_codes = [db.session.get(Unit, u).code for u in large.missing_units()]
    missing_page, _ = rows(f"/rounds/{large.round_id}?sub_item={large.sub_item_ids[2]}&show=missing")
    assert missing_page == [("1.3", c) for c in missing_codes][:ROUND_TABLE_LIMIT]
    assert f"จาก {len(missing_codes):,}" in page(
        secretariat, f"/rounds/{large.round_id}?sub_item={large.sub_item_ids[2]}&show=missing")
    unknown = page(secretariat, f"/rounds/{large.round_id}?unit_code=NOPE")
    assert "ไม่พบหน่วยงาน" in unknown


def test_the_round_page_runs_the_same_statements_for_20_and_200_units(secretariat, sizes):
    for query in ("", "?page=2", "?show=missing", "?unit_code={code}"):
        counts = [statements_of(secretariat, f"/rounds/{s.round_id}"
                                + query.format(code=db.session.get(Unit, s.unit_ids[1]).code)) for s in sizes]
        assert counts[0] == counts[1], (query, counts)


# --- the plan page -----------------------------------------------------------------------------------------------

def test_the_plan_page_names_the_first_units_and_links_to_all_of_them(secretariat, sizes):
    small, large = sizes
    html = page(secretariat, f"/plans/{large.plan_id}")
    row = html[html.index(f'id="sub-item-{large.sub_item_ids[0]}"'):]
    row = row[:row.index("</tr>")]
    assert row.count('class="badge bg-secondary') == 20
    assert f"/sub-items/{large.sub_item_ids[0]}/units" in row and "ทั้งหมด 200 หน่วยงาน" in row
    small_html = page(secretariat, f"/plans/{small.plan_id}")
    row = small_html[small_html.index(f'id="sub-item-{small.sub_item_ids[0]}"'):]
    row = row[:row.index("</tr>")]
    assert row.count('class="badge bg-secondary') == 20 and "/units" not in row


def test_a_sub_items_units_are_listed_a_page_at_a_time_and_searched(secretariat, sizes):
    large = sizes[1]
    codes = [db.session.get(Unit, u).code for u in large.unit_ids]
    url = f"/sub-items/{large.sub_item_ids[0]}/units"
    first = re.findall(r"<tr><td>(L\d+)</td>", page(secretariat, url))
    second_html = page(secretariat, url + "?page=2")
    assert first == codes[:100] and re.findall(r"<tr><td>(L\d+)</td>", second_html) == codes[100:200]
    assert 'id="units-total">(200)' in second_html
    found = re.findall(r"<tr><td>(L\d+)</td>", page(secretariat, url + "?q=L015"))
    assert found == [c for c in codes if "L015" in c] and found


def test_the_plan_pages_run_the_same_statements_for_20_and_200_units(secretariat, sizes):
    counts = [statements_of(secretariat, f"/plans/{s.plan_id}") for s in sizes]
    assert counts[0] == counts[1], counts
    counts = [statements_of(secretariat, f"/sub-items/{s.sub_item_ids[0]}/units?page=1") for s in sizes]
    assert counts[0] == counts[1], counts


# --- the dashboard and home --------------------------------------------------------------------------------------

def test_the_dashboards_drill_down_pages_a_large_sub_items_units(secretariat, app):
    large = build("D", 450)  # 1,350 expected reports: one sub-item at a time
    codes = [db.session.get(Unit, u).code for u in large.unit_ids]
    url = f"/reports/dashboard?plan={large.plan_id}&round={large.round_id}&sub_item={large.sub_item_ids[0]}"

    def units(html):
        return re.findall(r"<tr>\s*<td>(?:<a [^>]*>)?หน่วยงาน D (\d+)<", html)

    first, second, third = (units(page(secretariat, url + f"&page={n}")) for n in (1, 2, 3))
    numbers = [str(int(c[1:])) for c in codes]
    assert first == numbers[:DRILL_DOWN_PER_PAGE]
    assert second == numbers[DRILL_DOWN_PER_PAGE:2 * DRILL_DOWN_PER_PAGE]
    assert third == numbers[2 * DRILL_DOWN_PER_PAGE:]


def test_the_dashboard_drill_down_and_home_run_the_same_statements_for_sizes(secretariat, app):
    sizes = build("A", 420), build("B", 900)  # both past the inline limit
    counts = [statements_of(secretariat, f"/reports/dashboard?plan={s.plan_id}&round={s.round_id}"
                                         f"&sub_item={s.sub_item_ids[1]}&page=2") for s in sizes]
    assert counts[0] == counts[1], counts
    page(secretariat, "/")  # once before counting: a first visit may record something once
    home = [statements_of(secretariat, "/")]
    grow(sizes[0], 500)
    home.append(statements_of(secretariat, "/"))
    assert home[0] == home[1], home


def grow(sized: Sized, n_units: int) -> None:
    """More units responsible for every sub-item of the plan, each with a submitted report on each."""
    db.session.execute(insert(Unit), [{"code": f"{sized.tag}X{u:04d}", "name": f"หน่วยงานเพิ่ม {u}", "active": True}
                                      for u in range(1, n_units + 1)])
    added = list(db.session.scalars(select(Unit.id).where(Unit.code.like(f"{sized.tag}X%"))))
    db.session.execute(insert(sub_item_units), [{"sub_item_id": s, "unit_id": u}
                                                for s in sized.sub_item_ids for u in added])
    db.session.execute(insert(ProgressReport), [
        {"unit_id": u, "sub_item_id": s, "round_id": sized.round_id, "state": "submitted", "status": "on_track",
         "percent": 50, "version": 1, "result": "ผล", "submitted_at": SUBMITTED_AT, "created_at": SUBMITTED_AT,
         "updated_at": SUBMITTED_AT} for s in sized.sub_item_ids for u in added])
    recount_round_tallies([sized.round_id])
    db.session.commit()


# --- the API -----------------------------------------------------------------------------------------------------

def test_the_reports_api_pages_on_request_and_keeps_its_old_answer(client, sizes, make_user, token_for):
    large = sizes[1]
    headers = token_for(make_user("secretariat"))
    url = f"/api/v1/reports?round={large.round_id}&state=submitted"
    whole = client.get(url, headers=headers).get_json()
    assert "page" not in whole or whole["page"] is None
    ids = [r["id"] for r in whole["items"]]
    assert len(ids) == len(large.submitted_units()) * SUB_ITEMS
    second = client.get(url + "&page=2&per_page=40", headers=headers).get_json()
    assert [r["id"] for r in second["items"]] == ids[40:80]
    assert second["page"] == {"page": 2, "per_page": 40, "total": len(ids), "pages": -(-len(ids) // 40)}
    response = client.get(url + "&per_page=0", headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"]


def test_responsible_unit_counts_come_from_the_kept_figures_and_follow_changes(sizes, make_user):
    from app.reports import services
    from app.reports.models import SubItem, sub_item_units

    large = sizes[1]

    def counted(ids) -> dict[int, int]:
        return dict(db.session.execute(select(sub_item_units.c.sub_item_id, db.func.count())
                                       .where(sub_item_units.c.sub_item_id.in_(ids))
                                       .group_by(sub_item_units.c.sub_item_id)).tuples().all())

    assert services.responsible_unit_counts(large.sub_item_ids) == counted(large.sub_item_ids) == {
        sub_id: 200 for sub_id in large.sub_item_ids}
    user = make_user("secretariat")
    first = db.session.get(SubItem, large.sub_item_ids[0])
    services.save_sub_item(first.theme, first, {"number": first.number, "title": first.title, "weight": "1",
                                                "unit_ids": large.unit_ids[1:]}, user)
    added = services.save_sub_item(first.theme, None, {"title": "ตัวชี้วัดที่เพิ่มหลังเปิดรอบ", "weight": "1",
                                                       "unit_ids": large.unit_ids[:7]}, user)
    db.session.commit()
    ids = [*large.sub_item_ids, added.id]
    assert services.responsible_unit_counts(ids) == counted(ids)
    assert services.responsible_unit_counts(ids)[first.id] == 199 and services.responsible_unit_counts(ids)[added.id] == 7
