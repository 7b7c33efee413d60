"""Units (หน่วยงาน), bodies (คณะกรรมการ / คณะทำงาน) and memberships with a position in the body."""
from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db
from app.quorum import QUORUM_KINDS, QuorumRule

if TYPE_CHECKING:
    from app.auth.models import User

BODY_KINDS = ("committee", "working_group")
NUMBERING_BASES = ("calendar", "fiscal")
LETTER_FORMS = ("external", "memo")  # หนังสือภายนอก | บันทึกข้อความ
POSITIONS = ("chair", "vice_chair", "member", "secretary", "assistant_secretary")


class Unit(db.Model):
    """A government unit that reports progress (สำนักงาน ก.ค.ศ., ศูนย์เทคโนโลยีสารสนเทศฯ …)."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # short stable code, e.g. ICT
    name: Mapped[str] = mapped_column(String(limits.UNIT_NAME))  # full Thai name
    short_name: Mapped[str | None] = mapped_column(String(limits.SHORT_NAME))  # abbreviation, e.g. สช.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Body(db.Model):
    """A committee or working group; a working group may report to a parent body."""

    __tablename__ = "bodies"
    __table_args__ = (
        CheckConstraint(one_of("kind", BODY_KINDS), name="kind"),
        CheckConstraint(one_of("numbering", NUMBERING_BASES), name="numbering"),
        CheckConstraint(one_of("letter_form", LETTER_FORMS), name="letter_form"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint(one_of("quorum_kind", QUORUM_KINDS), name="quorum_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.BODY_NAME))  # full Thai name as in official documents
    short_name: Mapped[str | None] = mapped_column(String(limits.BODY_SHORT_NAME))
    kind: Mapped[str] = mapped_column(String(20), default="committee")  # committee | working_group
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"), index=True)
    numbering: Mapped[str] = mapped_column(String(10), default="calendar")  # year basis of ครั้งที่ N/ปี
    description: Mapped[str | None] = mapped_column(Text)
    secretariat_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)  # calendar ETags
    # the invitation letter (หนังสือเชิญประชุม): its official form, who sends it, and its yearly number
    letter_form: Mapped[str] = mapped_column(String(10), default="external", server_default="external")  # external | memo
    document_prefix: Mapped[str | None] = mapped_column(String(limits.DOCUMENT_PREFIX))  # ศธ 0201.4
    letter_office: Mapped[str | None] = mapped_column(String(limits.UNIT_NAME))  # ส่วนราชการเจ้าของเรื่อง
    letter_address: Mapped[str | None] = mapped_column(String(limits.ADDRESS))  # printed under the office
    letter_phone: Mapped[str | None] = mapped_column(String(limits.PHONE))
    letter_signer_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    letter_signer_position: Mapped[str | None] = mapped_column(String(limits.POSITION))
    letter_year: Mapped[int | None] = mapped_column(Integer)  # BE year of letter_number
    letter_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # last number issued that year
    # the quorum (องค์ประชุม), app.quorum: more than half of the members (majority), a count, or a fraction of them
    quorum_kind: Mapped[str] = mapped_column(String(10), default="majority", server_default="majority")
    quorum_value: Mapped[int | None] = mapped_column(Integer)  # count: the number; fraction: its numerator
    quorum_denominator: Mapped[int | None] = mapped_column(Integer)  # fraction only
    delegates_count: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # delegates count and vote
    procurement: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # a procurement committee: outside the e-meeting decree

    parent: Mapped[Body | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Body]] = relationship(back_populates="parent")
    memberships: Mapped[list[Membership]] = relationship(back_populates="body", cascade="all, delete-orphan")
    secretariat_unit: Mapped[Unit | None] = relationship()

    @property
    def secretariat_name(self) -> str:
        """Who writes the body's documents (their author in the file's properties): its secretariat unit, else the
        body itself."""
        return self.secretariat_unit.name if self.secretariat_unit is not None else self.name

    @property
    def quorum_rule(self) -> QuorumRule:
        """The body's quorum rule as app.quorum reads it."""
        if self.quorum_kind == "count":
            return QuorumRule("count", self.quorum_value)
        if self.quorum_kind == "fraction":
            return QuorumRule("fraction", Fraction(self.quorum_value or 1, self.quorum_denominator or 1))
        return QuorumRule("majority")

    @property
    def quorum(self) -> dict:
        """The quorum rule as the API shows it: {"kind", "value"} (an int for count, "2/3" for fraction, else None)."""
        rule = self.quorum_rule
        return {"kind": rule.kind, "value": str(rule.value) if rule.kind == "fraction" else rule.value}

    def __repr__(self) -> str:
        return f"<Body {self.id} {self.short_name or self.name[:30]}>"


class Membership(db.Model):
    """A user's seat in a body, with the position held (ประธาน, กรรมการ, เลขานุการ …)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("body_id", "user_id"),
        CheckConstraint(one_of("role", POSITIONS), name="role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="member")  # position in the body
    title: Mapped[str | None] = mapped_column(String(limits.POSITION))  # position as printed in minutes, if not the user's
    sort_order: Mapped[int] = mapped_column(Integer, default=0)  # order in attendance lists

    body: Mapped[Body] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
