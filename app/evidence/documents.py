"""The e-meeting evidence as an appendix to the minutes (DOCX, in Thai whatever the interface language): identity
checks, join and leave times, the recording, the incident log and the check-ins, each time in Bangkok time and
in UTC; with the procurement committee's warning that the decree does not apply. The page, font and paragraph
helpers are those of app.official_docx (A4, TH Sarabun New 16 pt with w:cs/w:szCs, page numbers)."""
from __future__ import annotations

from datetime import datetime

from app import thaidates
from app.evidence import services
from app.meetings.models import Meeting
from app.minutes.documents import thai_digits
from app.official_docx import (
    ITEM_INDENT,
    NONE_LINE,
    SECTION_GAP,
    TEXT_INDENT,
    _centred,
    _new_document,
    _page_header,
    _paragraph,
    _to_bytes,
)

METHOD_WORDS = {"otp": "รหัสผ่านใช้ครั้งเดียว (OTP)", "video": "ตรวจสอบทางภาพวิดีโอโดยฝ่ายเลขานุการ",
                "vouched": "ผู้เข้าประชุมอื่นรับรอง"}
SOURCE_WORDS = {"manual": "บันทึกโดยฝ่ายเลขานุการ", "zoom": "รายงาน Zoom", "webex": "รายงาน Webex",
                "teams": "รายงาน Microsoft Teams"}
PLACE_WORDS = {"onsite": "ณ สถานที่ประชุม", "online": "ออนไลน์"}
PROCUREMENT_WARNING = ("หมายเหตุ: คณะนี้เป็นคณะกรรมการในกระบวนการจัดซื้อจัดจ้างภาครัฐ "
                       "พระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563 ไม่ใช้บังคับกับการประชุมนี้")


def stamp(value: datetime) -> str:
    """A time as evidence: Bangkok date and time to the second, then UTC."""
    local, utc = thaidates.to_bangkok(value), thaidates.to_utc(value)
    return f"{thaidates.thai_date(local)} เวลา {local:%H.%M.%S} น. (UTC {utc:%Y-%m-%d %H:%M:%S})"


def evidence_lines(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """The appendix's sections as (heading, numbered lines), in Thai."""
    checks = [f"{c.user.name} — {METHOD_WORDS[c.method]}"
              + (f" รับรองโดย {c.vouched_by_name}" if c.vouched_by_name else "")
              + (f" บันทึกโดย {c.recorded_by_name}" if c.recorded_by_name else "") + f" — {stamp(c.confirmed_at)}"
              for c in services.identity_checks(meeting)]
    stays = [f"{s.name}" + (f" ({s.email})" if s.email else "")
             + ("" if s.user_id or s.guest_id else " [ไม่พบในรายชื่อผู้เข้าประชุม]")
             + f" — เข้าร่วม {stamp(s.joined_at)} ออก {stamp(s.left_at)} ({SOURCE_WORDS[s.source]})"
             for s in services.intervals(meeting)]
    recording = services.recording_of(meeting)
    if recording is None:
        recorded = []
    elif recording.secret:
        recorded = ["การประชุมลับ จึงไม่มีการบันทึกเสียงหรือภาพและเสียง"]
    else:
        recorded = [f"ที่เก็บไฟล์: {recording.url}", f"ค่า SHA-256: {recording.sha256}",
                    f"บันทึกข้อมูลเมื่อ {stamp(recording.updated_at)}"]
    incidents = [f"{i.reporter_name} — {stamp(i.reported_at)}: {i.text}" for i in services.incidents(meeting)]
    check_ins = [f"{c.user.name} — {PLACE_WORDS[c.place]} — {stamp(c.checked_in_at)}"
                 for c in services.check_ins(meeting)]
    return [("1. การยืนยันตัวตนของผู้เข้าประชุมผ่านสื่ออิเล็กทรอนิกส์", checks),
            ("2. เวลาเข้าร่วมและออกจากการประชุม (ข้อมูลจราจรทางอิเล็กทรอนิกส์)", stays),
            ("3. การบันทึกเสียงหรือภาพและเสียงการประชุม", recorded),
            ("4. การแจ้งปัญหาทางเทคนิค", incidents),
            ("5. การลงชื่อเข้าประชุม (เช็กอิน)", check_ins)]


def evidence_docx(meeting: Meeting) -> bytes:
    """The appendix as a .docx file's bytes."""
    title = "ภาคผนวก หลักฐานการประชุมผ่านสื่ออิเล็กทรอนิกส์"
    document = _new_document(title=title, author=meeting.body.secretariat_name)
    _page_header(document, thai_digits=thai_digits())
    _centred(document, title)
    _centred(document, f"รายงานการประชุม{meeting.body.name}")
    _centred(document, f"ครั้งที่ {meeting.code}")
    _centred(document, f"เมื่อ{thaidates.thai_date_range(meeting.starts_at, meeting.ends_at)}", bold=False)
    if meeting.body.procurement:
        _paragraph(document, [(PROCUREMENT_WARNING, True)], space_before=SECTION_GAP)
    if not services.is_electronic(meeting):
        _paragraph(document, [("การประชุมนี้จัด ณ สถานที่ประชุม ไม่ใช่การประชุมผ่านสื่ออิเล็กทรอนิกส์", False)],
                   space_before=SECTION_GAP)
    _paragraph(document, [("เวลาทั้งหมดเป็นเวลามาตรฐานประเทศไทย (UTC+7) และระบุเวลาสากลเชิงพิกัด (UTC) ไว้ในวงเล็บ",
                           False)], space_before=SECTION_GAP)
    for heading, lines in evidence_lines(meeting):
        _paragraph(document, [(heading, True)], left=ITEM_INDENT, space_before=SECTION_GAP, keep_with_next=True)
        if not lines:
            _paragraph(document, [(NONE_LINE, False)], left=TEXT_INDENT)
        for number, line in enumerate(lines, start=1):
            _paragraph(document, [(f"{number}. {line}", False)], left=TEXT_INDENT)
    _paragraph(document, [(f"จัดทำเมื่อ {stamp(thaidates.to_utc(datetime.now(thaidates.UTC)))}", False)],
               space_before=SECTION_GAP)
    return _to_bytes(document)
