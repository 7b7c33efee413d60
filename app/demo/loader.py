"""Load the demo scenario idempotently: every object is looked up by its natural key and created only
when missing, so a second run changes nothing. Flushes, never commits (the caller commits)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.agenda.models import AgendaItem
from app.audit.services import record
from app.auth.models import User
from app.auth.services import find_user_by_email
from app.bodies.models import Body, Membership, Unit
from app.demo import data
from app.extensions import db
from app.meetings.models import Meeting
from app.reports.models import (
    AssessmentBand,
    AssessmentScore,
    Plan,
    ProgressReport,
    ReportingRound,
    SubItem,
    Theme,
)
from app.thaidates import round_period, to_utc, today_bangkok


def meeting_uid(body_id: int, year_be: int, number: int) -> str:
    """The stable iCalendar UID of a demo meeting."""
    return f"meeting-{body_id}-{year_be}-{number}@prachum"


def earlier_status(percent: int, later_status: str) -> str:
    """Progress status of an earlier round, from its percent and the status the unit reports at 9 months."""
    if percent == 0:
        return "not_started"
    if percent == 100:
        return "completed"
    return later_status if later_status in ("at_risk", "delayed") else "on_track"


class DemoLoader:
    """Creates what is missing of the demo, remembering objects by their demo keys."""

    def __init__(self) -> None:
        self.created = 0
        self.units: dict[str, Unit] = {}
        self.bodies: dict[str, Body] = {}
        self.users: dict[str, User] = {}
        self.meetings: dict[str, Meeting] = {}
        self.sub_items: dict[str, SubItem] = {}
        self.rounds: dict[int, ReportingRound] = {}
        self.plans: list[Plan] = []
        self.report_count = 0

    def ensure(self, model: type, key: dict[str, Any], **values: Any) -> Any:
        """The row of `model` matching `key`, created with `values` (and flushed) when missing."""
        obj = db.session.scalar(select(model).filter_by(**key))
        if obj is None:
            obj = model(**key, **values)
            db.session.add(obj)
            db.session.flush()
            self.created += 1
        return obj

    def load_units(self) -> None:
        """The eight units of DOMAIN.md, and OBEC for the workshop."""
        for code, name, short_name in data.UNITS:
            self.units[code] = self.ensure(Unit, {"code": code}, name=name, short_name=short_name, active=True)

    def load_bodies(self) -> None:
        """The governance committee, its working group and the OBEC working group (parents first)."""
        for key, spec in data.BODIES.items():
            parent = self.bodies[spec["parent"]] if spec["parent"] else None
            self.bodies[key] = self.ensure(
                Body, {"name": spec["name"]}, short_name=spec["short_name"], kind=spec["kind"],
                numbering=spec["numbering"], parent_id=parent.id if parent else None,
                secretariat_unit_id=self.units[spec["secretariat_unit"]].id, description=spec["description"],
                active=True,
            )

    def load_people(self) -> None:
        """Every demo account (password DEMO_PASSWORD) and its seats in the bodies."""
        password = current_app.config["DEMO_PASSWORD"]
        for person in data.PEOPLE:
            address = data.email(person["key"])
            user = find_user_by_email(address)
            if user is None:
                unit = self.units[person["unit"]] if person["unit"] else None
                user = User(email=address, name=person["name"], position=person["position"], role=person["role"],
                            unit_id=unit.id if unit else None, is_active_user=True)
                user.set_password(password)
                db.session.add(user)
                db.session.flush()
                self.created += 1
            self.users[person["key"]] = user
            for body_key, position, order in person["seats"]:
                self.ensure(Membership, {"body_id": self.bodies[body_key].id, "user_id": user.id},
                            role=position, sort_order=order)

    def load_meetings(self) -> None:
        """The meetings of the scenario, held, with their agendas published."""
        creator = self.users["secretariat"]
        for key, spec in data.MEETINGS.items():
            body = self.bodies[spec["body"]]
            self.meetings[key] = self.ensure(
                Meeting, {"body_id": body.id, "year_be": spec["year_be"], "number": spec["number"]},
                title=spec["title"], starts_at=to_utc(spec["starts"]), ends_at=to_utc(spec["ends"]),
                mode=spec["mode"], venue=spec["venue"], online_url=spec["online_url"],
                stream_url=spec["stream_url"], chair_id=self.users[spec["chair"]].id, notes=spec.get("notes"),
                status=spec["status"], sequence=0, uid=meeting_uid(body.id, spec["year_be"], spec["number"]),
                agenda_state="published", agenda_published_at=to_utc(spec["agenda_published"]),
                created_by_id=creator.id, created_at=to_utc(spec["agenda_published"] - timedelta(days=14)),
            )
        for key, items in data.AGENDA_ITEMS.items():
            meeting = self.meetings[key]
            for section, position, title, kind, presenter, detail, source in items:
                self.ensure(
                    AgendaItem, {"meeting_id": meeting.id, "section": section, "position": position},
                    title=title, kind=kind, detail=detail,
                    presenter_unit_id=self.units[presenter].id if presenter else None,
                    source_meeting_id=self.meetings[source].id if source else None,
                )

    def load_plan(self, spec: dict = data.PLAN, sub_items: dict[str, SubItem] | None = None) -> Plan:
        """A reform plan (the seed's by default) with its 3 themes and 13 sub-items and their responsible units,
        remembered in `sub_items` (self.sub_items by default)."""
        sub_items = self.sub_items if sub_items is None else sub_items
        plan = self.ensure(Plan, {"title": spec["title"]}, owner_body_id=self.bodies[spec["owner"]].id,
                           start_year_be=spec["start_year_be"], end_year_be=spec["end_year_be"],
                           description=spec["description"])
        self.plans.append(plan)
        themes = {number: self.ensure(Theme, {"plan_id": plan.id, "number": number}, title=title, weight=1)
                  for number, title in data.THEMES}
        for code, item in data.SUB_ITEMS.items():
            theme_number, number = (int(part) for part in code.split("."))
            sub_item = self.ensure(
                SubItem, {"theme_id": themes[theme_number].id, "number": number}, title=item["title"],
                outputs=item["outputs"], target=item["target"], target_value=item["target_value"],
                target_unit=item["target_unit"], weight=item.get("weight", 1),
            )
            for unit_code in item["units"]:
                unit = self.units[unit_code]
                if unit not in sub_item.units:
                    sub_item.units.append(unit)
                    self.created += 1
            sub_items[code] = sub_item
        db.session.flush()
        return plan

    def load_rounds(self, plan: Plan) -> None:
        """The 3-, 6- and 9-month rounds of FY 2563."""
        for months, due, status in data.ROUNDS:
            start, end = round_period(data.FISCAL_YEAR_BE, months)
            self.rounds[months] = self.ensure(
                ReportingRound, {"plan_id": plan.id, "fiscal_year_be": data.FISCAL_YEAR_BE, "months": months},
                period_start=start, period_end=end, due_date=due, status=status,
            )

    def load_reports(self) -> None:
        """Accepted 3- and 6-month reports of every responsible unit; submitted 9-month reports of most."""
        for (code, unit_code), spec in data.PROGRESS.items():
            final_status = spec.get("status", "on_track")
            for months, key in ((3, "three"), (6, "six")):
                due = self.rounds[months].due_date
                submitted = to_utc(datetime(due.year, due.month, due.day, 10, 0) - timedelta(days=3))
                percent = spec[key]
                self.report(code, unit_code, months, status=earlier_status(percent, final_status), percent=percent,
                            state="accepted", submitted_at=submitted, accepted_at=submitted + timedelta(days=7),
                            result=f"ผลการดำเนินงานสะสมรอบ {months} เดือน ดำเนินการแล้วร้อยละ {percent} ของแผน")
            if spec["nine"] is not None:
                submitted = to_utc(spec["submitted"])
                self.report(code, unit_code, 9, status=final_status, percent=spec["nine"], state="submitted",
                            submitted_at=submitted, accepted_at=None, result=spec["result"],
                            obstacles=spec["obstacles"], suggestions=spec["suggestions"])

    def load_assessment(self) -> None:
        """The assessment's level bands per fiscal year and the seed's component score."""
        for year, bands in data.ASSESSMENT_BANDS.items():
            for level, min_score in bands.items():
                self.ensure(AssessmentBand, {"fiscal_year_be": year, "level": level}, min_score=min_score)
        for year, component, base, title, score in data.ASSESSMENT_SCORES:
            self.ensure(AssessmentScore, {"fiscal_year_be": year, "component": component}, base=base, title=title,
                        score=score, recorded_by_id=self.users["secretariat"].id)

    def report(self, code: str, unit_code: str, months: int, *, round_: ReportingRound | None = None,
               sub_items: dict[str, SubItem] | None = None, **values: Any) -> ProgressReport:
        """One unit's report on one sub-item for one round (the seed's FY 2563 round of `months` by default),
        filed by the unit's reporter; a draft (no submitted_at) is dated by `updated_at`."""
        self.report_count += 1
        reporter = self.users[f"reporter.{unit_code.lower()}"]
        round_ = round_ or self.rounds[months]
        sub_item = (sub_items or self.sub_items)[code]
        stamp = values.pop("updated_at", None) or values["accepted_at"] or values["submitted_at"]
        delivered = values["submitted_at"]
        return self.ensure(
            ProgressReport,
            {"unit_id": self.units[unit_code].id, "sub_item_id": sub_item.id, "round_id": round_.id},
            created_by_id=reporter.id, updated_by_id=reporter.id,
            due_on_at_submission=round_.due_date if delivered else None,
            created_at=(delivered or stamp) - timedelta(days=2), updated_at=stamp, **values,
        )

    def summary(self) -> str:
        """One line: what the demo holds and how much this run created."""
        return (
            f"demo: {len(self.units)} units, {len(self.bodies)} bodies, {len(self.users)} users, "
            f"{len(self.meetings)} meetings, {len(self.plans)} plans ({len(data.THEMES)} themes, "
            f"{len(self.sub_items)} sub-items each), {self.report_count} reports ({self.created} created)"
        )


def load() -> str:
    """Create whatever is missing of the demo scenario (DOMAIN.md) and flush; returns a summary line."""
    loader = DemoLoader()
    loader.load_units()
    loader.load_bodies()
    loader.load_people()
    loader.load_meetings()
    plan = loader.load_plan()
    loader.load_rounds(plan)
    loader.load_reports()
    loader.load_assessment()
    from app.demo.living import LivingYear

    LivingYear(loader, today_bangkok()).load()
    summary = loader.summary()
    if loader.created:
        record("demo.load", summary=summary, object_type="system")
    return summary
