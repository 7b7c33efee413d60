"""The invitation letter (หนังสือเชิญประชุม) in the official forms of the Regulation on Correspondence
(ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): หนังสือภายนอก or บันทึกข้อความ, as DOCX.

Pure module: plain values already formatted in Thai in, bytes out (no Flask, no database).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from app.official_docx import SIGNATURE_BLANK, new_official_document, official_paragraph, to_bytes

EXTERNAL_GARUDA_HEIGHT = Cm(3)  # ครุฑ on หนังสือภายนอก
MEMO_GARUDA_HEIGHT = Cm(1.5)  # ครุฑ on บันทึกข้อความ
FIRST_LINE = Cm(2.5)  # the first line of each paragraph of the text
DATE_INDENT = Cm(7.5)  # วันที่ starts near the middle of the page
SIGNATURE_INDENT = Cm(7)
CLOSING = "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน เวลา และสถานที่ดังกล่าว"


@dataclass(frozen=True)
class InvitationLetter:
    """Everything an invitation letter prints."""

    form: str  # "external" (หนังสือภายนอก) or "memo" (บันทึกข้อความ)
    number: str  # ที่: "ศธ 0201.4/ว 123", or the prefix with room for the number while not issued
    date_text: str  # "3 ธันวาคม 2569"
    subject: str  # เรื่อง
    addressees: tuple[str, ...]  # เรียน: one letter each
    text: tuple[str, ...]  # the paragraphs before the closing
    office: str | None = None  # ส่วนราชการ (the sender)
    address: str | None = None
    phone: str | None = None
    reference: str | None = None  # อ้างถึง
    enclosures: tuple[str, ...] = ()  # สิ่งที่ส่งมาด้วย
    signer_name: str | None = None
    signer_position: str | None = None
    garuda: bytes | None = None  # the emblem's image (PNG or JPEG)
    closing: str = CLOSING  # จึงเรียนมาเพื่อ… (other memos in this form say what they ask for)
    kind: str = "หนังสือเชิญประชุม"  # what the document is, in its file properties' title
    author: str | None = None  # the body's secretariat, in the file's properties


def invitation_docx(letter: InvitationLetter) -> bytes:
    """One letter per addressee, each starting on a new page, in the letter's official form."""
    document = new_official_document(letter.kind + " " + letter.subject, author=letter.author)
    section = document.sections[0]
    section.top_margin, section.left_margin, section.right_margin = Cm(1.5), Cm(3), Cm(2)
    for index, addressee in enumerate(letter.addressees or ("",)):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if letter.form == "memo":
            _memo_head(document, letter)
        else:
            _external_head(document, letter)
        official_paragraph(document, [("เรื่อง", True), ("  " + letter.subject, False)], space_before=Pt(6))
        official_paragraph(document, [("เรียน", True), ("  " + addressee, False)], space_before=Pt(6))
        if letter.form != "memo":
            if letter.reference:
                official_paragraph(document, [("อ้างถึง", True), ("  " + letter.reference, False)], space_before=Pt(6))
            _enclosures(document, letter.enclosures)
        for paragraph in letter.text:
            official_paragraph(document, [(paragraph, False)], first_line=FIRST_LINE, space_before=Pt(6),
                               align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
        official_paragraph(document, [(letter.closing, False)], first_line=FIRST_LINE, space_before=Pt(6))
        if letter.form != "memo":
            official_paragraph(document, [("ขอแสดงความนับถือ", False)], left=SIGNATURE_INDENT, space_before=Pt(12),
                               align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
        _signature(document, letter)
        if letter.form != "memo":
            _sender_foot(document, letter)
    return to_bytes(document)


def _garuda(document, letter: InvitationLetter, height, align) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    if letter.garuda:
        paragraph.add_run().add_picture(io.BytesIO(letter.garuda), height=height)
    else:  # the space the emblem takes, so a printed letterhead still fits
        paragraph.paragraph_format.space_after = height


def _external_head(document, letter: InvitationLetter) -> None:
    """ที่ on the left and the sender's office and address on the right, the emblem between, then the date."""
    _garuda(document, letter, EXTERNAL_GARUDA_HEIGHT, WD_ALIGN_PARAGRAPH.CENTER)
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    left.paragraphs[0].add_run("ที่ " + letter.number)
    lines = [line for line in (letter.office, *(letter.address or "").splitlines()) if line]
    right.paragraphs[0].add_run(lines[0] if lines else "")
    for line in lines[1:]:
        right.add_paragraph(line)
    official_paragraph(document, [(letter.date_text, False)], left=DATE_INDENT, space_before=Pt(6))


def _memo_head(document, letter: InvitationLetter) -> None:
    """บันทึกข้อความ: the small emblem, the title, ส่วนราชการ, ที่ and วันที่ on their lines."""
    _garuda(document, letter, MEMO_GARUDA_HEIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    title = official_paragraph(document, [("บันทึกข้อความ", True)], align=WD_ALIGN_PARAGRAPH.CENTER)
    for run in title.runs:
        run.font.size = Pt(29)
    office = " ".join(part for part in (letter.office, f"โทร. {letter.phone}" if letter.phone else None) if part)
    official_paragraph(document, [("ส่วนราชการ", True), ("  " + office, False)])
    official_paragraph(document, [("ที่", True), ("  " + letter.number + "    ", False), ("วันที่", True),
                                  ("  " + letter.date_text, False)])


def _enclosures(document, enclosures: tuple[str, ...]) -> None:
    if not enclosures:
        return
    if len(enclosures) == 1:
        official_paragraph(document, [("สิ่งที่ส่งมาด้วย", True), ("  " + enclosures[0], False)], space_before=Pt(6))
        return
    official_paragraph(document, [("สิ่งที่ส่งมาด้วย", True), (f"  1. {enclosures[0]}", False)], space_before=Pt(6))
    for number, title in enumerate(enclosures[1:], start=2):
        official_paragraph(document, [(f"{number}. {title}", False)], left=Cm(2.75))


def _signature(document, letter: InvitationLetter) -> None:
    lines = ["", "", f"({letter.signer_name})" if letter.signer_name else SIGNATURE_BLANK, letter.signer_position or ""]
    for index, line in enumerate(lines):
        official_paragraph(document, [(line, False)] if line else [], left=SIGNATURE_INDENT,
                           align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=index < len(lines) - 1)


def _sender_foot(document, letter: InvitationLetter) -> None:
    """ส่วนราชการเจ้าของเรื่อง and the telephone, at the foot of หนังสือภายนอก."""
    if letter.office:
        official_paragraph(document, [(letter.office, False)], space_before=Pt(24))
    if letter.phone:
        official_paragraph(document, [("โทร. " + letter.phone, False)])

