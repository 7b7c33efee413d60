"""What a round gives the committee: the XLSX export, the compiled DOCX report, its attachment to a
committee meeting's agenda, the committee views of the dashboard and the rounds chart."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload
from werkzeug.local import LocalProxy

from app import authz, richtext, round_docx, thaidates
from app.agenda import services as agenda_services
from app.agenda.models import AgendaItem
from app.attachments.models import Attachment
from app.attachments.services import attach_file, remove_attachment
from app.audit.services import record
from app.bodies.models import Body, Unit
from app.errors import Conflict, Invalid
from app.i18n import thai_document
from app.extensions import db
from app.labels import LATE_LABEL, MISSING_REPORT_LABEL, PROGRESS_STATUS_LABELS, REPORT_STATE_LABELS, label
from app.meetings.models import Meeting
from app.minutes.documents import thai_digits
from app.reports import figures, services, sheets
from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem, Theme, sub_item_units
from app.rollup import RECEIVED_STATES, Figure, is_late, round_percent

NEW_ITEM = "meeting"
EXISTING_ITEM = "item"


def round_filename(round_: ReportingRound, extension: str) -> str:
    """e.g. progress-plan1-2563-9m.xlsx (ASCII, safe in every browser)."""
    return f"progress-plan{round_.plan_id}-{round_.fiscal_year_be}-{round_.months}m.{extension}"


def round_heading(round_: ReportingRound) -> str:
    """e.g. รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563 (1 ต.ค. 2562 – 30 มิ.ย. 2563)."""
    return _("%(label)s (%(start)s – %(end)s)", label=services.round_label(round_),
             start=thaidates.thai_date(round_.period_start), end=thaidates.thai_date(round_.period_end))


def _status(code: str | None) -> str:
    return label(PROGRESS_STATUS_LABELS, code) if code else ""


def report_lines(round_: ReportingRound, user) -> list[sheets.ReportLine]:
    """One line per expected report the user may see (missing ones only for those who follow every round), in
    plan order: one query of plain columns (no ORM objects), the reading rule asked once per unit and state,
    each label translated once."""
    today = thaidates.today_bangkok()
    statuses = {code: _status(code) for code in PROGRESS_STATUS_LABELS}
    states = {code: str(text) for code, text in REPORT_STATE_LABELS.items()}
    missing_state = str(MISSING_REPORT_LABEL)
    if isinstance(user, LocalProxy):  # current_user: resolved once, not on each of thousands of lines
        user = user._get_current_object()
    sees_missing = authz.sees_round_overview(user)
    owner_body_id = round_.plan.owner_body_id
    report = ProgressReport
    rows = db.session.connection().execute(
        select(Unit.id, Unit.code, Unit.name, Theme.number, SubItem.number, SubItem.title, report.id, report.state,
               report.status, report.percent, report.achieved_value, report.result, report.obstacles,
               report.suggestions, report.submitted_at, report.due_on_at_submission)
        .select_from(sub_item_units)
        .join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
        .join(Theme, Theme.id == SubItem.theme_id)
        .join(Unit, Unit.id == sub_item_units.c.unit_id)
        .outerjoin(report, and_(report.sub_item_id == SubItem.id, report.unit_id == Unit.id,
                                report.round_id == round_.id))
        .where(Theme.plan_id == round_.plan_id)
        .order_by(Theme.number, SubItem.number, Unit.code, Unit.id)
    ).all()
    readable: dict[tuple[int, str], bool] = {}
    lines = []
    for (unit_id, unit_code, unit_name, theme_number, sub_number, sub_title, report_id, state, status, percent,
         achieved, result, obstacles, suggestions, submitted_at, due_on_at_submission) in rows:
        sub_item_code = f"{theme_number}.{sub_number}"
        if report_id is None:
            if sees_missing:
                lines.append(sheets.ReportLine(unit_code, unit_name, sub_item_code, sub_title, None, None, None, None,
                                               None, None, missing_state, None, is_late(None, round_.due_date, today)))
            continue
        if (unit_id, state) not in readable:
            readable[(unit_id, state)] = authz.can_view_report_of(user, unit_id, state, owner_body_id)
        if not readable[(unit_id, state)]:
            continue
        submitted_on = thaidates.bangkok_date(submitted_at) if submitted_at is not None else None
        received = state in RECEIVED_STATES
        late = is_late(submitted_on if received else None, round_.due_date, today,
                       due_on_at_submission if received else None)
        lines.append(sheets.ReportLine(
            unit_code, unit_name, sub_item_code, sub_title, statuses.get(status, status), percent, achieved,
            richtext.plain_text(result), richtext.plain_text(obstacles), richtext.plain_text(suggestions),
            states.get(state, state), submitted_on, late))
    return lines


@thai_document
def round_workbook(round_: ReportingRound, user) -> bytes:
    """The round as XLSX, always in Thai (an official paper whatever the reader's UI language): a sheet of
    expected reports and a roll-up sheet, streamed in app.sheet_style's print layout."""
    text = sheets.RoundSheetText(
        title=_("รายงานความก้าวหน้า %(r)s — %(plan)s", r=round_heading(round_), plan=round_.plan.title),
        report_headers=(_("รหัสหน่วยงาน"), _("หน่วยงาน"), _("ประเด็นย่อย"), _("ชื่อประเด็นย่อย"), _("สถานะ"),
                        _("ร้อยละ"), _("ผลที่ทำได้"), _("ผลการดำเนินงาน"), _("ปัญหาอุปสรรค"), _("ข้อเสนอแนะ"),
                        _("สถานะรายงาน"), _("วันที่ส่ง"), str(LATE_LABEL)),
        rollup_headers=(_("ระดับ"), _("ประเด็น"), _("น้ำหนัก"), _("ร้อยละ"), _("สถานะ"), _("ที่ต้องส่ง"),
                        _("ส่งแล้ว"), _("รับแล้ว"), _("ยังไม่ส่ง"), str(LATE_LABEL)),
        report_sheet=_("รายงาน"), rollup_sheet=_("สรุปภาพรวม"),
        level_names=(_("แผน"), _("ประเด็นหลัก"), _("ประเด็นย่อย")), yes=str(LATE_LABEL),
        author=round_.plan.owner_body.secretariat_name,
    )
    rollup = figures.round_rollup(round_)
    return sheets.round_to_xlsx(text, report_lines(round_, user), rollup.figure,
                                {code: str(text_) for code, text_ in PROGRESS_STATUS_LABELS.items()})


@thai_document
def round_workbook_filename(round_: ReportingRound) -> str:
    """The workbook's Thai file name, e.g. "รายงานความก้าวหน้า แผน 3 รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563.xlsx"."""
    return _("รายงานความก้าวหน้า แผน %(plan)d %(r)s.xlsx", plan=round_.plan_id, r=services.round_label(round_))


def counts_sentence(figure: Figure) -> str:
    """e.g. ความก้าวหน้าเฉลี่ยร้อยละ 47.50 สถานะล่าช้ากว่าแผน: ส่งแล้ว 16 จาก 23 รายงาน รับแล้ว 0 ยังไม่ส่ง 7 ส่งช้า 9."""
    c = figure.counts
    return _("ความก้าวหน้าเฉลี่ยร้อยละ %(p).2f สถานะ%(s)s: ส่งแล้ว %(sub)d จาก %(exp)d รายงาน รับแล้ว %(acc)d "
             "ยังไม่ส่ง %(mis)d ส่งช้า %(late)d", p=figure.percent_rounded, s=_status(figure.status), sub=c.submitted,
             exp=c.expected, acc=c.accepted, mis=c.missing, late=c.late)


# What each status means, for the report's legend (in the roll-up's order, worst first).
STATUS_MEANINGS = {
    "delayed": _l("ดำเนินการช้ากว่าแผน"),
    "at_risk": _l("อาจไม่แล้วเสร็จตามแผน"),
    "not_started": _l("ยังไม่ได้เริ่มดำเนินการ"),
    "on_track": _l("ดำเนินการได้ตามแผน"),
    "completed": _l("ดำเนินการแล้วเสร็จครบถ้วน"),
}


def report_legend() -> tuple[tuple[str, str], ...]:
    """The legend under the report's table: every status, then how a theme's status and the figures are made."""
    return (*((_status(code), str(meaning)) for code, meaning in STATUS_MEANINGS.items()),
            (_("สถานะของประเด็นหลัก"), _("สถานะที่ล่าช้าที่สุดของประเด็นย่อยในประเด็นนั้น")),
            (_("ร้อยละ"), _("ค่าเฉลี่ยของหน่วยงานที่รับผิดชอบ ถ่วงด้วยน้ำหนัก หน่วยงานที่ยังไม่ส่งรายงานนับเป็นศูนย์")),
            (_("รายงานที่ส่ง"), _("จำนวนรายงานที่ส่งแล้ว/จำนวนที่ต้องส่ง")),
            (_("ยังไม่ตรวจสอบ"), _("ส่งรายงานแล้ว แต่ฝ่ายเลขานุการยังไม่ได้ตรวจสอบและรับรายงาน")))


@thai_document
def round_report_doc(round_: ReportingRound, user=None) -> round_docx.RoundReportDoc:
    """The compiled round report, always in Thai: every theme and sub-item with its weight, figure and each unit's
    report, delivered reports not yet accepted marked so.

    For a user given, the texts of reports they may not read are left out (status and percent stay, as on
    the dashboard)."""
    rollup = figures.round_rollup(round_)
    by_pair = {(e.sub_item.id, e.unit.id): e for e in services.expected_reports(round_)}
    units_of: dict[int, list] = {}
    for (sub_id, _unit_id), e in by_pair.items():
        units_of.setdefault(sub_id, []).append(e)
    themes = []
    for theme_figure in rollup.figure.children:
        theme = rollup.themes[theme_figure.id]
        sub_sections = []
        for sub_figure in theme_figure.children:
            sub_item = rollup.sub_items[sub_figure.id]
            paragraphs = []
            for e in units_of.get(sub_item.id, []):
                report = e.report if e.received else None
                texts = report is not None and (user is None or authz.can_view_report(user, report))
                paragraphs.append(round_docx.UnitParagraph(
                    unit_name=e.unit.name,
                    status=_status(report.status) if report else _("ยังไม่ส่งรายงาน"),
                    percent=report.percent if report else None, result=report.result if texts else None,
                    obstacles=report.obstacles if texts else None,
                    suggestions=report.suggestions if texts else None, submitted=report is not None,
                    verified=report is not None and report.state == "accepted"))
            sub_sections.append(round_docx.SubItemSection(
                code=f"{theme.number}.{sub_item.number}", title=sub_item.title, target=sub_item.target,
                percent=sub_figure.percent_rounded, status=_status(sub_figure.status), units=tuple(paragraphs),
                weight=round_docx.weight_text(sub_figure.weight)))
        themes.append(round_docx.ThemeSection(number=theme.number, title=theme.title,
                                              percent=theme_figure.percent_rounded,
                                              status=_status(theme_figure.status), sub_items=tuple(sub_sections),
                                              weight=round_docx.weight_text(theme_figure.weight)))
    plan = round_.plan
    return round_docx.RoundReportDoc(
        heading=(_("รายงานผลการดำเนินงาน"), plan.title, round_heading(round_), plan.owner_body.name),
        as_of=_("ข้อมูล ณ วันที่ %(date)s", date=thaidates.thai_date(thaidates.today_bangkok(), "long")),
        summary=counts_sentence(rollup.figure),
        table_headers=(_("ข้อ"), _("ประเด็น"), _("น้ำหนัก"), _("ร้อยละ"), _("สถานะ"), _("รายงานที่ส่ง")),
        themes=tuple(themes),
        labels={"result": _("ผลการดำเนินงาน"), "obstacles": _("ปัญหาอุปสรรค"), "suggestions": _("ข้อเสนอแนะ"),
                "percent": _("ร้อยละ"), "status": _("สถานะ"), "target": _("เป้าหมาย"), "none": _("- ไม่มี -"),
                "unverified": _("(ยังไม่ตรวจสอบ)")},
        legend_title=_("คำอธิบาย"), legend=report_legend(), thai_digits=thai_digits(),
        author=plan.owner_body.secretariat_name,
    )


def round_report_bytes(round_: ReportingRound, user=None) -> bytes:
    """The compiled round report as DOCX (as `user` may read it; None: in full, for the committee's agenda)."""
    return round_docx.round_report_docx(round_report_doc(round_, user))


@thai_document
def round_report_filename(round_: ReportingRound) -> str:
    """The report's Thai file name, e.g. "รายงานผลการดำเนินงาน รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563.docx"."""
    return _("รายงานผลการดำเนินงาน %(r)s.docx", r=services.round_label(round_))


# --- to the committee's agenda ----------------------------------------------------------------------

def committee_body_ids(round_: ReportingRound) -> list[int]:
    """The bodies above the plan's owner (the committee it reports to, and upwards); the owner if it has none."""
    parents = dict(db.session.execute(select(Body.id, Body.parent_id)).all())
    chain, current = [], parents.get(round_.plan.owner_body_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain or [round_.plan.owner_body_id]


def attach_targets(round_: ReportingRound) -> list[tuple[str, str]]:
    """Choices for attaching: for each not-cancelled meeting of the committee whose record is still open (latest
    first) a new item in section 4, then each of its existing section-4 items (three queries)."""
    meetings = [m for m in db.session.scalars(
        select(Meeting).options(selectinload(Meeting.minutes))
        .where(Meeting.body_id.in_(committee_body_ids(round_)), Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc()).limit(20)) if not authz.meeting_record_frozen(m)]
    items = list(db.session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id.in_([m.id for m in meetings] or [-1]), AgendaItem.section == 4)
        .order_by(AgendaItem.position)))
    choices = []
    for meeting in meetings:
        when = thaidates.thai_date(meeting.starts_at)
        choices.append((f"{NEW_ITEM}:{meeting.id}", _("%(title)s (%(when)s) — เพิ่มวาระใหม่ในหมวด 4 เรื่องเพื่อทราบ",
                                                       title=meeting.title, when=when)))
        choices.extend((f"{EXISTING_ITEM}:{i.id}", _("%(title)s (%(when)s) — วาระ %(n)s %(t)s", title=meeting.title,
                                                      when=when, n=i.number, t=i.title))
                       for i in items if i.meeting_id == meeting.id)
    return choices


