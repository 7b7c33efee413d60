"""Scale data (DOMAIN.md, "Scale"): every educational service area office reporting on every indicator in
every round, so that pages and roll-ups can be measured at the size of the first seed.

`load_scale` is deterministic for a given seed and replaces its own plan on every run (the units are
kept). Rows are written with bulk INSERTs, not ORM objects, so the roll-up's kept figures are recounted at the end
(app.reports.tallies); it flushes, never commits (the caller commits).
"""
from __future__ import annotations

import random
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, insert, select, update

from app.attachments.models import Attachment
from app.audit.services import record
from app.bodies.models import Body, Unit
from app.demo import data
from app.extensions import db
from app.reports.models import (
    ROUND_MONTHS,
    Plan,
    ProgressReport,
    ReminderSent,
    ReportingRound,
    ReportVersion,
    RoundTally,
    SubItem,
    Theme,
    sub_item_units,
)
from app.reports.tallies import recount_round_tallies
from app.thaidates import BANGKOK, UTC, round_period

PLAN_TITLE = "ตัวชี้วัดผลลัพธ์ สำนักงานเขตพื้นที่การศึกษา (ข้อมูลทดสอบขนาดใหญ่)"
BODY_NAME = "คณะทำงานติดตามตัวชี้วัดสำนักงานเขตพื้นที่การศึกษา (ข้อมูลทดสอบขนาดใหญ่)"
UNIT_PREFIX = "ESA"
LAST_FISCAL_YEAR_BE = data.FISCAL_YEAR_BE  # the demo's current fiscal year; its 12-month round is the open one
DUE_AFTER = timedelta(days=15)  # a round is due 15 days after its period ends
CHUNK = 5000  # rows per bulk INSERT

# Sample province names: unit k is the primary educational service area office of PROVINCES[k % 76], เขต k // 76 + 1.
PROVINCES = (
    "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี", "ชัยนาท",
    "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก", "นครปฐม", "นครพนม",
    "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน", "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี",
    "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง", "พิจิตร", "พิษณุโลก",
    "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร", "ยะลา", "ร้อยเอ็ด",
    "ระนอง", "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล",
    "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี",
    "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี", "อุตรดิตถ์",
    "อุทัยธานี", "อุบลราชธานี",
)

# The four areas of OBEC's outcome indicators for the offices (DOMAIN.md), with sample indicator titles.
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("การบริหารงานด้านนโยบายและแผน", (
        "จัดทำแผนปฏิบัติราชการประจำปีสอดคล้องกับนโยบายและแล้วเสร็จตามกำหนด",
        "โครงการตามแผนปฏิบัติราชการดำเนินการแล้วเสร็จ",
        "ติดตาม ประเมินผล และรายงานผลการดำเนินงานตามแผนครบทุกรอบ",
        "ข้อมูลสารสนเทศเพื่อการวางแผนเป็นปัจจุบันและใช้ประกอบการตัดสินใจ",
        "จัดทำคำของบประมาณประจำปีแล้วเสร็จตามกำหนด",
    )),
    ("การบริหารงานด้านการเงินและบัญชี", (
        "การเบิกจ่ายงบประมาณรายจ่ายประจำปีเป็นไปตามเป้าหมาย",
        "รายงานการเงินและงบการเงินถูกต้องและส่งตามกำหนด",
        "บันทึกบัญชีในระบบ GFMIS ถูกต้องครบถ้วน",
        "จัดซื้อจัดจ้างและบริหารพัสดุเป็นไปตามระเบียบ",
        "ควบคุมภายในด้านการเงินและบัญชีมีประสิทธิภาพ",
    )),
    ("การตรวจสอบภายใน", (
        "ดำเนินการตามแผนการตรวจสอบภายในประจำปีแล้วเสร็จ",
        "หน่วยรับตรวจได้รับการตรวจสอบตามแผน",
        "ข้อเสนอแนะจากการตรวจสอบได้รับการแก้ไขครบถ้วน",
        "ประเมินระบบการควบคุมภายในและการบริหารความเสี่ยง",
        "ให้คำปรึกษาแก่สถานศึกษาด้านการเงิน บัญชี และพัสดุ",
    )),
    ("การพัฒนาองค์การ", (
        "บุคลากรได้รับการพัฒนาตามแผนพัฒนารายบุคคล (ID Plan)",
        "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA)",
        "นำเทคโนโลยีดิจิทัลมาใช้ในการบริหารจัดการ",
        "จัดการความรู้และพัฒนานวัตกรรมขององค์การ",
        "ผู้รับบริการพึงพอใจต่อการให้บริการ",
    )),
)

