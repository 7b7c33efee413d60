"""The reform plan (themes, sub-items, responsible units), reporting rounds and progress reports."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.attachments.models import Attachment
    from app.auth.models import User
    from app.bodies.models import Body, Unit

PROGRESS_STATUSES = ("not_started", "on_track", "at_risk", "delayed", "completed")
REPORT_STATES = ("draft", "submitted", "returned", "resubmitted", "accepted")
ROUND_MONTHS = (3, 6, 9, 12)
ROUND_STATUSES = ("open", "closed")
# What the roll-up reads of each report besides its key (round, sub-item, unit): the tally and the version
# that makes its ETag (app.reports.figures).
TALLY_INCLUDED_COLUMNS = ("state", "percent", "status", "submitted_at", "due_on_at_submission", "version", "id")

sub_item_units = Table(
    "sub_item_units",
    db.metadata,
    Column("sub_item_id", ForeignKey("sub_items.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Plan(db.Model):
    """A plan (แผน) owned by a working group, covering a span of BE years."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("end_year_be >= start_year_be", name="years"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    owner_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    start_year_be: Mapped[int] = mapped_column(Integer)
    end_year_be: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)

    owner_body: Mapped[Body] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Theme.number"
    )


class Theme(db.Model):
    """A main issue (ประเด็นหลัก) of a plan, weighted in the roll-up."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("plan_id", "number"), CheckConstraint("weight > 0", name="weight_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    weight: Mapped[Decimal] = mapped_column(Numeric(8, 3), default=1)

    plan: Mapped[Plan] = relationship(back_populates="themes")
    sub_items: Mapped[list[SubItem]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", order_by="SubItem.number"
    )


class SubItem(db.Model):
    """A sub-item (ประเด็นย่อย) with outputs and targets, one or more responsible units, and a weight."""

    __tablename__ = "sub_items"
    __table_args__ = (UniqueConstraint("theme_id", "number"), CheckConstraint("weight > 0", name="weight_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # position in the theme; shown as theme.number
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    outputs: Mapped[str | None] = mapped_column(Text)  # ผลผลิต
    target: Mapped[str | None] = mapped_column(Text)  # เป้าหมาย, in words
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # where the target is a number
    target_unit: Mapped[str | None] = mapped_column(String(limits.TARGET_UNIT))  # unit of measure: ร้อยละ, ระบบ, แห่ง …
    weight: Mapped[Decimal] = mapped_column(Numeric(8, 3), default=1)

    theme: Mapped[Theme] = relationship(back_populates="sub_items")
    units: Mapped[list[Unit]] = relationship(secondary=sub_item_units, order_by="Unit.code")

    @property
    def code(self) -> str:
        """Number as printed: theme.sub-item, e.g. 2.3."""
        return f"{self.theme.number}.{self.number}"


class ReportingRound(db.Model):
    """A round (รอบการรายงาน) of a plan: fiscal year, 3/6/9/12 months cumulative, with a due date."""

    __tablename__ = "reporting_rounds"
    __table_args__ = (
        UniqueConstraint("plan_id", "fiscal_year_be", "months"),
        CheckConstraint(one_of("months", ROUND_MONTHS), name="months"),
        CheckConstraint(one_of("status", ROUND_STATUSES), name="status"),
        CheckConstraint("period_end >= period_start", name="period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    fiscal_year_be: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)  # 1 Oct of the previous CE year
    period_end: Mapped[date] = mapped_column(Date)  # 31 Dec / 31 Mar / 30 Jun / 30 Sep
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # raised by each change to its reports

    plan: Mapped[Plan] = relationship()


AWAITING_REVIEW_SQL = "state IN ('submitted', 'resubmitted')"  # reports waiting for the secretariat


class ProgressReport(db.Model):
    """A unit's report on one sub-item for one round; draft → submitted → accepted (or returned)."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        UniqueConstraint("unit_id", "sub_item_id", "round_id"),
        CheckConstraint(one_of("status", PROGRESS_STATUSES), name="status"),
        CheckConstraint(one_of("state", REPORT_STATES), name="state"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        CheckConstraint("status <> 'completed' OR percent = 100", name="completed_is_100"),
        # The roll-up's tally and its ETag read only this index (PostgreSQL: an index-only scan); SQLite keeps
        # the three key columns.
        Index("ix_progress_reports_tally", "round_id", "sub_item_id", "unit_id",
              postgresql_include=list(TALLY_INCLUDED_COLUMNS)),
        # The review queue, oldest submission first, a page at a time (services.review_queue_query)
        Index("ix_progress_reports_awaiting", "submitted_at", "id", "round_id",
              postgresql_where=text(AWAITING_REVIEW_SQL), sqlite_where=text(AWAITING_REVIEW_SQL)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    sub_item_id: Mapped[int] = mapped_column(ForeignKey("sub_items.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_rounds.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="not_started")  # progress
    percent: Mapped[int] = mapped_column(Integer, default=0)
    achieved_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # against SubItem.target_value
    result: Mapped[str | None] = mapped_column(Text)  # ผลการดำเนินงาน
    obstacles: Mapped[str | None] = mapped_column(Text)  # ปัญหาอุปสรรค
    suggestions: Mapped[str | None] = mapped_column(Text)  # ข้อเสนอแนะ
    state: Mapped[str] = mapped_column(String(12), default="draft")  # workflow
    review_comment: Mapped[str | None] = mapped_column(Text)  # why it was returned
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_on_at_submission: Mapped[date | None] = mapped_column(Date)  # the round's due date when first submitted
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()
    sub_item: Mapped[SubItem] = relationship()
    round: Mapped[ReportingRound] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportVersion.version"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def submitted_late(self) -> bool:
        """First submitted after what was then due (Bangkok calendar days)."""
        from app.rollup import is_late
        from app.thaidates import bangkok_date

        if self.submitted_at is None:
            return False
        delivered = bangkok_date(self.submitted_at)
        return is_late(delivered, self.round.due_date, today=delivered, due_on_at_submission=self.due_on_at_submission)


# What round_tallies keeps per progress status (received reports only): the worst status follows from them.
TALLY_STATUS_COLUMNS = {status: f"received_{status}" for status in PROGRESS_STATUSES}


class RoundTally(db.Model):
    """The roll-up's figures of one sub-item in one round, kept current with every change of what they count
    (app.reports.tallies): what rollup.SubItemTally needs, so that a roll-up reads one row per sub-item.
    A row exists for each sub-item with a responsible unit, in each round of its plan."""

    __tablename__ = "round_tallies"
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_rounds.id", ondelete="CASCADE"), primary_key=True)
    sub_item_id: Mapped[int] = mapped_column(ForeignKey("sub_items.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    expected: Mapped[int] = mapped_column(Integer)  # responsible units
    received: Mapped[int] = mapped_column(Integer)  # their reports submitted, resubmitted or accepted
    accepted: Mapped[int] = mapped_column(Integer)  # of which accepted
    percent_sum: Mapped[int] = mapped_column(Integer)  # sum of the received reports' percents
    late_received: Mapped[int] = mapped_column(Integer)  # received after what was due at their first submission
    received_not_started: Mapped[int] = mapped_column(Integer)  # received reports per progress status …
    received_on_track: Mapped[int] = mapped_column(Integer)
    received_at_risk: Mapped[int] = mapped_column(Integer)
    received_delayed: Mapped[int] = mapped_column(Integer)
    received_completed: Mapped[int] = mapped_column(Integer)


class ReportVersion(db.Model):
    """A saved version of a progress report: its fields as JSON, who saved it and when."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="versions")


ASSESSMENT_LEVELS = ("basic", "standard", "advanced")  # ขั้นต้น, มาตรฐาน, ขั้นสูง (lowest first)
ASSESSMENT_BASES = ("performance", "potential")


class AssessmentBand(db.Model):
    """The lowest score of one level (ขั้นต้น / มาตรฐาน / ขั้นสูง) in one fiscal year's assessment."""

    __tablename__ = "assessment_bands"
    __table_args__ = (
        UniqueConstraint("fiscal_year_be", "level"),
        CheckConstraint(one_of("level", ASSESSMENT_LEVELS), name="level"),
        CheckConstraint("min_score BETWEEN 0 AND 100", name="min_score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_be: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))
    min_score: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # a score at or above it reaches the level


class AssessmentScore(db.Model):
    """A yearly component score of the agency's assessment (การประเมินส่วนราชการ), 0.00–100.00."""

    __tablename__ = "assessment_scores"
    __table_args__ = (
        UniqueConstraint("fiscal_year_be", "component"),
        CheckConstraint(one_of("base", ASSESSMENT_BASES), name="base"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_be: Mapped[int] = mapped_column(Integer, index=True)
    component: Mapped[int] = mapped_column(Integer)  # องค์ประกอบที่ 5
    base: Mapped[str] = mapped_column(String(12))  # Performance Base or Potential Base
    title: Mapped[str] = mapped_column(String(limits.TITLE))  # e.g. การดำเนินการตามแผนปฏิรูปองค์การของส่วนราชการ
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReminderSent(db.Model):
    """A reminder e-mailed to a reporter about a round on one day (keeps `flask reminders send` idempotent)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "round_id", "sent_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_rounds.id", ondelete="CASCADE"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)  # Bangkok date
    report_count: Mapped[int] = mapped_column(Integer)  # how many reports it listed