def _target_meeting_id(target: str | None) -> int | None:
    """The meeting a target ("meeting:<id>" or "item:<id>") belongs to, or None when it names none."""
    kind, _sep, raw_id = (target or "").partition(":")
    if not raw_id.isdigit():
        return None
    if kind == NEW_ITEM:
        return int(raw_id)
    if kind == EXISTING_ITEM:
        return db.session.scalar(select(AgendaItem.meeting_id).where(AgendaItem.id == int(raw_id)))
    return None


def earlier_copies(round_: ReportingRound, target: str | None) -> list[Attachment]:
    """The round's reports already attached to the agenda of the target's meeting (oldest first)."""
    meeting_id = _target_meeting_id(target)
    if meeting_id is None:
        return []
    return list(db.session.scalars(
        select(Attachment).join(AgendaItem, AgendaItem.id == Attachment.agenda_item_id)
        .where(Attachment.round_id == round_.id, AgendaItem.meeting_id == meeting_id).order_by(Attachment.id)))


def replace_question(earlier: Sequence[Attachment]) -> str:
    """What the secretariat is asked before a second copy replaces the first, naming where it is."""
    return _("รายงานผลการดำเนินงานของรอบนี้แนบไว้แล้วในวาระ %(n)s %(t)s ของการประชุมนี้ "
             "ต้องการแทนที่ฉบับเดิมด้วยฉบับใหม่หรือไม่", n=earlier[0].agenda_item.number,
             t=earlier[0].agenda_item.title)


