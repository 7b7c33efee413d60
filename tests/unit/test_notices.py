"""The words of the notices (app.notify.texts): plain values in, subject / text / HTML out, HTML escaped."""
from __future__ import annotations

from app.notify import texts

LINK = "https://prachum.example.go.th/meetings/7/agenda?x=1&y=2"


def test_every_notice_carries_its_one_link_in_text_and_html():
    notice = texts.agenda_published("การประชุมคณะทำงาน ครั้งที่ 3/2563", "26 มิถุนายน 2563 เวลา 09.30 น.",
                                    "ห้องประชุมจันทรเกษม", [("4", "เรื่องเพื่อทราบ", [("4.1", "ผลรอบ 9 เดือน")])], LINK)
    assert notice.link == LINK
    assert notice.text.count(LINK) == 1 and notice.text.endswith("ฝ่ายเลขานุการ")
    assert "ระเบียบวาระที่ 4 เรื่องเพื่อทราบ" in notice.text and "4.1 ผลรอบ 9 เดือน" in notice.text
    assert 'href="https://prachum.example.go.th/meetings/7/agenda?x=1&amp;y=2"' in notice.html
    assert notice.subject == "ระเบียบวาระการประชุม: การประชุมคณะทำงาน ครั้งที่ 3/2563"


def test_html_escapes_every_value():
    notice = texts.report_returned("ICT 1.2 <b>รอบ</b>", 'แก้ "ตัวเลข" <script>alert(1)</script>\nบรรทัดสอง',
                                   'https://x.example/"><script>')
    assert "<script>" not in notice.html and "<b>" not in notice.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in notice.html and "&quot;ตัวเลข&quot;" in notice.html
    assert "&lt;br&gt;" not in notice.html and "<br>บรรทัดสอง" in notice.html  # new lines kept, as <br>
    assert 'href="https://x.example/&quot;&gt;&lt;script&gt;"' in notice.html
    assert "<script>alert(1)</script>" in notice.text  # the plain text is what was typed


def test_the_mail_greets_by_name_and_the_line_text_does_not():
    notice = texts.report_accepted("ICT 1.2 รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563", LINK)
    mail = texts.addressed(notice, "นาย <ก>")
    assert mail.text.startswith("เรียน นาย <ก>\n\n") and mail.html.startswith("<p>เรียน นาย &lt;ก&gt;</p>")
    assert mail.subject == notice.subject and mail.link == notice.link
    assert not texts.line_text(notice).startswith("เรียน") and LINK in texts.line_text(notice)
    document = texts.as_html_document(mail)
    assert document.startswith("<!DOCTYPE html>") and 'lang="th"' in document and mail.html in document


def test_a_long_line_text_is_cut_but_keeps_the_link():
    lines = [f"ประเด็นย่อย {i}.1 ชื่อยาวมาก" * 5 for i in range(200)]
    notice = texts.round_reminder("ศูนย์เทคโนโลยีสารสนเทศ", "รอบ 9 เดือน", "แผน", "15 ก.ค. 2563", True, lines, LINK)
    assert len(notice.text) > 5000
    line = texts.line_text(notice)
    assert len(line) <= 5000 and line.endswith(LINK) and "…" in line


def test_round_reminders_say_late_or_due_soon():
    late = texts.round_reminder("สำนักนิติการ", "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563", "แผนปฏิรูป", "15 ก.ค. 2563", True,
                                ["3.4 การกระจายอำนาจ"], LINK)
    soon = texts.round_reminder("สำนักนิติการ", "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563", "แผนปฏิรูป", "15 ก.ค. 2563", False,
                                ["3.4 การกระจายอำนาจ"], LINK)
    assert late.subject.startswith("เกินกำหนดส่งรายงาน") and soon.subject.startswith("ใกล้ครบกำหนดส่งรายงาน")
    assert "1 เรื่อง" in late.text and "- 3.4 การกระจายอำนาจ" in late.text
    assert "<li>3.4 การกระจายอำนาจ</li>" in late.html


def test_the_circulation_names_the_deadline_only_when_set():
    with_deadline = texts.minutes_circulated("การประชุม", "3/2563", "10 กรกฎาคม 2563", LINK)
    without = texts.minutes_circulated("การประชุม", "3/2563", None, LINK)
    assert "ภายในวันที่ 10 กรกฎาคม 2563" in with_deadline.text and "ภายในวันที่" not in without.text


def test_subjects_fit_the_mail_column():
    notice = texts.action_assigned("หน่วยงาน" * 100, "งาน", "การประชุม", None, LINK)
    assert len(notice.subject) <= texts.SUBJECT_MAX
    assert "กำหนดเสร็จ" not in notice.text
    dated = texts.action_assigned("ICT", "งาน", "การประชุม", "30 ตุลาคม 2563", LINK)
    assert "กำหนดเสร็จ 30 ตุลาคม 2563" in dated.text
