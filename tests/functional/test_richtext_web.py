"""Writing that keeps its shape: a discussion written as three numbered paragraphs comes back as three numbered
paragraphs on screen and in the DOCX (and in the PDF LibreOffice makes of it); plain text typed without the
editor keeps its paragraphs and line breaks; the editor's field works without JavaScript."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest

from app.agenda.models import AgendaItem
from app.extensions import db
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_minutes_web import meetings, save  # noqa: F401 (fixtures)

NUMBERED = ("<ol><li>ฝ่ายเลขานุการรายงานผลรอบ 9 เดือน</li><li>ที่ประชุมมีข้อสังเกตเรื่อง <strong>ฐานข้อมูล</strong></li>"
            "<li><em>ให้หน่วยงานส่งข้อมูลเพิ่มเติม</em></li></ol>")
ITEMS = ("ฝ่ายเลขานุการรายงานผลรอบ 9 เดือน", "ที่ประชุมมีข้อสังเกตเรื่อง ฐานข้อมูล", "ให้หน่วยงานส่งข้อมูลเพิ่มเติม")


def numbered_lines(text: str) -> list[str]:
    """Lines that start with a number and a dot, without spaces (pdftotext spaces out some Thai marks)."""
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if re.match(r"\s*\d+\.\s", line)]


def minutes_docx(client, meeting_id) -> docx.document.Document:
    response = client.get(f"/meetings/{meeting_id}/minutes.docx")
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.data)), response.data


def test_three_numbered_paragraphs_on_screen_and_in_the_docx(client, make_user, login, meetings, tmp_path):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    assert save(client, first, item_id, 0, NUMBERED).status_code == 302
    page = client.get(f"/meetings/{first}/minutes?read=1").get_data(as_text=True)
    shown = re.search(r'<div class="rich-text">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", shown) == [
        ITEMS[0], "ที่ประชุมมีข้อสังเกตเรื่อง <strong>ฐานข้อมูล</strong>", f"<em>{ITEMS[2]}</em>"]
    assert shown.startswith("<ol>")

    document, data = minutes_docx(client, first)
    paragraphs = [p for p in document.paragraphs if p.text.startswith(("1.", "2.", "3."))]
    assert [p.text for p in paragraphs] == [f"{n}.\t{text}" for n, text in enumerate(ITEMS, start=1)]
    assert [r.text for r in paragraphs[1].runs if r.bold] == [" ฐานข้อมูล"]
    assert all(r.italic for r in paragraphs[2].runs if r.text.strip() and not r.text.startswith("3."))

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF reading is skipped")
    source = tmp_path / "minutes.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "minutes.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert numbered_lines(text)[-3:] == [re.sub(r"\s+", "", f"{n}.{t}") for n, t in enumerate(ITEMS, start=1)]


def test_plain_text_without_the_editor_keeps_paragraphs_and_line_breaks(client, make_user, login, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    typed = "ย่อหน้าแรก\r\nบรรทัดที่สอง\r\n\r\nย่อหน้าที่สอง\r\n1. ข้อหนึ่ง\r\n2. ข้อสอง"
    assert save(client, first, item_id, 0, typed).status_code == 302
    page = client.get(f"/meetings/{first}/minutes?read=1").get_data(as_text=True)
    assert ("<p>ย่อหน้าแรก<br>บรรทัดที่สอง</p><p>ย่อหน้าที่สอง</p><p>1. ข้อหนึ่ง</p><p>2. ข้อสอง</p>") in page
    document, _data = minutes_docx(client, first)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("ย่อหน้าแรก\nบรรทัดที่สอง")
    assert texts[start:start + 4] == ["ย่อหน้าแรก\nบรรทัดที่สอง", "ย่อหน้าที่สอง", "1. ข้อหนึ่ง", "2. ข้อสอง"]
    # the edit form: the textarea holds plain paragraphs (no JavaScript needed), the editor starts from data-html
    form = client.get(f"/meetings/{first}/minutes").get_data(as_text=True)
    area = re.search(r'<textarea[^>]*name="item-%d-discussion"[^>]*>(.*?)</textarea>' % item_id, form, re.S)
    assert area and area.group(1) == "ย่อหน้าแรก\nบรรทัดที่สอง\n\nย่อหน้าที่สอง\n\n1. ข้อหนึ่ง\n\n2. ข้อสอง"
    assert "data-richtext" in area.group(0) and "data-html=\"&lt;p&gt;ย่อหน้าแรก" in area.group(0)


def test_agenda_detail_keeps_its_lines_on_the_agenda_and_in_its_docx(client, make_user, login, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    url = f"/agenda-items/{item_id}/edit"
    token = csrf_from(client.get(url).get_data(as_text=True))
    item = db.session.get(AgendaItem, item_id)
    response = client.post(url, data={"csrf_token": token, "version": str(item.version), "section": "4",
                                      "title": item.title, "detail": "บรรทัดหนึ่ง\nบรรทัดสอง", "presenter_unit_id": "",
                                      "presenter": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert "บรรทัดหนึ่ง<br>บรรทัดสอง" in client.get(f"/meetings/{first}/agenda").get_data(as_text=True)
    document = docx.Document(io.BytesIO(client.get(f"/meetings/{first}/agenda.docx").data))
    assert "บรรทัดหนึ่ง\nบรรทัดสอง" in [p.text for p in document.paragraphs]
