"""The roll-up's kept figures (round_tallies, app.reports.tallies): after any sequence of report changes made
through the services, every kept row equals a full recomputation from the reports; the roll-up reads one row
per sub-item whatever the number of reports; bulk paths, the command line and deletions keep them right."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from app.auth.models import User
from app.bodies.models import Body
from app.errors import ServiceError
from app.extensions import db
from app.reports import figures, filing, services
from app.reports.models import (
    PROGRESS_STATUSES,
    Plan,
    ProgressReport,
    ReportingRound,
    RoundTally,
    SubItem,
    Theme,
)
from app.reports.tallies import differing_keys, recount_everything
from app.rollup import RECEIVED_STATES, SubItemTally
from tests.functional.test_reports_api import make_plan, make_round
from tests.functional.test_rollup_queries import counted, fresh

SEED = 20201
STEPS = 300
DUE_DATES = (date(2020, 4, 15), date(2999, 7, 15), date(2026, 12, 1), date(2027, 1, 15))


@dataclass
class Scene:
    """Five units; a plan of 2 themes and 4 sub-items with overlapping units; two open rounds; a reporter per unit."""

    plan_id: int
    round_ids: list[int]
    unit_ids: list[int]
    reporters: dict[int, User]  # by unit id
    secretariat: User


@pytest.fixture
def scene(make_unit, make_user, make_body) -> Scene:
    units = [make_unit(f"U{n}") for n in range(1, 6)]
    group = make_body("คณะทำงานทดสอบตัวเลขสะสม", numbering="fiscal")
    plan = make_plan(group, [(1, [(1, units[:2]), (2, units[1:4])]), (2, [(1, units), (1, units[4:])])])
    rounds = [make_round(plan, 6, due=DUE_DATES[0]), make_round(plan, 9, due=DUE_DATES[1])]
    reporters = {unit.id: make_user("reporter", unit=unit) for unit in units}
    return Scene(plan.id, [r.id for r in rounds], [u.id for u in units], reporters, make_user("secretariat"))


def rounds_of(scene: Scene) -> list[ReportingRound]:
    return list(db.session.scalars(select(ReportingRound).where(ReportingRound.id.in_(scene.round_ids))))


def sub_items_of(scene: Scene) -> list[SubItem]:
    return list(db.session.scalars(select(SubItem).join(Theme).where(Theme.plan_id == scene.plan_id)
                                   .order_by(SubItem.id)))


def reports_of(scene: Scene, *states: str) -> list[ProgressReport]:
    query = select(ProgressReport).where(ProgressReport.round_id.in_(scene.round_ids)).order_by(ProgressReport.id)
    if states:
        query = query.where(ProgressReport.state.in_(states))
    return list(db.session.scalars(query))


def free_slots(scene: Scene, *, responsible: bool = True) -> list[tuple[int, SubItem, int]]:
    """(round id, sub-item, unit id) without a report; only responsible units unless told otherwise."""
    taken = {(r.round_id, r.sub_item_id, r.unit_id) for r in reports_of(scene)}
    return [(round_id, s, unit_id) for round_id in scene.round_ids for s in sub_items_of(scene)
            for unit_id in ([u.id for u in s.units] if responsible else scene.unit_ids)
            if (round_id, s.id, unit_id) not in taken]


def progress(rng: random.Random) -> dict:
    status = rng.choice(PROGRESS_STATUSES)
    return {"status": status, "percent": 100 if status == "completed" else rng.randint(0, 100)}


# --- the steps: each makes one change through the services (or, for old data, the ORM) --------------------

def create(rng, scene):
    slots = free_slots(scene)
    if not slots:
        return False
    round_id, sub_item, unit_id = rng.choice(slots)
    result = "ผลการดำเนินงาน" if rng.random() < 0.8 else None
    services.create_report(scene.reporters[unit_id], {"sub_item_id": sub_item.id, "round_id": round_id,
                                                      "result": result, **progress(rng)})
    return True


def edit(rng, scene):
    editable = reports_of(scene, "draft", "returned")
    if not editable:
        return False
    report = rng.choice(editable)
    services.update_report(scene.reporters[report.unit_id], report, {"result": "ผลที่แก้ไขแล้ว", **progress(rng)},
                           report.version)
    return True


def submit(rng, scene):
    ready = [r for r in reports_of(scene, "draft", "returned") if r.result]
    if not ready:
        return False
    report = rng.choice(ready)
    services.submit_report(scene.reporters[report.unit_id], report, report.version)
    return True


def file_unit_round(rng, scene):
    """filing.save_unit_round: several of a unit's reports saved (and maybe sent) in one unit of work."""
    unit_id = rng.choice(scene.unit_ids)
    round_ = db.session.get(ReportingRound, rng.choice(scene.round_ids))
    lines = [line for line in filing.unit_round(scene.reporters[unit_id], round_, unit_id) if line.editable]
    if not lines:
        return False
    rows = {line.sub_item.id: {"result": "ผลการดำเนินงานของหน่วยงาน", **progress(rng),
                               "version": line.report.version if line.report else None}
            for line in rng.sample(lines, rng.randint(1, len(lines)))}
    filing.save_unit_round(scene.reporters[unit_id], round_, unit_id, rows, submit=rng.random() < 0.5)
    return True