REVIEW_COMMENT = "กรุณาแนบหลักฐานผลการดำเนินงานให้ครบถ้วนและระบุผลเทียบกับเป้าหมาย"
OBSTACLES = {
    "at_risk": "การดำเนินงานบางส่วนล่าช้ากว่าแผนเนื่องจากบุคลากรไม่เพียงพอ",
    "delayed": "การเบิกจ่ายงบประมาณและการจัดซื้อจัดจ้างล่าช้า ส่งผลให้กิจกรรมเลื่อนออกไป",
}
SUGGESTIONS = {
    "at_risk": "ขอรับการสนับสนุนบุคลากรและคำแนะนำจากส่วนกลาง",
    "delayed": "ปรับแผนการดำเนินงานและเร่งรัดการดำเนินงานในรอบถัดไป",
}


@dataclass(frozen=True)
class ScaleSummary:
    """What `load_scale` wrote: the plan, its open round, the row counts and the time it took."""

    plan_id: int
    latest_round_id: int
    units: int
    sub_items: int
    rounds: int
    reports: int
    seconds: float

    def line(self) -> str:
        """One line for the command line."""
        return (f"scale: {self.units} units, {self.sub_items} sub-items, {self.rounds} rounds, "
                f"{self.reports} reports (plan {self.plan_id}, open round {self.latest_round_id}) "
                f"in {self.seconds:.1f} s")


def unit_code(number: int) -> str:
    """Code of the number-th (1-based) educational service area office: ESA001, ESA002 …"""
    return f"{UNIT_PREFIX}{number:03d}"


def unit_name(number: int) -> tuple[str, str]:
    """Sample full and short name of the number-th office, e.g. สำนักงานเขตพื้นที่การศึกษาประถมศึกษากระบี่ เขต 1."""
    province = PROVINCES[(number - 1) % len(PROVINCES)]
    district = (number - 1) // len(PROVINCES) + 1
    return f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province} เขต {district}", f"สพป.{province} เขต {district}"


def progress_status(percent: int, months: int) -> str:
    """Status of a cumulative percent after `months` of a 12-month year, judged against an even pace."""
    if percent >= 100:
        return "completed"
    if percent == 0:
        return "not_started"
    pace = percent / (months / 12 * 100)
    if pace < 0.6:
        return "delayed"
    if pace < 0.85:
        return "at_risk"
    return "on_track"


def year_percents(rng: random.Random) -> list[int]:
    """Cumulative percents at 3, 6, 9 and 12 months of one fiscal year, never falling.

    Most units keep pace with the plan, some slip and a few fall well behind; those on pace finish at 100.
    """
    draw = rng.random()
    pace = rng.uniform(0.9, 1.15) if draw < 0.7 else rng.uniform(0.7, 0.9) if draw < 0.9 else rng.uniform(0.35, 0.65)
    final = 100 if pace >= 0.95 else round(100 * pace)
    percents, reached = [], 0
    for months in ROUND_MONTHS[:-1]:
        reached = max(reached, min(final, round(months / 12 * pace * rng.uniform(90, 110))))
        percents.append(reached)
    if rng.random() < 0.05:
        percents[0] = 0  # not started in the first quarter
    return [*percents, final]


