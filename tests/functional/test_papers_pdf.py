"""The meeting papers in one PDF (GET /meetings/<id>/papers.pdf): the agenda rendered by LibreOffice, then every
item's papers in order, bookmarks for the agenda, each item and each paper, page numbers from page 2, papers
that cannot be bound listed as "ดูเอกสารแนบ"; readers of the agenda only."""
from __future__ import annotations

import io
import os
import shutil
import subprocess

import docx
import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from app import papers_pdf
from tests.functional.test_attachments import upload
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)

needs_office = pytest.mark.skipif(
    papers_pdf.office_program() is None and not os.environ.get("PRACHUM_REQUIRE_OFFICE"),
    reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")


def pdf_of(pages: list[str]) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842))
    for text in pages:
        sheet.drawString(72, 700, text)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def docx_of(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def outline_titles(reader: PdfReader) -> list:
    def walk(entries):
        return [walk(e) if isinstance(e, list) else e.title for e in entries]
    return walk(reader.outline)


@pytest.fixture
def meeting(client, staff, group):  # noqa: F811
    meeting = schedule(client, staff, group.id, notify=False).get_json()
    add = lambda title: client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", headers=staff,  # noqa: E731
                                    json={"section": 4, "title": title}).get_json()
    first, second, _third = add("รายงานผลรอบ 9 เดือน"), add("แผนปฏิบัติราชการ"), add("เรื่องไม่มีเอกสาร")
    assert upload(client, staff, first["id"], pdf_of(["Round report page one", "Round report page two"]),
                  "รายงานรอบ 9 เดือน.pdf").status_code == 201
    assert upload(client, staff, first["id"], b"\x89PNG\r\n\x1a\n" + b"0" * 64, "แผนภาพ.png").status_code == 201
    assert upload(client, staff, second["id"], docx_of("Action plan in Word"), "แผนปฏิบัติราชการ.docx").status_code == 201
    return meeting


@needs_office
def test_the_papers_come_bound_with_bookmarks_and_page_numbers(client, staff, meeting, group, token_for):  # noqa: F811
    assert client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=staff).status_code == 200
    member = token_for(group.chair)
    response = client.get(f"/meetings/{meeting['id']}/papers.pdf", headers=member)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert (f'filename="papers-{group.id}-{meeting["number"]}-{meeting["year_be"]}.pdf"'
            in response.headers["Content-Disposition"])

    reader = PdfReader(io.BytesIO(response.data))
    titles = outline_titles(reader)
    assert titles[0] == "ระเบียบวาระการประชุม"
    assert titles[1] == "วาระที่ 4.1 รายงานผลรอบ 9 เดือน" and titles[2] == ["รายงานรอบ 9 เดือน.pdf"]
    assert titles[3] == "วาระที่ 4.2 แผนปฏิบัติราชการ" and titles[4] == ["แผนปฏิบัติราชการ.docx"]
    assert titles[5] == "วาระที่ 4.3 เรื่องไม่มีเอกสาร"

    texts = [page.extract_text() for page in reader.pages]
    round_page = next(i for i, t in enumerate(texts) if "Round report page one" in t)
    assert "Round report page two" in texts[round_page + 1]
    assert any("Action plan in Word" in t for t in texts[round_page + 2:])
    for number in range(2, len(texts) + 1):  # "- n -" on every page but the first
        assert f"- {number} -" in texts[number - 1]
    assert "- 1 -" not in texts[0]

    if shutil.which("pdftotext"):  # read as a person would: the agenda lists the papers under each item
        agenda = subprocess.run(["pdftotext", "-layout", "-l", str(round_page), "-", "-"], input=response.data,
                                capture_output=True, check=True).stdout.decode()
        assert "เอกสารประกอบวาระ" in agenda
        assert "รายงานรอบ 9 เดือน.pdf" in agenda and "แผนภาพ.png (ดูเอกสารแนบ)" in agenda


def test_without_libreoffice_the_answer_says_what_to_do(client, staff, meeting, monkeypatch):  # noqa: F811
    monkeypatch.setattr(papers_pdf, "office_program", lambda: None)
    response = client.get(f"/meetings/{meeting['id']}/papers.pdf", headers=staff)
    assert response.status_code == 503
    assert "LibreOffice" in response.get_data(as_text=True)


def test_only_readers_of_the_agenda_get_the_papers(client, staff, meeting, group, token_for, make_user):  # noqa: F811
    path = f"/meetings/{meeting['id']}/papers.pdf"
    assert client.get(path).status_code == 302  # sign in first
    assert client.get(path, headers=token_for(group.chair)).status_code == 404  # a draft agenda is not shown
    assert client.get(path, headers=token_for(make_user("member"))).status_code == 404  # not of this body


def test_bind_papers_is_a_pure_function():
    bound = papers_pdf.bind_papers(pdf_of(["Agenda"]), [
        papers_pdf.PaperItem("วาระที่ 4.1 หนึ่ง", (papers_pdf.Paper("a.pdf", pdf_of(["A1", "A2"])),
                                                   papers_pdf.Paper("b.png", None))),
        papers_pdf.PaperItem("วาระที่ 4.2 สอง")])
    reader = PdfReader(io.BytesIO(bound))
    assert len(reader.pages) == 3
    assert outline_titles(reader) == ["ระเบียบวาระการประชุม", "วาระที่ 4.1 หนึ่ง", ["a.pdf"], "วาระที่ 4.2 สอง"]
    assert reader.get_destination_page_number(reader.outline[1]) == 1
    assert "- 3 -" in reader.pages[2].extract_text()