def accept(rng, scene):
    waiting = reports_of(scene, "submitted", "resubmitted")
    if not waiting:
        return False
    report = rng.choice(waiting)
    services.accept_report(scene.secretariat, report, report.version)
    return True


def send_back(rng, scene):
    waiting = reports_of(scene, "submitted", "resubmitted")
    if not waiting:
        return False
    report = rng.choice(waiting)
    services.return_report(scene.secretariat, report, "กรุณาแนบหลักฐานเพิ่มเติม", report.version)
    return True


def delete_report(rng, scene):
    """A draft deleted or, now and then, a delivered report removed by an administrator (through the ORM)."""
    reports = reports_of(scene) if rng.random() < 0.4 else reports_of(scene, "draft")
    if not reports:
        return False
    db.session.delete(rng.choice(reports))
    db.session.flush()
    return True


def move_due_date(rng, scene):
    round_ = db.session.get(ReportingRound, rng.choice(scene.round_ids))
    services.update_round(round_, {"due_date": rng.choice(DUE_DATES).isoformat()}, scene.secretariat)
    return True


def change_units(rng, scene):
    """A unit added to or taken off a sub-item (its reports stay, and stop counting while it is off)."""
    sub_item = rng.choice(sub_items_of(scene))
    unit_ids = {u.id for u in sub_item.units} ^ {rng.choice(scene.unit_ids)}
    if not unit_ids:
        return False
    services.save_sub_item(sub_item.theme, sub_item, {"title": sub_item.title, "number": sub_item.number,
                                                      "weight": str(sub_item.weight), "unit_ids": sorted(unit_ids)},
                           scene.secretariat)
    return True


def old_delivered_report(rng, scene):
    """A report delivered before the due date at delivery was recorded (it follows the round's current due date),
    written with the ORM as an import would; sometimes of a unit not responsible for the sub-item."""
    slots = free_slots(scene, responsible=rng.random() < 0.7)
    if not slots:
        return False
    round_id, sub_item, unit_id = rng.choice(slots)
    delivered = datetime(2020, 4, 15, 16, 30, tzinfo=timezone.utc) + timedelta(days=rng.choice((-30, 0, 1, 4000)))
    db.session.add(ProgressReport(round_id=round_id, sub_item_id=sub_item.id, unit_id=unit_id,
                                  state=rng.choice(sorted(RECEIVED_STATES)), result="ผลเดิม", submitted_at=delivered,
                                  **progress(rng)))
    db.session.flush()
    return True


def correct_by_hand(rng, scene):
    """An administrator's correction through the ORM: another percent and status, or another state."""
    reports = reports_of(scene)
    if not reports:
        return False
    report = rng.choice(reports)
    if rng.random() < 0.5:
        for name, value in progress(rng).items():
            setattr(report, name, value)
    else:
        report.state = rng.choice(("draft", "submitted", "accepted", "returned"))
    db.session.flush()
    return True


STEP_KINDS = (create, create, edit, submit, submit, file_unit_round, accept, send_back, delete_report, move_due_date,
              change_units, old_delivered_report, correct_by_hand)