def ensure_units(count: int) -> list[int]:
    """Ids of offices ESA001..count, creating the missing ones in bulk."""
    codes = [unit_code(n) for n in range(1, count + 1)]
    existing = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all())
    missing = []
    for number, code in enumerate(codes, start=1):
        if code not in existing:
            name, short_name = unit_name(number)
            missing.append({"code": code, "name": name, "short_name": short_name, "active": True})
    for start in range(0, len(missing), CHUNK):
        db.session.execute(insert(Unit), missing[start:start + CHUNK])
    if missing:
        existing = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all())
    return [existing[code] for code in codes]


def ensure_owner_body() -> Body:
    """The working group owning the scale plan, under the demo governance committee (loading the demo if needed)."""
    committee = db.session.scalar(select(Body).where(Body.name == data.COMMITTEE_NAME))
    if committee is None:
        from app.demo.loader import load

        load()
        committee = db.session.scalar(select(Body).where(Body.name == data.COMMITTEE_NAME))
    body = db.session.scalar(select(Body).where(Body.name == BODY_NAME))
    if body is None:
        body = Body(
            name=BODY_NAME, short_name="คณะทำงานตัวชี้วัด สพท. (ทดสอบขนาดใหญ่)", kind="working_group",
            numbering="calendar", parent_id=committee.id, secretariat_unit_id=committee.secretariat_unit_id,
            description="ติดตามตัวชี้วัดผลลัพธ์ของสำนักงานเขตพื้นที่การศึกษาทุกเขต (ข้อมูลทดสอบขนาดใหญ่)", active=True,
        )
        db.session.add(body)
        db.session.flush()
    return body


def clear_plan(plan_id: int) -> None:
    """Delete the plan's rounds, reports, themes and sub-items with SQL deletes (the units stay)."""
    rounds = select(ReportingRound.id).where(ReportingRound.plan_id == plan_id)
    themes = select(Theme.id).where(Theme.plan_id == plan_id)
    sub_items = select(SubItem.id).where(SubItem.theme_id.in_(themes))
    reports = select(ProgressReport.id).where(ProgressReport.round_id.in_(rounds))
    for statement in (
        delete(RoundTally).where(RoundTally.round_id.in_(rounds)),
        delete(ReportVersion).where(ReportVersion.report_id.in_(reports)),
        delete(Attachment).where(Attachment.report_id.in_(reports)),  # scale reports carry no files of their own
        delete(ReminderSent).where(ReminderSent.round_id.in_(rounds)),
        delete(ProgressReport).where(ProgressReport.round_id.in_(rounds)),
        delete(ProgressReport).where(ProgressReport.sub_item_id.in_(sub_items)),
        delete(ReportingRound).where(ReportingRound.plan_id == plan_id),
        delete(sub_item_units).where(sub_item_units.c.sub_item_id.in_(sub_items)),
        delete(SubItem).where(SubItem.theme_id.in_(themes)),
        delete(Theme).where(Theme.plan_id == plan_id),
    ):
        db.session.execute(statement, execution_options={"synchronize_session": False})


def fresh_plan(owner: Body, first_year_be: int) -> Plan:
    """The scale plan, emptied when it already exists, covering first_year_be..LAST_FISCAL_YEAR_BE."""
    plan = db.session.scalar(select(Plan).where(Plan.title == PLAN_TITLE))
    values = {"owner_body_id": owner.id, "start_year_be": first_year_be, "end_year_be": LAST_FISCAL_YEAR_BE,
              "description": "ข้อมูลทดสอบขนาดใหญ่: ทุกสำนักงานเขตพื้นที่การศึกษารายงานทุกตัวชี้วัดในทุกรอบการรายงาน"}
    if plan is None:
        plan = Plan(title=PLAN_TITLE, **values)
        db.session.add(plan)
        db.session.flush()
        return plan
    clear_plan(plan.id)
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(**values))
    db.session.expire_all()
    return db.session.get(Plan, plan.id)


