"""The three daily tasks, done as a person does them: by clicks and typing, reading labels and visible text.

- the secretariat schedules a hybrid meeting with a Buddhist-era date and publishes its agenda (desktop);
- the ICT reporter files and submits a 9-month report with evidence, a file and a link (desktop);
- a member answers an invitation on a phone, the answer buttons on the first screen of the meeting page.
"""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.thaidates import today_bangkok

CONFIRM = re.compile(r"^ยืนยัน")


def confirm_if_asked(page) -> None:
    """Pass a confirmation step (a page that asks first, e.g. before e-mailing members) when one is shown."""
    page.wait_for_load_state()
    button = page.get_by_role("button", name=CONFIRM)
    if button.count():
        button.first.click()
        page.wait_for_load_state()


def type_rich_text(page, label: str, text: str) -> None:
    """Type into a rich-text field, once its editor has replaced the plain textarea (it loads after the page)."""
    editor = page.get_by_role("textbox", name=label)
    expect(editor).to_have_attribute("contenteditable", "true")
    editor.click()
    page.keyboard.type(text)


def test_secretariat_schedules_a_hybrid_meeting_with_a_thai_date_and_publishes_its_agenda(open_context, app):
    from app.meetings.models import Meeting

    context, _ = open_context("desktop", "secretariat")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    day = today_bangkok() + timedelta(days=30)
    typed_day = f"{day.day:02d}/{day.month:02d}/{day.year + 543}"

    page.goto("/meetings/")
    page.get_by_role("link", name="นัดประชุม").click()
    page.get_by_label("คณะ", exact=True).select_option(index=1)
    body_name = page.get_by_label("คณะ", exact=True).evaluate("s => s.selectedOptions[0].textContent.trim()")
    page.get_by_label("ชื่อการประชุม").fill("ประชุมทดสอบแบบผสมจากเบราว์เซอร์")
    page.get_by_label("เริ่ม", exact=True).fill(f"{typed_day} 09.30")
    page.get_by_label("สิ้นสุด", exact=True).fill(f"{typed_day} 12.00")
    page.get_by_label("รูปแบบ").select_option(label="ประชุมแบบผสม")
    page.get_by_label("สถานที่ (ณ)").fill("ห้องประชุม 1 ชั้น 3")
    page.get_by_label("ลิงก์ประชุมออนไลน์ (https://)").fill("https://meet.example.go.th/abc")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    confirm_if_asked(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("ประชุมทดสอบแบบผสมจากเบราว์เซอร์")
    expect(page.locator("main")).to_contain_text("ประชุมแบบผสม")
    expect(page.locator("main")).to_contain_text(f"{day.year + 543}")
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == "ประชุมทดสอบแบบผสมจากเบราว์เซอร์"))
        assert meeting.mode == "hybrid" and meeting.body.name == body_name
        assert meeting.starts_at.astimezone(thai_zone()).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 09:30"

    page.get_by_role("link", name="ระเบียบวาระการประชุม").click()
    page.get_by_label("ระเบียบวาระที่").select_option(value="5")
    page.get_by_label("เรื่อง", exact=True).fill("การปรับปรุงแผนปฏิบัติการ")
    type_rich_text(page, "รายละเอียด", "ฝ่ายเลขานุการเสนอให้ที่ประชุมพิจารณา")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("main")).to_contain_text("การปรับปรุงแผนปฏิบัติการ")

    page.get_by_role("button", name="เผยแพร่ระเบียบวาระ").click()
    confirm_if_asked(page)
    expect(page.locator("main")).to_contain_text("เผยแพร่แล้ว")
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == "ประชุมทดสอบแบบผสมจากเบราว์เซอร์"))
        assert meeting.agenda_state == "published"
        assert "การปรับปรุงแผนปฏิบัติการ" in [item.title for item in meeting.agenda_items]