@thai_document
def _new_agenda_item(round_: ReportingRound, meeting: Meeting) -> AgendaItem:
    """A new section-4 item announcing the round's results, titled in Thai (the committee's agenda is Thai)."""
    rollup = figures.round_rollup(round_)
    return agenda_services.add_item(meeting, {
        "section": 4,
        "title": _("ผลการดำเนินงานตาม%(plan)s %(r)s", plan=round_.plan.title, r=services.round_label(round_)),
        "detail": counts_sentence(rollup.figure),
    })


def attach_round_report(round_: ReportingRound, target: str, user, *, replace: bool = False) -> AgendaItem:
    """Compile the round report and attach it to an agenda item in section 4 (a new one when a meeting is chosen).

    When the meeting's agenda already holds this round's report, Conflict (code round_report_attached) unless
    `replace`: then the new copy takes the earlier one's place (on the chosen item, or the earlier copy's item
    when a new item was asked for) and the earlier copies are removed (each removal audited)."""
    kind, _sep, raw_id = (target or "").partition(":")
    allowed = {value for value, _text in attach_targets(round_)}
    if target not in allowed or not raw_id.isdigit():
        raise Invalid(_("เลือกการประชุมหรือวาระไม่ถูกต้อง"), {"target": _("เลือกการประชุมหรือวาระไม่ถูกต้อง")})
    earlier = earlier_copies(round_, target)
    if earlier and not replace:
        raise Conflict(replace_question(earlier), code="round_report_attached")
    if kind == EXISTING_ITEM:
        item = agenda_services.get_item(int(raw_id))
    elif earlier:
        item = earlier[-1].agenda_item
    else:
        item = _new_agenda_item(round_, db.session.get(Meeting, int(raw_id)))
    for attachment in earlier:
        remove_attachment(attachment)
    attachment = attach_file(BytesIO(round_report_bytes(round_)), round_report_filename(round_),
                             agenda_item_id=item.id, user=user)
    attachment.round_id = round_.id
    db.session.flush()
    if earlier:
        record("round.report.replace", item, attachment.title, user=user)
    return item