def add_sub_items(plan: Plan, count: int, unit_ids: list[int]) -> list[int]:
    """`count` sub-items spread over the four themes, every unit responsible for each; returns their ids."""
    themes = [Theme(plan_id=plan.id, number=n, title=title, weight=1) for n, (title, _) in enumerate(THEMES, 1)]
    db.session.add_all(themes)
    db.session.flush()
    sub_items = []
    for index in range(count):
        theme_index, position = index % len(THEMES), index // len(THEMES)
        theme_title, samples = THEMES[theme_index]
        title = samples[position] if position < len(samples) else f"ตัวชี้วัดที่ {position + 1} ({theme_title})"
        sub_items.append(SubItem(
            theme_id=themes[theme_index].id, number=position + 1, title=title,
            outputs="ผลการดำเนินงานของสำนักงานเขตพื้นที่การศึกษา", target="ร้อยละ 100 ของเป้าหมายที่กำหนด",
            target_value=100, target_unit="ร้อยละ", weight=1,
        ))
    db.session.add_all(sub_items)
    db.session.flush()
    ids = [s.id for s in sorted(sub_items, key=lambda s: (s.theme_id, s.number))]
    links = BulkRows(sub_item_units, ("sub_item_id", "unit_id"))
    for sub_item_id in ids:
        for unit_id in unit_ids:
            links.add({"sub_item_id": sub_item_id, "unit_id": unit_id})
    links.flush()
    return ids


def add_rounds(plan: Plan, years: list[int]) -> list[ReportingRound]:
    """Rounds of 3, 6, 9 and 12 months for every year, due 15 days after the period; only the last is open."""
    rounds = []
    for year in years:
        for months in ROUND_MONTHS:
            start, end = round_period(year, months)
            rounds.append(ReportingRound(plan_id=plan.id, fiscal_year_be=year, months=months, period_start=start,
                                         period_end=end, due_date=end + DUE_AFTER, status="closed"))
    rounds[-1].status = "open"
    db.session.add_all(rounds)
    db.session.flush()
    return rounds


def at_bangkok(day: date, hour: int = 9) -> datetime:
    """An aware UTC datetime for `hour` o'clock Bangkok time on `day`."""
    return datetime.combine(day, time(hour), tzinfo=BANGKOK).astimezone(UTC)


def report_row(rng: random.Random, unit_id: int, sub_item_id: int, round_: ReportingRound, percent: int,
               state: str, late: bool) -> dict:
    """One progress report as a dict for a bulk INSERT, its timestamps around the round's due date."""
    status = progress_status(percent, round_.months)
    due = at_bangkok(round_.due_date)
    created = due - timedelta(days=rng.randint(6, 20), hours=rng.randint(0, 6))
    submitted = accepted = None
    if state != "draft":
        days = rng.randint(1, 12) if late else -rng.randint(0, 5)
        submitted = max(created + timedelta(hours=2), due + timedelta(days=days, hours=rng.randint(0, 7)))
    if state == "accepted":
        accepted = submitted + timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 6))
    behind = status in OBSTACLES
    return {
        "unit_id": unit_id, "sub_item_id": sub_item_id, "round_id": round_.id, "status": status, "percent": percent,
        "achieved_value": percent,
        "result": f"ผลการดำเนินงานสะสมรอบ {round_.months} เดือน ร้อยละ {percent} ของเป้าหมาย",
        "obstacles": OBSTACLES[status] if behind else None, "suggestions": SUGGESTIONS[status] if behind else None,
        "state": state, "review_comment": REVIEW_COMMENT if state in ("returned", "resubmitted") else None,
        "version": 1, "submitted_at": submitted, "due_on_at_submission": round_.due_date if submitted else None,
        "accepted_at": accepted, "created_by_id": None,
        "updated_by_id": None, "created_at": created, "updated_at": accepted or submitted or created,
    }


