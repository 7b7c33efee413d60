"""The living part of the demo: the current fiscal year relative to the day the demo is loaded, so that every
demo account's home has work on the first visit.

Beside the seed's 2563 history it adds, for the working group: its last meeting two weeks ago (held, minutes
circulated for comment, an action now overdue), its next meeting next week (agenda published, some answers
given, the member's still pending), a matter circulated for a resolution awaiting the member's answer; a plan
of the current years with a round due in ten days where some reports are filed, one accepted, some returned,
some in draft and some missing. Everything is derived from
`today` only, and looked up by natural keys like the rest of the demo (loading again changes nothing).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from app.agenda.models import AgendaItem
from app.bodies.models import Membership
from app.circulations.models import Circulation, CirculationAnswer
from app.demo import data
from app.demo.loader import DemoLoader, earlier_status, meeting_uid
from app.extensions import db
from app.meetings.models import Attendance, Meeting, Rsvp
from app.meetings.services import default_title
from app.minutes.models import ActionItem, Minutes, MinutesComment, MinutesItem, MinutesVersion
from app.minutes.services import minutes_content
from app.reports.models import ReportingRound, SubItem
from app.thaidates import fiscal_year_of, numbering_year, round_period, thai_date, to_utc

ROUND_MONTHS = (3, 6, 9, 12)
ROUND_DUE_IN_DAYS = 10
COMMENT_DAYS_LEFT = 4  # the circulated minutes take comments until four days from today
ZOOM = "https://zoom.us/j/93125700001"
CHANTHARAKASEM = "ห้องประชุมจันทรเกษม ชั้น 1 อาคารราชวัลลภ กระทรวงศึกษาธิการ"

# States of the reports in the current round, per (sub-item code, unit code); pairs not listed are missing.
# ICT, the demo reporter's unit: one filed, one returned, one draft and two missing.
REPORT_STATES: dict[tuple[str, str], str] = {
    ("1.1", "OTEPC"): "accepted", ("1.1", "ONIE"): "submitted", ("1.2", "BLA"): "submitted",
    ("1.2", "ICT"): "submitted", ("1.3", "BLA"): "accepted", ("1.4", "BIE"): "submitted", ("1.4", "ICT"): "returned",
    ("1.5", "OTEPC"): "returned", ("2.1", "BPS"): "submitted", ("2.1", "ICT"): "draft", ("2.2", "OPEC"): "draft",
    ("2.4", "BIE"): "accepted", ("2.4", "BPS"): "submitted", ("3.1", "BPS"): "submitted",
    ("3.2", "OPEC"): "submitted", ("3.3", "OPEC"): "accepted", ("3.4", "OTEPC"): "submitted",
}
RETURN_COMMENT = ("กรุณาระบุผลการดำเนินงานเทียบกับค่าเป้าหมายเป็นตัวเลข และแนบหลักฐาน"
                  " (ภาพหน้าจอระบบหรือหนังสือสั่งการ) ประกอบรายงาน")

# Who has answered the next meeting's invitation (the demo member has not).
ANSWERS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("chair", "accepted", None, None),
    ("wg.bps", "accepted", None, None),
    ("wg.onie", "declined", None, "ติดราชการต่างจังหวัด"),
    ("wg.opec", "delegated", "นางสาวอรวรรณ ศรีประเสริฐ", None),
)
# A matter circulated to the working group two days ago (มติเวียน): two answers in, the demo member's pending.
CIRCULATION = dict(title="ขอความเห็นชอบแบบรายงานผลการดำเนินงานผ่านระบบออนไลน์",
                   detail="<p>ฝ่ายเลขานุการปรับแบบรายงานผลการดำเนินงานให้หน่วยงานรายงานผ่านระบบออนไลน์ได้ทั้งหมด "
                          "แทนการส่งเป็นหนังสือ ตั้งแต่รอบการรายงานถัดไป</p>",
                   question="เห็นชอบให้ใช้แบบรายงานผลการดำเนินงานผ่านระบบออนไลน์ตั้งแต่รอบการรายงานถัดไปหรือไม่")
CIRCULATION_ANSWERS = {"wg.bps": ("approve", None), "wg.onie": ("comment", "ขอให้จัดอบรมการใช้งานให้หน่วยงานก่อน")}
CIRCULATION_DAYS_LEFT = 12
ABSENT = {"wg.bla": "ติดราชการ"}  # at the last meeting; wg.ict joined online, everyone else was present
ONLINE = ("wg.ict",)


def weekday_on_or_after(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def weekday_on_or_before(day: date) -> date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=day.weekday() - 4 if day.weekday() >= 5 else 0)


def current_round_months(fy_be: int, today: date) -> int:
    """The round the units are busy with: the latest whose period ends before its due date (today + 10), else 3."""
    due = today + timedelta(days=ROUND_DUE_IN_DAYS)
    ended = [m for m in ROUND_MONTHS if round_period(fy_be, m)[1] < due]
    return ended[-1] if ended else ROUND_MONTHS[0]


def plan_spec(fy_be: int) -> dict:
    """The reform plan of the current years (the seed's themes and sub-items, three years around fy_be)."""
    return dict(
        title=f"แผนปฏิรูปองค์การ สำนักงานปลัดกระทรวงศึกษาธิการ ระยะต่อเนื่อง (พ.ศ. {fy_be - 1}–{fy_be + 1})",
        owner="wg", start_year_be=fy_be - 1, end_year_be=fy_be + 1,
        description="3 ประเด็นหลัก 13 ประเด็นย่อย ต่อเนื่องจากข้อเสนอการเปลี่ยนแปลงฯ ติดตามผลรายไตรมาสโดยคณะทำงานฯ",
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Bangkok wall-clock time on `day`, in UTC."""
    return to_utc(datetime.combine(day, time(hour, minute)))


class LivingYear:
    """Adds the current fiscal year to a DemoLoader that has loaded the seed's history."""

    def __init__(self, loader: DemoLoader, today: date) -> None:
        self.loader, self.today = loader, today
        self.fy = fiscal_year_of(today)
        self.sub_items: dict[str, SubItem] = {}

    def load(self) -> None:
        """The plan and its round with reports, the last meeting with its minutes, the next meeting, a circulation."""
        plan = self.loader.load_plan(plan_spec(self.fy), self.sub_items)
        self.load_round(plan)
        last = self.load_last_meeting()
        self.load_next_meeting(last)
        self.load_circulation()

    # --- the round -------------------------------------------------------------------------------

    def load_round(self, plan) -> ReportingRound:
        """The open round due in ten days, with reports filed, accepted, returned, in draft and missing."""
        months = current_round_months(self.fy, self.today)
        start, end = round_period(self.fy, months)
        round_ = self.loader.ensure(
            ReportingRound, {"plan_id": plan.id, "fiscal_year_be": self.fy, "months": months},
            period_start=start, period_end=end, due_date=self.today + timedelta(days=ROUND_DUE_IN_DAYS), status="open")
        key = {3: "three", 6: "six"}.get(months, "nine")
        for index, ((code, unit_code), state) in enumerate(REPORT_STATES.items()):
            progress = data.PROGRESS.get((code, unit_code), {})
            percent = progress.get(key) or progress.get("six") or 0
            status = earlier_status(percent, progress.get("status", "on_track"))
            filed = at(self.today - timedelta(days=2 + index % 5), 10, 15)
            values = dict(status=status, percent=percent, state=state,
                          result=f"ผลการดำเนินงานสะสมรอบ {months} เดือน ดำเนินการแล้วร้อยละ {percent} ของแผน",
                          submitted_at=None if state == "draft" else filed,
                          accepted_at=filed + timedelta(days=1) if state == "accepted" else None)
            if state == "returned":
                values.update(review_comment=RETURN_COMMENT, updated_at=filed + timedelta(days=1))
            if state == "draft":
                values.update(updated_at=filed)
            self.loader.report(code, unit_code, months, round_=round_, sub_items=self.sub_items, **values)
        return round_

    # --- meetings --------------------------------------------------------------------------------

    def meeting(self, key: str, day: date, number: int, **values) -> Meeting:
        """A working-group meeting on `day`, 09.30–12.00, numbered in its fiscal year."""
        body = self.loader.bodies["wg"]
        year = numbering_year(day, body.numbering)
        meeting = self.loader.ensure(
            Meeting, {"body_id": body.id, "year_be": year, "number": number},
            title=default_title(body, number, year), starts_at=at(day, 9, 30), ends_at=at(day, 12, 0),
            mode="hybrid", venue=CHANTHARAKASEM, online_url=ZOOM, stream_url=None,
            chair_id=self.loader.users["chair"].id, sequence=0, uid=meeting_uid(body.id, year, number),
            agenda_state="published", created_by_id=self.loader.users["secretariat"].id, **values)
        self.loader.meetings[key] = meeting
        return meeting

    def agenda(self, meeting: Meeting, items: tuple) -> dict[str, AgendaItem]:
        """Agenda items (section, position, title, kind, presenter unit, source meeting), by number."""
        loaded = {}
        for section, position, title, kind, presenter, source in items:
            loaded[f"{section}.{position}"] = self.loader.ensure(
                AgendaItem, {"meeting_id": meeting.id, "section": section, "position": position}, title=title,
                kind=kind, presenter_unit_id=self.loader.units[presenter].id if presenter else None,
                source_meeting_id=source.id if source else None)
        return loaded

    def load_last_meeting(self) -> Meeting:
        """Two weeks ago: held, with its attendance, and its minutes circulated for comment until four days on."""
        day = weekday_on_or_before(self.today - timedelta(days=14))
        meeting = self.meeting("wg-last", day, 1, status="held", agenda_published_at=at(day - timedelta(days=7), 10),
                               created_at=at(day - timedelta(days=21), 10))
        previous = self.fy - 1
        items = self.agenda(meeting, (
            (1, 1, "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "announcement", None, None),
            (4, 1, f"ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี รอบ 12 เดือน ปีงบประมาณ พ.ศ. {previous}",
             "information", "PSDG", None),
            (5, 1, f"ปฏิทินการรายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {self.fy}", "decision", "PSDG", None),
            (5, 2, "การขยายผลระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban) สู่หน่วยงานในสังกัด", "decision", "ICT", None),
        ))
        self.load_attendance(meeting)
        self.load_minutes(meeting, items, day)
        return meeting

    def load_attendance(self, meeting: Meeting) -> None:
        """Every member of the working group: present, online or absent with a reason."""
        people = {user.id: key for key, user in self.loader.users.items()}
        seats = db.session.scalars(db.select(Membership).where(Membership.body_id == meeting.body_id)
                                   .order_by(Membership.sort_order)).all()
        for seat in seats:
            key = people.get(seat.user_id)
            status = "absent" if key in ABSENT else "online" if key in ONLINE else "present"
            self.loader.ensure(Attendance, {"meeting_id": meeting.id, "user_id": seat.user_id},
                               name=seat.user.name, position=seat.user.position, status=status,
                               reason=ABSENT.get(key), identity_confirmed=status == "online",
                               sort_order=seat.sort_order)

    def load_minutes(self, meeting: Meeting, items: dict[str, AgendaItem], day: date) -> Minutes:
        """Circulated minutes with a resolution per item, two assigned actions (one overdue) and a comment."""
        secretary = self.loader.users["secretariat"]
        circulated = at(day + timedelta(days=4), 15)
        minutes = self.loader.ensure(
            Minutes, {"meeting_id": meeting.id}, state="circulated", opened_at=time(9, 30), closed_at=time(12, 0),
            recorder_name=secretary.name, checker_name=secretary.name, circulated_at=circulated,
            comment_deadline=self.today + timedelta(days=COMMENT_DAYS_LEFT), updated_by_id=secretary.id,
            updated_at=circulated)
        due = self.today + timedelta(days=ROUND_DUE_IN_DAYS)
        texts = {
            "1.1": ("<p>ประธานแจ้งแนวทางการติดตามผลการดำเนินงานประจำปีงบประมาณใหม่</p>", "acknowledged",
                    "ที่ประชุมรับทราบ"),
            "4.1": ("<p>ฝ่ายเลขานุการนำเสนอผลการดำเนินงานสะสมรอบ 12 เดือน ของ 7 หน่วยงาน</p>", "acknowledged",
                    "ที่ประชุมรับทราบ"),
            "5.1": (f"<p>กำหนดส่งรายงานรอบแรกภายในวันที่ {thai_date(due, 'long')}</p>", "approved",
                    "ที่ประชุมเห็นชอบปฏิทินการรายงานผล"),
            "5.2": ("<p>ศูนย์เทคโนโลยีสารสนเทศและการสื่อสารเสนอแนวทางการขยายผลระบบ e-Saraban</p>", "assigned",
                    "มอบหมายศูนย์เทคโนโลยีสารสนเทศและการสื่อสารจัดทำแผนการขยายผลเสนอคณะทำงาน"),
        }
        lines = {}
        for number, (discussion, kind, resolution) in texts.items():
            lines[number] = self.loader.ensure(MinutesItem, {"minutes_id": minutes.id,
                                                             "agenda_item_id": items[number].id},
                                               discussion=discussion, resolution_kind=kind, resolution=resolution)
        actions = (
            ("5.2", "ICT", "จัดทำแผนการขยายผลระบบสารบรรณอิเล็กทรอนิกส์และเสนอต่อคณะทำงาน",
             self.today - timedelta(days=3)),
            ("5.1", "BPS", f"แจ้งปฏิทินการรายงานผล ปีงบประมาณ พ.ศ. {self.fy} ให้หน่วยงานที่รับผิดชอบทราบ",
             self.today + timedelta(days=20)),
        )
        for number, unit, description, due_date in actions:
            self.loader.ensure(ActionItem, {"minutes_item_id": lines[number].id, "description": description},
                               meeting_id=meeting.id, body_id=meeting.body_id, owner_unit_id=self.loader.units[unit].id,
                               due_date=due_date, status="open")
        db.session.flush()
        db.session.refresh(minutes)
        self.loader.ensure(MinutesVersion, {"minutes_id": minutes.id, "version": 1}, content=minutes_content(minutes),
                           saved_by_id=secretary.id, saved_at=circulated)
        commenter = self.loader.users["wg.bps"]
        self.loader.ensure(MinutesComment, {"minutes_id": minutes.id, "user_id": commenter.id},
                           agenda_item_id=items["5.1"].id, created_at=circulated + timedelta(days=1),
                           body="ขอให้ระบุวันส่งรายงานรอบ 6 เดือน ไว้ในมติด้วย เพื่อให้หน่วยงานวางแผนได้")
        return minutes

    def load_next_meeting(self, last: Meeting) -> Meeting:
        """Next week: agenda published yesterday, some members answered, the demo member not yet."""
        day = weekday_on_or_after(self.today + timedelta(days=7))
        year = numbering_year(day, self.loader.bodies["wg"].numbering)
        number = last.number + 1 if year == last.year_be else 1
        meeting = self.meeting("wg-next", day, number, status="scheduled",
                               agenda_published_at=at(self.today - timedelta(days=1), 10),
                               created_at=at(self.today - timedelta(days=10), 10))
        self.agenda(meeting, (
            (1, 1, "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "announcement", None, None),
            (2, 1, f"รับรองรายงานการประชุม ครั้งที่ {last.code}", "certification", None, last),
            (3, 1, "การขยายผลระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban) สู่หน่วยงานในสังกัด", "follow_up", "ICT", last),
            (4, 1, f"ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี ปีงบประมาณ พ.ศ. {self.fy}", "information",
             "PSDG", None),
            (6, 1, "กำหนดการประชุมครั้งต่อไป", "other", None, None),
        ))
        for index, (key, response, delegate, note) in enumerate(ANSWERS):
            self.loader.ensure(Rsvp, {"meeting_id": meeting.id, "user_id": self.loader.users[key].id},
                               response=response, delegate_name=delegate, note=note,
                               responded_at=at(self.today - timedelta(days=1), 11 + index))
        return meeting

    # --- a resolution by circulation -------------------------------------------------------------------

    def load_circulation(self) -> Circulation:
        """A matter circulated to the working group's members two days ago, due in twelve days: two answers in,
        the demo member's (and others') pending. No notice is sent (the demo is loaded, not lived)."""
        body, secretariat = self.loader.bodies["wg"], self.loader.users["secretariat"]
        circulation = self.loader.ensure(
            Circulation, {"body_id": body.id, "title": CIRCULATION["title"]}, detail=CIRCULATION["detail"],
            question=CIRCULATION["question"], state="open", created_by_id=secretariat.id,
            created_at=at(self.today - timedelta(days=2), 10),
            deadline=at(self.today + timedelta(days=CIRCULATION_DAYS_LEFT), 16, 30))
        people = {user.id: key for key, user in self.loader.users.items()}
        seats = db.session.scalars(db.select(Membership).where(Membership.body_id == body.id)
                                   .order_by(Membership.sort_order, Membership.id)).all()
        for index, seat in enumerate(seats):
            answer, comment = CIRCULATION_ANSWERS.get(people.get(seat.user_id), (None, None))
            self.loader.ensure(CirculationAnswer, {"circulation_id": circulation.id, "user_id": seat.user_id},
                               answer=answer, comment=comment,
                               answered_at=at(self.today - timedelta(days=1), 9 + index) if answer else None)
        return circulation