# --- the dashboard ------------------------------------------------------------------------------------

def committee_views() -> list[figures.CommitteeView]:
    """One view per top-level body that has plans under it (usually the governance committee)."""
    pairs = db.session.execute(select(Body.id, Body.parent_id)).all()
    parent_of = dict(pairs)
    owners = set(db.session.scalars(select(Plan.owner_body_id).distinct()))
    roots = []
    for owner in sorted(owners):
        top = owner
        while parent_of.get(top) is not None:
            top = parent_of[top]
        if top not in roots:
            roots.append(top)
    bodies = {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(roots or [-1])))}
    return [figures.committee_view(bodies[r]) for r in roots]


@dataclass(frozen=True)
class ChartBar:
    """One bar of the rounds chart (SVG coordinates in a 0–100 viewBox height)."""

    label: str
    percent: float
    x: float
    height: float
    status: str


def comparison_chart(comparison: Sequence[tuple[ReportingRound, Figure]], width: float = 300) -> list[ChartBar]:
    """Bars for the plan's percent in each round of the fiscal year (3 → 6 → 9 → 12 months)."""
    if not comparison:
        return []
    slot = width / len(comparison)
    return [ChartBar(label=_("%(m)d เดือน", m=r.months), percent=round_percent(f.percent),
                     x=i * slot + slot * 0.2, height=float(round_percent(f.percent)), status=f.status)
            for i, (r, f) in enumerate(comparison)]