def open_round_state(rng: random.Random) -> str | None:
    """Workflow state of a report in the open round; None when the unit has not filed it yet (about 5 %)."""
    draw = rng.random()
    for state, share in (
        (None, 0.05), ("draft", 0.08), ("returned", 0.02), ("resubmitted", 0.01), ("accepted", 0.25),
    ):
        if draw < share:
            return state
        draw -= share
    return "submitted"


class BulkRows:
    """Rows written in batches: COPY on PostgreSQL (through the session's own connection, so in its transaction),
    multi-row INSERTs elsewhere."""

    def __init__(self, table, columns: tuple[str, ...]):
        self.table, self.columns, self.rows, self.written = table, columns, [], 0
        connection = db.session.connection()
        self.copying = connection.dialect.name == "postgresql"
        self.cursor = connection.connection.driver_connection.cursor() if self.copying else None

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.copying:
            names = ", ".join(self.columns)
            with self.cursor.copy(f"COPY {self.table.name} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(tuple(row[name] for name in self.columns))
        else:
            db.session.execute(insert(self.table).execution_options(render_nulls=True), self.rows)
        self.written += len(self.rows)
        self.rows = []


REPORT_COLUMNS = ("unit_id", "sub_item_id", "round_id", "status", "percent", "achieved_value", "result", "obstacles",
                  "suggestions", "state", "review_comment", "version", "submitted_at", "due_on_at_submission",
                  "accepted_at", "created_by_id", "updated_by_id", "created_at", "updated_at")


def add_reports(rng: random.Random, unit_ids: list[int], sub_item_ids: list[int],
                rounds: list[ReportingRound]) -> int:
    """Every unit's report on every sub-item in every round (a few missing in the open round); returns the count."""
    by_year: dict[int, list[ReportingRound]] = {}
    for round_ in rounds:
        by_year.setdefault(round_.fiscal_year_be, []).append(round_)
    reports = BulkRows(ProgressReport.__table__, REPORT_COLUMNS)
    for unit_id in unit_ids:
        for sub_item_id in sub_item_ids:
            for year_rounds in by_year.values():
                for round_, percent in zip(year_rounds, year_percents(rng)):
                    state = open_round_state(rng) if round_.status == "open" else "accepted"
                    if state is None:
                        continue
                    late = rng.random() < (0.06 if round_.status == "open" else 0.03)
                    reports.add(report_row(rng, unit_id, sub_item_id, round_, percent, state, late))
    reports.flush()
    return reports.written


def load_scale(units: int, sub_items: int, years: int, seed: int = 2563) -> ScaleSummary:
    """Fill (or refill) the scale plan: `units` offices × `sub_items` indicators × 4 rounds of `years` fiscal
    years ending with the demo's FY 2563. Deterministic for a seed; flushes, never commits."""
    if units < 1 or sub_items < 1 or years < 1:
        raise ValueError("units, sub-items and years must each be at least 1")
    started = clock.perf_counter()
    rng = random.Random(seed)
    fiscal_years = list(range(LAST_FISCAL_YEAR_BE - years + 1, LAST_FISCAL_YEAR_BE + 1))
    owner = ensure_owner_body()
    unit_ids = ensure_units(units)
    plan = fresh_plan(owner, fiscal_years[0])
    sub_item_ids = add_sub_items(plan, sub_items, unit_ids)
    rounds = add_rounds(plan, fiscal_years)
    reports = add_reports(rng, unit_ids, sub_item_ids, rounds)
    recount_round_tallies([r.id for r in rounds])  # the reports were written without the ORM
    summary = ScaleSummary(plan_id=plan.id, latest_round_id=rounds[-1].id, units=len(unit_ids),
                           sub_items=len(sub_item_ids), rounds=len(rounds), reports=reports,
                           seconds=clock.perf_counter() - started)
    record("demo.scale", summary=summary.line(), object_type="system")
    return summary
