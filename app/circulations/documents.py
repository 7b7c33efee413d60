"""The two documents of a circulation, in the บันทึกข้อความ form of app.letter_docx: the request (บันทึกข้อความ
ขอมติเวียน) and the result (บันทึกผลมติเวียน, with the tally and the names). Official documents are in Thai."""
from __future__ import annotations

from app import thaidates
from app.circulations.models import CIRCULATION_ANSWERS, Circulation
from app.circulations.services import ANSWER_WORDS, OUTCOME_WORDS, detail_text
from app.letter_docx import InvitationLetter, invitation_docx
from app.meetings.letters import garuda_image


def _memo(circulation: Circulation, *, kind: str, subject: str, text: list[str], closing: str) -> bytes:
    """A บันทึกข้อความ from the body's letter settings to the body's members."""
    body = circulation.body
    letter = InvitationLetter(
        form="memo", number=f"{body.document_prefix}/" if body.document_prefix else "",
        date_text=thaidates.thai_date(thaidates.today_bangkok(), "long"), subject=subject,
        addressees=(f"กรรมการ{body.name}",), text=tuple(line for line in text if line), office=body.letter_office,
        phone=body.letter_phone, signer_name=body.letter_signer_name, signer_position=body.letter_signer_position,
        garuda=garuda_image(), closing=closing, kind=kind, author=body.secretariat_name)
    return invitation_docx(letter)


def memo_docx(circulation: Circulation) -> bytes:
    """บันทึกข้อความ ขอมติเวียน: the matter, its papers, the question, how to answer and by when."""
    papers = [paper.title for paper in circulation.papers]
    text = [f"ด้วยฝ่ายเลขานุการ{circulation.body.name} ขอเสนอเรื่อง {circulation.title} "
            "เพื่อโปรดพิจารณาให้ความเห็นโดยการเวียนขอมติ รายละเอียดดังนี้",
            *detail_text(circulation).split("\n\n"),
            ("เอกสารประกอบ: " + ", ".join(papers)) if papers else "",
            f"ประเด็นที่ขอมติ: {circulation.question}",
            "ขอความกรุณาแจ้งผลการพิจารณา (เห็นชอบ / ไม่เห็นชอบ / มีความเห็นเพิ่มเติม) ผ่านลิงก์ในอีเมลหรือ LINE "
            f"หรือในระบบประชุม ภายในวันที่ {thaidates.thai_datetime(circulation.deadline, 'long')}"]
    return _memo(circulation, kind="บันทึกข้อความ ขอมติเวียน", subject=f"ขอมติเวียน เรื่อง {circulation.title}",
                 text=text, closing="จึงเรียนมาเพื่อโปรดพิจารณาให้ความเห็น")


def result_docx(circulation: Circulation) -> bytes:
    """บันทึกผลมติเวียน: the question, the outcome with the tally, and the names under each answer (with their
    comments) and of those who did not answer. Only for a closed circulation (the caller checks)."""
    result = circulation.result
    text = [f"ตามที่ฝ่ายเลขานุการได้เวียนขอมติ{circulation.body.name} เรื่อง {circulation.title} "
            f"เมื่อวันที่ {thaidates.thai_date(circulation.created_at, 'long')} "
            f"กำหนดตอบภายในวันที่ {thaidates.thai_datetime(circulation.deadline, 'long')} นั้น",
            f"ประเด็นที่ขอมติ: {circulation.question}",
            f"บัดนี้ การขอมติเวียนได้สิ้นสุดแล้ว ผลปรากฏว่า{OUTCOME_WORDS[result['outcome']]} "
            f"โดยกรรมการทั้งหมด {result['members']} คน เห็นชอบ {result['counts']['approve']} คน "
            f"ไม่เห็นชอบ {result['counts']['reject']} คน มีความเห็นเพิ่มเติม {result['counts']['comment']} คน "
            f"ไม่ได้ตอบ {result['counts']['none']} คน ดังนี้"]
    for answer in (*CIRCULATION_ANSWERS, None):
        rows = [a for a in result["answers"] if a["answer"] == answer]
        if not rows:
            continue
        text.append(f"{ANSWER_WORDS[answer] if answer else 'ไม่ได้ตอบ'} ({len(rows)} คน)")
        text += [f"{number}. {row['name']}" + (f" — ความเห็น: {row['comment']}" if row["comment"] else "")
                 for number, row in enumerate(rows, start=1)]
    text.append("ฝ่ายเลขานุการจะรายงานผลการขอมติเวียนนี้ต่อที่ประชุมครั้งต่อไป ในระเบียบวาระที่ 4 เรื่องเพื่อทราบ")
    return _memo(circulation, kind="บันทึกผลมติเวียน", subject=f"รายงานผลการขอมติเวียน เรื่อง {circulation.title}",
                 text=text, closing="จึงเรียนมาเพื่อโปรดทราบ")