def test_reporter_files_and_submits_a_nine_month_report_with_evidence(open_context, app, tmp_path):
    from app.reports.models import ProgressReport, ReportingRound

    with app.app_context():
        round_ = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9,
                                                                ReportingRound.status == "open"))
        heading = f"รอบ 9 เดือน ปีงบประมาณ พ.ศ. {round_.fiscal_year_be}"
    evidence = tmp_path / "ผลการอบรม.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    context, _ = open_context("desktop", "reporter")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto("/reports/mine")
    section = page.locator("section").filter(has=page.get_by_text(heading, exact=True))
    first = section.get_by_role("listitem").filter(has=page.get_by_role("link", name="รายงาน", exact=True)).first
    sub_item = first.locator("div div").first.inner_text()
    first.get_by_role("link", name="รายงาน", exact=True).click()

    page.get_by_label("สถานะความก้าวหน้า").select_option(label="เป็นไปตามแผน")
    page.get_by_label("ความก้าวหน้า (ร้อยละ 0–100)").fill("75")
    type_rich_text(page, "ผลการดำเนินงาน", "จัดอบรมเจ้าหน้าที่ครบทั้ง 3 รุ่น")
    page.get_by_label(re.compile("^ไฟล์หลักฐาน")).set_input_files(str(evidence))
    page.get_by_label(re.compile("^ลิงก์หลักฐาน")).fill("https://drive.example.go.th/report-9")
    page.get_by_role("button", name="บันทึกและส่งรายงาน").click()
    confirm_if_asked(page)

    expect(page.locator("main")).to_contain_text("จัดอบรมเจ้าหน้าที่ครบทั้ง 3 รุ่น")
    expect(page.locator("main")).to_contain_text("ผลการอบรม.pdf")
    with app.app_context():
        report = db.session.scalar(select(ProgressReport).where(ProgressReport.round_id == round_.id)
                                   .order_by(ProgressReport.id.desc()))
        assert report.state == "submitted" and report.percent == 75
        assert sub_item.startswith(report.sub_item.code)
        assert {a.title for a in report.attachments} >= {"ผลการอบรม.pdf"}
        assert any(a.url == "https://drive.example.go.th/report-9" for a in report.attachments)


def test_member_answers_an_invitation_on_a_phone(open_context, app):
    from app.auth.models import User
    from app.meetings.models import Meeting, Rsvp

    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == "member@demo.prachum.in.th"))
        upcoming = db.session.scalar(select(Meeting).where(Meeting.status == "scheduled")
                                     .order_by(Meeting.starts_at.desc()))
        meeting_id, code = upcoming.id, upcoming.code
    context, _ = open_context("phone", "member")
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="เมนู").tap()  # the grouped navbar, folded on a phone
    page.get_by_role("button", name="การประชุม", exact=True).tap()
    page.get_by_role("link", name="การประชุม", exact=True).tap()
    page.get_by_role("link", name=f"ครั้งที่ {code}", exact=True).tap()
    expect(page).to_have_url(re.compile(f"/meetings/{meeting_id}$"))

    answers = page.get_by_role("form", name=f"ตอบรับการประชุมครั้งที่ {code}")
    for name in ("เข้าร่วม", "ไม่เข้าร่วม", "ยังไม่แน่ใจ"):
        box = answers.get_by_role("button", name=name, exact=True).bounding_box()
        assert box["y"] + box["height"] <= 844, f"{name} is below the first screen ({box})"
        assert box["width"] >= 24 and box["height"] >= 24
    answers.get_by_role("button", name="เข้าร่วม", exact=True).tap()
    page.wait_for_load_state()

    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("บันทึกการตอบรับแล้ว")
    expect(page.get_by_role("form", name=f"ตอบรับการประชุมครั้งที่ {code}")
           .get_by_role("button", name="เข้าร่วม", exact=True)).to_have_attribute("aria-pressed", "true")
    with app.app_context():
        answer = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == member.id))
        assert answer.response == "accepted"


def thai_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Bangkok")