def assert_kept_equals_recomputed(scene: Scene, where: str) -> None:
    rounds = rounds_of(scene)
    kept, fresh_tallies = figures._tallies(rounds), figures.recomputed_tallies(rounds)
    assert kept == fresh_tallies, where


def random_changes(scene: Scene, rng: random.Random, steps: int) -> dict[str, int]:
    """`steps` random changes, most committed, some rolled back, some left to the next step's transaction; the
    kept figures checked against a full recomputation after each. Returns how many of each kind took effect."""
    done: dict[str, int] = {}
    for step in range(steps):
        kind = rng.choice(STEP_KINDS)
        try:
            changed = kind(rng, scene)
        except ServiceError:
            db.session.rollback()
            changed = False
        if changed:
            done[kind.__name__] = done.get(kind.__name__, 0) + 1
        ending = rng.random()
        if ending < 0.75:
            db.session.commit()
        elif ending < 0.85:
            db.session.rollback()  # what the step changed goes, and the kept figures with it
        assert_kept_equals_recomputed(scene, f"step {step}: {kind.__name__}")
    db.session.commit()
    return done


def test_kept_figures_equal_a_full_recomputation_after_random_changes(scene):
    done = random_changes(scene, random.Random(SEED), STEPS)
    assert set(done) == {k.__name__ for k in STEP_KINDS}, done  # every kind of change happened
    assert min(done.values()) >= 5, done
    # every column (the counts per status too) equals what a rebuild writes
    kept = set(db.session.execute(select(RoundTally.__table__)).all())
    with db.session.begin_nested():
        recount_everything()
        rebuilt = set(db.session.execute(select(RoundTally.__table__)).all())
        db.session.rollback()
    assert kept == rebuilt
    received = db.session.scalar(select(func.sum(RoundTally.received)))
    assert received and received > 10  # the sequence delivered reports, so the comparison was not trivial


