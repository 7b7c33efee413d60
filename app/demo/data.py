"""The demo scenario of DOMAIN.md as plain data: units, bodies, people, meetings, the plan and its reports.

Times are naive Bangkok local times (the loader converts them to UTC). People's names are fictional;
the events, places and the plan follow the two seed news items.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.demo import DEMO_ACCOUNTS, DEMO_DOMAIN

__all__ = [
    "AGENDA_ITEMS", "ASSESSMENT_BANDS", "ASSESSMENT_SCORES", "BODIES", "DEMO_ACCOUNTS", "DEMO_DOMAIN", "MEETINGS",
    "PEOPLE", "PLAN", "PROGRESS", "REPORTING_UNITS", "ROUNDS", "SUB_ITEMS", "THEMES", "UNITS", "email",
]


def email(local: str) -> str:
    """A demo e-mail address: email("member") -> member@demo.prachum.in.th."""
    return f"{local}@{DEMO_DOMAIN}"


# --- units (code, name, short name) -------------------------------------------------------------

UNITS: tuple[tuple[str, str, str | None], ...] = (
    ("OTEPC", "สำนักงาน ก.ค.ศ.", "ก.ค.ศ."),
    ("ONIE", "สำนักงาน กศน.", "กศน."),
    ("OPEC", "สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน", "สช."),
    ("BPS", "สำนักนโยบายและยุทธศาสตร์", "สนย."),
    ("BIE", "สำนักตรวจราชการและติดตามประเมินผล", "สตป."),
    ("BLA", "สำนักนิติการ", None),
    ("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "ศทก."),
    ("PSDG", "กลุ่มพัฒนาระบบบริหาร", "กพร."),
    ("OBEC", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ."),
)

# The seven units that report on the plan (the secretariat PSDG and OBEC do not).
REPORTING_UNITS: tuple[str, ...] = ("OTEPC", "ONIE", "OPEC", "BPS", "BIE", "BLA", "ICT")

# --- bodies, by key -----------------------------------------------------------------------------

COMMITTEE_NAME = "คณะกรรมการนโยบายการกำกับองค์การที่ดี สำนักงานปลัดกระทรวงศึกษาธิการ"
WORKING_GROUP_NAME = (
    "คณะทำงานติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564)"
)
OBEC_BODY_NAME = "คณะทำงานพัฒนาตัวชี้วัดผลลัพธ์ของสำนักงานเขตพื้นที่การศึกษา สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"

BODIES: dict[str, dict] = {
    "committee": dict(
        name=COMMITTEE_NAME,
        short_name="คณะกรรมการนโยบายการกำกับองค์การที่ดี สป.",
        kind="committee",
        numbering="calendar",
        parent=None,
        secretariat_unit="PSDG",
        description="กำกับ ติดตาม และให้ข้อเสนอแนะการดำเนินงานตามแผนปฏิรูปองค์การของสำนักงานปลัดกระทรวงศึกษาธิการ",
    ),
    "wg": dict(
        name=WORKING_GROUP_NAME,
        short_name="คณะทำงานติดตามผลข้อเสนอการเปลี่ยนแปลง 3 ปี",
        kind="working_group",
        numbering="fiscal",
        parent="committee",
        secretariat_unit="PSDG",
        description=(
            "ติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564) ตามแผนปฏิรูปองค์การ"
            " สำนักงานปลัดกระทรวงศึกษาธิการ และรายงานต่อคณะกรรมการนโยบายการกำกับองค์การที่ดี"
        ),
    ),
    "obec": dict(
        name=OBEC_BODY_NAME,
        short_name="คณะทำงานตัวชี้วัดผลลัพธ์ สพท.",
        kind="working_group",
        numbering="calendar",
        parent=None,
        secretariat_unit="OBEC",
        description=(
            "ขับเคลื่อนตัวชี้วัดผลลัพธ์การดำเนินงานตามมาตรการปรับปรุงประสิทธิภาพในการปฏิบัติราชการ"
            "ของสำนักงานเขตพื้นที่การศึกษา"
        ),
    ),
}

# --- people -------------------------------------------------------------------------------------
# key: e-mail local part; seats: (body key, position in the body, order in attendance lists).

PEOPLE: tuple[dict, ...] = (
    # the five accounts of the login page
    dict(key="admin", name="นายธนพล อินทรประเสริฐ", role="admin", unit="ICT",
         position="นักวิชาการคอมพิวเตอร์ชำนาญการพิเศษ ผู้ดูแลระบบ", seats=()),
    dict(key="secretariat", name="นางสาวพิมพ์ชนก วงศ์ไพบูลย์", role="secretariat", unit="PSDG",
         position="ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร",
         seats=(("wg", "secretary", 90), ("committee", "assistant_secretary", 91))),
    dict(key="reporter.ict", name="นายกิตติศักดิ์ แสงอรุณ", role="reporter", unit="ICT",
         position="นักวิชาการคอมพิวเตอร์ชำนาญการ ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", seats=()),
    dict(key="member", name="นางวิไลวรรณ สุขประเสริฐ", role="member", unit="OTEPC",
         position="นักทรัพยากรบุคคลชำนาญการพิเศษ สำนักงาน ก.ค.ศ.", seats=(("wg", "member", 10),)),
    dict(key="viewer", name="นายอนุชา ทองมา", role="viewer", unit=None,
         position="นักวิชาการตรวจสอบภายในชำนาญการพิเศษ หน่วยตรวจสอบภายใน สำนักงานปลัดกระทรวงศึกษาธิการ",
         seats=()),
    # the governance committee and the chair of the working group
    dict(key="permanent.secretary", name="นายประเสริฐ ธรรมรักษ์", role="member", unit=None,
         position="ปลัดกระทรวงศึกษาธิการ", seats=(("committee", "chair", 1),)),
    dict(key="committee.member", name="นางจิราพร มณีวงศ์", role="member", unit=None,
         position="รองปลัดกระทรวงศึกษาธิการ", seats=(("committee", "member", 10),)),
    dict(key="chair", name="ดร.อรพินท์ ศักดิ์สุวรรณ", role="member", unit=None,
         position="ผู้ช่วยปลัดกระทรวงศึกษาธิการ", seats=(("wg", "chair", 1), ("committee", "secretary", 90))),
    # working-group members representing the units
    dict(key="wg.bps", name="นายสุรชัย วงศ์สวัสดิ์", role="member", unit="BPS",
         position="ผู้อำนวยการสำนักนโยบายและยุทธศาสตร์", seats=(("wg", "vice_chair", 2),)),
    dict(key="wg.onie", name="นางสาวปวีณา บุญมา", role="member", unit="ONIE",
         position="นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ สำนักงาน กศน.", seats=(("wg", "member", 11),)),
    dict(key="wg.opec", name="นายวรวุฒิ ชัยมงคล", role="member", unit="OPEC",
         position="นักวิชาการศึกษาชำนาญการพิเศษ สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน",
         seats=(("wg", "member", 12),)),
    dict(key="wg.bie", name="นางรัชนี พรหมวงศ์", role="member", unit="BIE",
         position="ผู้อำนวยการกลุ่มติดตามและประเมินผล สำนักตรวจราชการและติดตามประเมินผล",
         seats=(("wg", "member", 13),)),
    dict(key="wg.bla", name="นายณัฐวุฒิ ศรีสมบูรณ์", role="member", unit="BLA",
         position="นิติกรชำนาญการพิเศษ สำนักนิติการ", seats=(("wg", "member", 14),)),
    dict(key="wg.ict", name="นางสาวสุภาพร แก้วมณี", role="member", unit="ICT",
         position="ผู้อำนวยการกลุ่มพัฒนาระบบสารสนเทศ ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
         seats=(("wg", "member", 15),)),
    # one reporter per other unit
    dict(key="reporter.otepc", name="นางสาวณัฐธิดา จันทร์เพ็ญ", role="reporter", unit="OTEPC",
         position="นักทรัพยากรบุคคลชำนาญการ สำนักงาน ก.ค.ศ.", seats=()),
    dict(key="reporter.onie", name="นายพงศกร ทองดี", role="reporter", unit="ONIE",
         position="นักวิเคราะห์นโยบายและแผนชำนาญการ สำนักงาน กศน.", seats=()),
    dict(key="reporter.opec", name="นางกาญจนา ศรีทอง", role="reporter", unit="OPEC",
         position="นักวิชาการศึกษาชำนาญการ สำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชน", seats=()),
    dict(key="reporter.bps", name="นายเอกชัย รุ่งเรืองศรี", role="reporter", unit="BPS",
         position="นักวิเคราะห์นโยบายและแผนชำนาญการ สำนักนโยบายและยุทธศาสตร์", seats=()),
    dict(key="reporter.bie", name="นางสาวศิริพร ใจงาม", role="reporter", unit="BIE",
         position="นักวิเคราะห์นโยบายและแผนชำนาญการ สำนักตรวจราชการและติดตามประเมินผล", seats=()),
    dict(key="reporter.bla", name="นายธีรวัฒน์ นาคสุข", role="reporter", unit="BLA",
         position="นิติกรชำนาญการ สำนักนิติการ", seats=()),
    # OBEC, for the workshop
    dict(key="obec.chair", name="นายวีระพงษ์ สายสุวรรณ", role="member", unit="OBEC",
         position="ผู้ช่วยเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", seats=(("obec", "chair", 1),)),
    dict(key="obec.psdg", name="นางสาวลลิตา ทรงสุข", role="member", unit="OBEC",
         position="ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
         seats=(("obec", "secretary", 90),)),
)

# --- meetings, by key ---------------------------------------------------------------------------

CHANTHARAKASEM = "ห้องประชุมจันทรเกษม ชั้น 1 อาคารราชวัลลภ กระทรวงศึกษาธิการ"
WG_TITLE = (
    "การประชุมคณะทำงานติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564)"
    " ประจำปีงบประมาณ พ.ศ. 2563 ครั้งที่ {number}/2563"
)

MEETINGS: dict[str, dict] = {
    "wg-1/2563": dict(
        body="wg", year_be=2563, number=1, title=WG_TITLE.format(number=1),
        starts=datetime(2019, 12, 12, 13, 30), ends=datetime(2019, 12, 12, 16, 0),
        mode="onsite", venue=CHANTHARAKASEM, online_url=None, stream_url=None,
        chair="chair", status="held", agenda_published=datetime(2019, 12, 5, 10, 0),
    ),
    "wg-2/2563": dict(
        body="wg", year_be=2563, number=2, title=WG_TITLE.format(number=2),
        starts=datetime(2020, 3, 20, 9, 30), ends=datetime(2020, 3, 20, 12, 0),
        mode="online", venue=None, online_url="https://zoom.us/j/93120200320", stream_url=None,
        chair="chair", status="held", agenda_published=datetime(2020, 3, 13, 10, 0),
        notes="ประชุมผ่านสื่ออิเล็กทรอนิกส์ตามมาตรการป้องกันการแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019",
    ),
    "wg-3/2563": dict(
        body="wg", year_be=2563, number=3, title=WG_TITLE.format(number=3),
        starts=datetime(2020, 6, 26, 9, 30), ends=datetime(2020, 6, 26, 12, 0),
        mode="onsite", venue=CHANTHARAKASEM, online_url=None, stream_url=None,
        chair="chair", status="held", agenda_published=datetime(2020, 6, 19, 10, 0),
    ),
    "committee-1/2563": dict(
        body="committee", year_be=2563, number=1,
        title="การประชุมคณะกรรมการนโยบายการกำกับองค์การที่ดี สำนักงานปลัดกระทรวงศึกษาธิการ ครั้งที่ 1/2563",
        starts=datetime(2020, 8, 20, 13, 30), ends=datetime(2020, 8, 20, 16, 0),
        mode="onsite", venue="ห้องประชุม สป. 1 ชั้น 2 อาคารราชวัลลภ กระทรวงศึกษาธิการ",
        online_url=None, stream_url=None,
        chair="permanent.secretary", status="held", agenda_published=datetime(2020, 8, 13, 10, 0),
    ),
    "obec-1/2566": dict(
        body="obec", year_be=2566, number=1,
        title=(
            "ประชุมเชิงปฏิบัติการขับเคลื่อนตัวชี้วัดผลลัพธ์การดำเนินงานตามมาตรการปรับปรุงประสิทธิภาพ"
            "ในการปฏิบัติราชการของสำนักงานเขตพื้นที่การศึกษา ประจำปีงบประมาณ พ.ศ. 2566"
            " (ด้านการวางแผน การเงินและบัญชี การตรวจสอบภายใน และการพัฒนาองค์การ)"
        ),
        starts=datetime(2023, 3, 29, 8, 30), ends=datetime(2023, 3, 31, 16, 30),
        mode="hybrid", venue="โรงแรมทองธารา ริเวอร์วิว กรุงเทพมหานคร",
        online_url="https://zoom.us/j/98520230329", stream_url="https://www.youtube.com/@OBECChannel/live",
        chair="obec.chair", status="held", agenda_published=datetime(2023, 3, 22, 10, 0),
        notes="ผู้เข้าร่วม: ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา ผู้แทนสำนักส่วนกลางที่รับผิดชอบตัวชี้วัด"
              " และบุคลากรที่เกี่ยวข้อง ณ โรงแรม และผ่าน Zoom Meeting และ OBEC Channel",
    ),
}

# meeting key -> items (section, position, title, kind, presenter unit, detail HTML, source meeting key)
AGENDA_ITEMS: dict[str, tuple[tuple, ...]] = {
    "wg-1/2563": (
        (1, 1, "แนวทางการติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงฯ ประจำปีงบประมาณ พ.ศ. 2563",
         "announcement", None, None, None),
        (2, 1, "รับรองรายงานการประชุม ครั้งที่ 4/2562", "certification", None, None, None),
        (4, 1, "ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2562",
         "information", "PSDG", None, None),
        (5, 1, "ปฏิทินการรายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2563", "decision", "PSDG",
         "<p>กำหนดส่งรายงานรอบ 3 เดือน ภายในวันที่ 15 มกราคม 2563 รอบ 6 เดือน ภายในวันที่ 15 เมษายน 2563"
         " และรอบ 9 เดือน ภายในวันที่ 15 กรกฎาคม 2563</p>", None),
    ),
    "wg-2/2563": (
        (1, 1, "การประชุมผ่านสื่ออิเล็กทรอนิกส์ในสถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019",
         "announcement", None, None, None),
        (2, 1, "รับรองรายงานการประชุม ครั้งที่ 1/2563", "certification", None, None, "wg-1/2563"),
        (4, 1, "ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี รอบ 3 เดือน ปีงบประมาณ พ.ศ. 2563",
         "information", "PSDG", None, None),
    ),
    "wg-3/2563": (
        (1, 1, "ผลการประเมินส่วนราชการตามมาตรการปรับปรุงประสิทธิภาพในการปฏิบัติราชการ"
               " ประจำปีงบประมาณ พ.ศ. 2562 องค์ประกอบที่ 5", "announcement", None,
         "<p>องค์ประกอบที่ 5 (Potential Base) การดำเนินการตามแผนปฏิรูปองค์การของส่วนราชการ"
         " ได้คะแนน 85.00 ระดับมาตรฐานขั้นสูง</p>", None),
        (2, 1, "รับรองรายงานการประชุม ครั้งที่ 2/2563", "certification", None, None, "wg-2/2563"),
        (4, 1, "ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563",
         "information", "PSDG",
         "<p>หน่วยงานในสังกัดสำนักงานปลัดกระทรวงศึกษาธิการ 7 หน่วยงาน รายงานผลการดำเนินงานสะสม"
         " (1 ตุลาคม 2562 – 30 มิถุนายน 2563) ใน 3 ประเด็นหลัก 13 ประเด็นย่อย"
         " ผลการดำเนินงานโดยรวมเป็นไปตามผลผลิตและเป้าหมายที่กำหนด</p>"
         "<p>กลุ่มพัฒนาระบบบริหารจะนำเสนอผลการดำเนินงานต่อคณะกรรมการนโยบายการกำกับองค์การที่ดี"
         " สำนักงานปลัดกระทรวงศึกษาธิการต่อไป</p>", None),
        (6, 1, "กำหนดการประชุมครั้งต่อไป", "other", None, None, None),
    ),
    "committee-1/2563": (
        (1, 1, "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "announcement", None, None, None),
        (4, 1, "ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563",
         "information", "PSDG",
         "<p>ตามมติคณะทำงานติดตามผลการดำเนินงานฯ ในการประชุมครั้งที่ 3/2563 เมื่อวันที่ 26 มิถุนายน 2563</p>",
         "wg-3/2563"),
    ),
    "obec-1/2566": (
        (1, 1, "ประธานเปิดการประชุมเชิงปฏิบัติการและมอบนโยบาย", "announcement", None, None, None),
        (4, 1, "กรอบแนวทางการประเมินส่วนราชการตามมาตรการปรับปรุงประสิทธิภาพในการปฏิบัติราชการ"
               " ประจำปีงบประมาณ พ.ศ. 2566 และการประเมินระบบราชการ 4.0 (PMQA 4.0)", "information", "OBEC",
         None, None),
        (5, 1, "ร่างตัวชี้วัดผลลัพธ์ของสำนักงานเขตพื้นที่การศึกษา ด้านการวางแผน ด้านการเงินและบัญชี"
               " ด้านการตรวจสอบภายใน และด้านการพัฒนาองค์การ", "decision", "OBEC", None, None),
    ),
}

# --- the plan -----------------------------------------------------------------------------------

PLAN = dict(
    title="ข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564) ตามแผนปฏิรูปองค์การ สำนักงานปลัดกระทรวงศึกษาธิการ",
    owner="wg",
    start_year_be=2562,
    end_year_be=2564,
    description="3 ประเด็นหลัก 13 ประเด็นย่อย ติดตามผลรายไตรมาสโดยคณะทำงานติดตามผลการดำเนินงานฯ",
)

THEMES: tuple[tuple[int, str], ...] = (
    (1, "การปรับกระบวนการ ขั้นตอนการทำงาน"),
    (2, "การพัฒนาฐานข้อมูล Big Data ของกระทรวง"),
    (3, "การเปิดโอกาสทุกภาคส่วนให้มีส่วนร่วมและการกระจายอำนาจการตัดสินใจสู่ระดับการปฏิบัติ"),
)

# Sample titles (the seed does not list them). code "theme.number" -> fields and responsible units.
SUB_ITEMS: dict[str, dict] = {
    "1.1": dict(title="การลดขั้นตอนและระยะเวลาการให้บริการประชาชนและผู้รับบริการ",
                outputs="กระบวนงานบริการที่ปรับลดขั้นตอนและให้บริการทางอิเล็กทรอนิกส์",
                target="ระยะเวลาการให้บริการลดลงไม่น้อยกว่าร้อยละ 30", target_value=30, target_unit="ร้อยละ",
                units=("OTEPC", "ONIE")),
    "1.2": dict(title="การพัฒนาระบบงานสารบรรณอิเล็กทรอนิกส์ (e-Saraban)",
                outputs="ระบบสารบรรณอิเล็กทรอนิกส์และระเบียบรองรับการรับส่งหนังสือราชการทางอิเล็กทรอนิกส์",
                target="ระบบสารบรรณอิเล็กทรอนิกส์ใช้งานได้ทุกหน่วยงานในสังกัด 1 ระบบ", target_value=1,
                target_unit="ระบบ", units=("BLA", "ICT")),
    "1.3": dict(title="การปรับปรุงกฎหมาย ระเบียบ และหลักเกณฑ์ที่เป็นอุปสรรคต่อการปฏิบัติงาน",
                outputs="ระเบียบและหลักเกณฑ์ที่ได้รับการปรับปรุง",
                target="ปรับปรุงระเบียบและหลักเกณฑ์ 5 ฉบับ", target_value=5, target_unit="ฉบับ",
                units=("BLA",)),
    "1.4": dict(title="การพัฒนาระบบการตรวจราชการแบบบูรณาการ (e-Inspection)",
                outputs="ระบบ e-Inspection สำหรับการตรวจราชการและติดตามประเมินผล",
                target="ระบบ e-Inspection ใช้งานได้ครบทุกสำนักงานศึกษาธิการภาค 1 ระบบ", target_value=1,
                target_unit="ระบบ", units=("BIE", "ICT"), weight=2),
    "1.5": dict(title="การพัฒนาระบบการประเมินวิทยฐานะข้าราชการครูแบบดิจิทัล",
                outputs="ระบบยื่นคำขอและประเมินวิทยฐานะทางอิเล็กทรอนิกส์",
                target="ข้าราชการครูยื่นคำขอผ่านระบบได้ร้อยละ 80", target_value=80, target_unit="ร้อยละ",
                units=("OTEPC",)),
    "2.1": dict(title="การพัฒนาระบบฐานข้อมูลกลางด้านการศึกษา",
                outputs="ฐานข้อมูลกลางด้านการศึกษาที่เชื่อมโยงข้อมูลนักเรียน ครู และสถานศึกษา",
                target="ฐานข้อมูลกลางด้านการศึกษา 1 ระบบ", target_value=1, target_unit="ระบบ",
                units=("BPS", "ICT")),
    "2.2": dict(title="การเชื่อมโยงข้อมูลผู้เรียนรายบุคคลระหว่างหน่วยงาน",
                outputs="ข้อมูลผู้เรียนรายบุคคลที่เชื่อมโยงกับฐานข้อมูลกลาง",
                target="ข้อมูลผู้เรียนเชื่อมโยงกับฐานข้อมูลกลางร้อยละ 80", target_value=80, target_unit="ร้อยละ",
                units=("ONIE", "OPEC", "ICT")),
    "2.3": dict(title="การจัดทำบัญชีข้อมูล (Data Catalog) และธรรมาภิบาลข้อมูล",
                outputs="บัญชีข้อมูลของสำนักงานปลัดกระทรวงศึกษาธิการและแนวปฏิบัติธรรมาภิบาลข้อมูล",
                target="บัญชีข้อมูล 20 ชุดข้อมูล", target_value=20, target_unit="ชุดข้อมูล",
                units=("BPS",)),
    "2.4": dict(title="การพัฒนาระบบสารสนเทศเพื่อการติดตามและประเมินผล (Dashboard)",
                outputs="ระบบ Dashboard แสดงผลการดำเนินงานตามนโยบายและการตรวจราชการ",
                target="ระบบ Dashboard 1 ระบบ", target_value=1, target_unit="ระบบ",
                units=("BIE", "BPS")),
    "3.1": dict(title="การเปิดเผยข้อมูลภาครัฐ (Open Data) และการรับฟังความคิดเห็นผ่านระบบออนไลน์",
                outputs="ชุดข้อมูลเปิดบนระบบบัญชีข้อมูลภาครัฐ และช่องทางรับฟังความคิดเห็นออนไลน์",
                target="เปิดเผยชุดข้อมูล 10 ชุดข้อมูล", target_value=10, target_unit="ชุดข้อมูล",
                units=("BPS", "ICT")),
    "3.2": dict(title="การส่งเสริมการมีส่วนร่วมของภาคเอกชนในการจัดการศึกษา",
                outputs="ความร่วมมือกับภาคเอกชนและสมาคมโรงเรียนเอกชน",
                target="บันทึกความร่วมมือกับภาคเอกชน 15 แห่ง", target_value=15, target_unit="แห่ง",
                units=("OPEC",)),
    "3.3": dict(title="การจัดการเรียนรู้ออนไลน์ร่วมกับภาคีเครือข่าย",
                outputs="หลักสูตรและกิจกรรมการเรียนรู้ออนไลน์ร่วมกับภาคีเครือข่าย",
                target="สถานศึกษาและแหล่งเรียนรู้จัดการเรียนรู้ออนไลน์ได้ร้อยละ 80", target_value=80,
                target_unit="ร้อยละ", units=("ONIE", "OPEC")),
    "3.4": dict(title="การมอบอำนาจและกระจายอำนาจการตัดสินใจสู่สำนักงานศึกษาธิการภาคและสำนักงานศึกษาธิการจังหวัด",
                outputs="คำสั่งมอบอำนาจและหลักเกณฑ์การกระจายอำนาจการบริหารงานบุคคลและงานบริการ",
                target="ออกคำสั่งมอบอำนาจตามเรื่องที่กำหนดครบถ้วน", target_value=None, target_unit=None,
                units=("BLA", "OTEPC")),
}

# --- reporting rounds of FY 2563 (months, due date, status) -------------------------------------

FISCAL_YEAR_BE = 2563
ROUNDS: tuple[tuple[int, date, str], ...] = (
    (3, date(2020, 1, 15), "closed"),
    (6, date(2020, 4, 15), "closed"),
    (9, date(2020, 7, 15), "open"),
)

# --- progress, per (sub-item code, unit code) ---------------------------------------------------
# percents at 3, 6 and 9 months; nine=None leaves the 9-month report missing (ICT files its own in
# the demo). status, texts and the submission date (Bangkok) describe the 9-month report.

PROGRESS: dict[tuple[str, str], dict] = {
    ("1.1", "OTEPC"): dict(
        three=20, six=45, nine=70, status="on_track", submitted=datetime(2020, 6, 18, 10, 15),
        result="ลดระยะเวลาการพิจารณาคำขอย้ายและคำขอมีวิทยฐานะได้ร้อยละ 25 จากเป้าหมายร้อยละ 30",
        obstacles=None, suggestions=None),
    ("1.1", "ONIE"): dict(
        three=15, six=40, nine=60, status="at_risk", submitted=datetime(2020, 7, 16, 9, 40),
        result="ปรับกระบวนงานการเทียบโอนผลการเรียนเป็นระบบออนไลน์แล้ว 2 กระบวนงาน จาก 4 กระบวนงาน",
        obstacles="สถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 ทำให้ต้องเลื่อนการทดสอบระบบกับสถานศึกษา",
        suggestions="ขอขยายระยะเวลาการทดสอบระบบถึงเดือนสิงหาคม 2563"),
    ("1.2", "BLA"): dict(
        three=10, six=30, nine=55, status="on_track", submitted=datetime(2020, 6, 22, 14, 0),
        result="ยกร่างระเบียบว่าด้วยงานสารบรรณอิเล็กทรอนิกส์ของสำนักงานปลัดกระทรวงศึกษาธิการแล้ว"
               " อยู่ระหว่างการรับฟังความคิดเห็น",
        obstacles=None, suggestions="ควรจัดอบรมการใช้งานระบบควบคู่กับการประกาศใช้ระเบียบ"),
    ("1.2", "ICT"): dict(three=25, six=50, nine=None),
    ("1.3", "BLA"): dict(
        three=30, six=60, nine=100, status="completed", submitted=datetime(2020, 6, 19, 11, 30),
        result="ปรับปรุงระเบียบและหลักเกณฑ์ที่เป็นอุปสรรคต่อการปฏิบัติงานแล้วเสร็จ 5 ฉบับ ครบตามเป้าหมาย",
        obstacles=None, suggestions=None),
    ("1.4", "BIE"): dict(
        three=30, six=60, nine=100, status="completed", submitted=datetime(2020, 6, 17, 15, 20),
        result="ระบบ e-Inspection ใช้งานได้ครบทุกสำนักงานศึกษาธิการภาค และใช้ติดตามสถานการณ์การแพร่ระบาด"
               "ของโรคติดเชื้อไวรัสโคโรนา 2019 เพื่อเตรียมความพร้อมการเปิดภาคเรียนของสถานศึกษาได้ตามแผน",
        obstacles=None, suggestions="ขยายผลการใช้ข้อมูลจากระบบ e-Inspection ในการตัดสินใจระดับจังหวัด"),
    ("1.4", "ICT"): dict(three=30, six=55, nine=None),
    ("1.5", "OTEPC"): dict(
        three=10, six=35, nine=65, status="on_track", submitted=datetime(2020, 6, 23, 10, 0),
        result="ระบบยื่นคำขอวิทยฐานะทางอิเล็กทรอนิกส์ใช้งานได้แล้ว อยู่ระหว่างพัฒนาส่วนการประเมินของคณะกรรมการ",
        obstacles=None, suggestions=None),
    ("2.1", "BPS"): dict(
        three=20, six=40, nine=65, status="on_track", submitted=datetime(2020, 6, 24, 13, 45),
        result="ออกแบบโครงสร้างฐานข้อมูลกลางและเชื่อมโยงข้อมูลนักเรียน ครู และสถานศึกษาจาก 4 หน่วยงานแล้ว",
        obstacles=None, suggestions=None),
    ("2.1", "ICT"): dict(three=20, six=45, nine=None),
    ("2.2", "ONIE"): dict(three=10, six=25, nine=None),
    ("2.2", "OPEC"): dict(
        three=15, six=35, nine=50, status="delayed", submitted=datetime(2020, 6, 25, 16, 10),
        result="เชื่อมโยงข้อมูลผู้เรียนของโรงเรียนเอกชนกับฐานข้อมูลกลางได้ร้อยละ 40 จากเป้าหมายร้อยละ 80",
        obstacles="โรงเรียนเอกชนบางส่วนยังไม่ปรับปรุงข้อมูลผู้เรียนให้เป็นปัจจุบัน และรูปแบบข้อมูลไม่ตรงกับมาตรฐานกลาง",
        suggestions="ขอให้ศูนย์เทคโนโลยีสารสนเทศและการสื่อสารจัดทำมาตรฐานรหัสข้อมูลกลาง"
                    "และอบรมผู้ดูแลข้อมูลของโรงเรียน"),
    ("2.2", "ICT"): dict(three=15, six=35, nine=None),
    ("2.3", "BPS"): dict(
        three=0, six=0, nine=0, status="not_started", submitted=datetime(2020, 7, 17, 11, 0),
        result="ยังไม่ได้เริ่มดำเนินการ",
        obstacles="อยู่ระหว่างรอประกาศแนวทางธรรมาภิบาลข้อมูลภาครัฐของสำนักงานพัฒนารัฐบาลดิจิทัล",
        suggestions="เสนอให้ปรับแผนการดำเนินงานไปเริ่มในไตรมาสที่ 4"),
    ("2.4", "BIE"): dict(
        three=20, six=45, nine=75, status="on_track", submitted=datetime(2020, 6, 16, 9, 30),
        result="ระบบ Dashboard ผลการตรวจราชการใช้งานได้ 3 จาก 4 โมดูล",
        obstacles=None, suggestions=None),
    ("2.4", "BPS"): dict(
        three=15, six=30, nine=45, status="at_risk", submitted=datetime(2020, 6, 24, 15, 0),
        result="รวบรวมตัวชี้วัดตามนโยบายเพื่อแสดงผลบน Dashboard แล้ว 12 จาก 20 ตัวชี้วัด",
        obstacles="ข้อมูลบางตัวชี้วัดต้องรอผลการจัดเก็บจากหน่วยงานภายนอก",
        suggestions="กำหนดผู้รับผิดชอบข้อมูลของแต่ละตัวชี้วัดให้ชัดเจน"),
    ("3.1", "BPS"): dict(
        three=25, six=50, nine=75, status="on_track", submitted=datetime(2020, 6, 22, 10, 45),
        result="เปิดเผยชุดข้อมูลบนระบบบัญชีข้อมูลภาครัฐ (data.go.th) แล้ว 8 ชุดข้อมูล จากเป้าหมาย 10 ชุดข้อมูล",
        obstacles=None, suggestions=None),
    ("3.1", "ICT"): dict(three=20, six=40, nine=None),
    ("3.2", "OPEC"): dict(
        three=25, six=50, nine=80, status="on_track", submitted=datetime(2020, 6, 19, 14, 30),
        result="ลงนามบันทึกความร่วมมือกับภาคเอกชนและสมาคมโรงเรียนเอกชนแล้ว 12 แห่ง จากเป้าหมาย 15 แห่ง",
        obstacles=None, suggestions=None),
    ("3.3", "ONIE"): dict(
        three=20, six=45, nine=70, status="on_track", submitted=datetime(2020, 6, 23, 13, 0),
        result="จัดการเรียนรู้ออนไลน์ผ่านสถานีวิทยุโทรทัศน์เพื่อการศึกษาและแพลตฟอร์มออนไลน์"
               "ร่วมกับภาคีเครือข่าย 15 แห่ง",
        obstacles="ผู้เรียนในพื้นที่ห่างไกลบางส่วนยังเข้าถึงอินเทอร์เน็ตได้จำกัด", suggestions=None),
    ("3.3", "OPEC"): dict(
        three=30, six=60, nine=100, status="completed", submitted=datetime(2020, 6, 18, 9, 0),
        result="โรงเรียนในสังกัดสำนักงานคณะกรรมการส่งเสริมการศึกษาเอกชนจัดการเรียนการสอนทางออนไลน์"
               "ได้ครบตามเป้าหมาย ตอบสนองสถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 ได้เป็นอย่างดี",
        obstacles=None, suggestions=None),
    ("3.4", "BLA"): dict(three=10, six=20, nine=None),
    ("3.4", "OTEPC"): dict(
        three=10, six=25, nine=40, status="delayed", submitted=datetime(2020, 6, 25, 11, 20),
        result="ร่างคำสั่งมอบอำนาจการบริหารงานบุคคลให้สำนักงานศึกษาธิการภาคและจังหวัด"
               " อยู่ระหว่างการพิจารณาของ ก.ค.ศ.",
        obstacles="การประชุม ก.ค.ศ. เลื่อนออกไปจากสถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019",
        suggestions="เสนอเรื่องเข้าการประชุม ก.ค.ศ. ครั้งถัดไปเป็นวาระเร่งด่วน"),
}

# --- the agency assessment (การประเมินส่วนราชการ) ------------------------------------------------------
# Lowest score of each level per fiscal year (BE). FY 2567 is the published 50 / 70 / 100. FY 2562 is a
# SAMPLE (the seed gives only the result): 50 / 70 / 80, so that the seed's 85.00 is ระดับมาตรฐานขั้นสูง.

ASSESSMENT_BANDS: dict[int, dict[str, Decimal]] = {
    2562: {"basic": Decimal("50.00"), "standard": Decimal("70.00"), "advanced": Decimal("80.00")},  # sample
    2567: {"basic": Decimal("50.00"), "standard": Decimal("70.00"), "advanced": Decimal("100.00")},
}

# (fiscal year BE, component, base, title, score): the seed's result for the reform plan.
ASSESSMENT_SCORES: tuple[tuple[int, int, str, str, Decimal], ...] = (
    (2562, 5, "potential", "การดำเนินการตามแผนปฏิรูปองค์การของส่วนราชการ", Decimal("85.00")),
)