def test_the_migration_fills_the_figures_of_reports_already_filed(scene):
    import importlib.util
    from pathlib import Path

    from sqlalchemy import delete, text

    random_changes(scene, random.Random(SEED + 1), 80)
    kept = set(db.session.execute(select(RoundTally.__table__)).all())
    path = Path(__file__).parents[2] / "migrations" / "versions" / "f5a3c9d0e725_round_tallies.py"
    spec = importlib.util.spec_from_file_location("round_tallies_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(delete(RoundTally))
    db.session.execute(text(migration.filled_tallies(db.engine.dialect.name)))
    assert set(db.session.execute(select(RoundTally.__table__)).all()) == kept
    assert len(kept) == 8 and sum(row.received for row in kept) > 0


def test_deleting_rounds_and_sub_items_takes_their_rows_and_new_ones_get_rows(scene):
    tallies = lambda: set(db.session.execute(select(RoundTally.round_id, RoundTally.sub_item_id)).all())  # noqa: E731
    sub_items = sub_items_of(scene)
    assert tallies() == {(r, s.id) for r in scene.round_ids for s in sub_items}
    assert {t.expected for t in figures._tallies(rounds_of(scene)).values()} == {1, 2, 3, 5}

    plan = db.session.get(Plan, scene.plan_id)
    new_round = make_round(plan, 12, due=DUE_DATES[1])
    theme = plan.themes[0]
    added = services.save_sub_item(theme, None, {"title": "ประเด็นย่อยใหม่", "unit_ids": scene.unit_ids[:2]},
                                   scene.secretariat)
    db.session.commit()
    rounds = [*scene.round_ids, new_round.id]
    assert tallies() == {(r, s.id) for r in rounds for s in [*sub_items, added]}
    assert figures._tallies([new_round])[(new_round.id, added.id)] == SubItemTally(expected=2)

    services.delete_sub_item(added, scene.secretariat)
    db.session.delete(new_round)
    db.session.commit()
    assert tallies() == {(r, s.id) for r in scene.round_ids for s in sub_items}


def build(tag: str, n_units: int, make_unit, make_body) -> tuple[Body, Plan, ReportingRound]:
    """4 sub-items, every unit responsible for each; a delivered report from every unit on every sub-item in two
    rounds, added through the ORM (so the flush keeps the figures)."""
    units = [make_unit(f"{tag}{n:03d}") for n in range(1, n_units + 1)]
    committee = make_body(f"คณะกรรมการ {tag}", kind="committee")
    group = make_body(f"คณะทำงาน {tag}", parent=committee)
    plan = make_plan(group, [(1, [(1, units), (1, units)]), (2, [(1, units), (3, units)])], title=f"แผน {tag}")
    rounds = [make_round(plan, 6, due=DUE_DATES[0]), make_round(plan, 9, due=DUE_DATES[1])]
    delivered = datetime(2020, 4, 10, 3, 0, tzinfo=timezone.utc)
    statuses = ("on_track", "at_risk", "delayed")
    db.session.add_all([
        ProgressReport(round_id=r.id, sub_item_id=s.id, unit_id=u.id, state="submitted", result="ผล",
                       status=statuses[(u.id + s.id) % 3], percent=(u.id * 7 + s.id) % 100, submitted_at=delivered,
                       due_on_at_submission=r.due_date)
        for r in rounds for t in plan.themes for s in t.sub_items for u in units])
    db.session.commit()
    return committee, plan, rounds[-1]


def test_the_roll_up_reads_one_row_per_sub_item_whatever_the_number_of_reports(make_unit, make_body):
    small, large = build("S", 3, make_unit, make_body), build("L", 30, make_unit, make_body)
    counts = []
    for ids, n_units in (([x.id for x in small], 3), ([x.id for x in large], 30)):
        committee_id, plan_id, round_id = ids
        assert db.session.scalar(select(func.count()).select_from(ProgressReport)
                                 .where(ProgressReport.round_id == round_id)) == 4 * n_units
        round_ = fresh(ReportingRound, round_id)
        committee, plan = db.session.get(Body, committee_id), db.session.get(Plan, plan_id)
        with counted() as statements:
            result = figures.round_rollup(round_)
            view = figures.committee_view(committee)
            chart = figures.round_comparison(plan, 2563)
        assert result.figure.counts.submitted == result.figure.counts.expected == 4 * n_units
        assert view.plans[0][2] == result.figure and chart[-1][1] == result.figure
        assert len(figures._tallies([round_])) == 4  # the rows read: one per sub-item
        assert not [s for s in statements if "progress_reports" in s or "sub_item_units" in s], statements
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert differing_keys() == []


def test_bulk_paths_recount_and_the_command_line_rebuilds_and_checks(app):
    from app.demo.scale import load_scale

    summary = load_scale(units=4, sub_items=3, years=1, seed=7)  # reports written with COPY / bulk INSERTs
    db.session.commit()
    of_scale_plan = RoundTally.round_id.in_(select(ReportingRound.id).where(ReportingRound.plan_id == summary.plan_id))
    rows = lambda: db.session.scalar(select(func.count()).select_from(RoundTally).where(of_scale_plan))  # noqa: E731
    assert rows() == 4 * 3  # 4 rounds × 3 sub-items
    assert db.session.scalar(select(func.sum(RoundTally.received)).where(of_scale_plan)) > 0
    assert differing_keys() == []

    runner = app.test_cli_runner()
    assert runner.invoke(args=["reports", "recount", "--check"]).exit_code == 0
    db.session.execute(update(RoundTally).where(of_scale_plan)
                       .values(percent_sum=RoundTally.percent_sum + 1))  # kept rows gone wrong
    db.session.commit()
    checked = runner.invoke(args=["reports", "recount", "--check"])
    assert checked.exit_code == 1 and checked.output.startswith("12 (round, sub-item) tallies differ"), checked.output
    total = db.session.scalar(select(func.count()).select_from(RoundTally))
    rebuilt = runner.invoke(args=["reports", "recount"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.output.strip() == f"recounted {total} (round, sub-item) tallies"
    db.session.remove()
    assert differing_keys() == []

    again = load_scale(units=4, sub_items=3, years=1, seed=8)  # replaces the plan: its old rows go with it
    db.session.commit()
    assert again.plan_id == summary.plan_id and rows() == 4 * 3
    assert db.session.scalar(select(func.count()).select_from(RoundTally)) == total
    assert differing_keys() == []
