"""Every official document of the demo rendered as a secretariat reads it before sending: downloaded through the
web with the UI in English, turned into PDF by LibreOffice headless, read back with `pdftotext` and `pdffonts`.

The minutes (of the working group's 1/2570, whose attendance and minutes the demo records), the agenda and the
invitation letter in both official forms (of 3/2563), the round report of the 9-month round of 2563, and the
committee's papers.pdf with that report attached: the official order of the minutes' fields, page numbers from
page 2, a round report of at most 6 pages whose table splits no word, Thai-capable fonts only, Thai text whatever
the UI language, and the report's table structure (grid = cell widths, fixed layout, repeated header row).

Rendering is slow: the documents are fetched and rendered once for the module (one LibreOffice run for the DOCX
files, one inside papers.pdf), then the tests read the results.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from docx.oxml.ns import qn
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from sqlalchemy import select

from app import papers_pdf
from app.agenda.services import SECTION_TITLES
from app.bodies.models import Body
from app.demo import data
from app.extensions import db
from app.meetings.models import Attendance, Meeting
from app.reports.models import ReportingRound
from tests.conftest import _empty_tables, csrf_from

pytestmark = pytest.mark.skipif(
    papers_pdf.office_program() is None and not os.environ.get("PRACHUM_REQUIRE_OFFICE"),
    reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")

# Thai-capable families: TH Sarabun New itself, or what LibreOffice substitutes for it (TLWG's Laksaman and the
# other Thai fonts of fonts-thai-tlwg, Noto Sans/Serif Thai).
THAI_FONT = re.compile(r"sarabun|laksaman|garuda|loma|kinnari|norasi|waree|umpush|sawasdee|purisa|tlwg|thai", re.I)
# Words of the demo's sub-item titles that LibreOffice's Thai dictionary keeps whole; a column too narrow for one
# splits it across lines of its cell ("กระบวนกา" / "ร").
TABLE_WORDS = ("กระบวนการ", "ขั้นตอน", "อิเล็กทรอนิกส์", "ประชาชน", "บูรณาการ", "ดิจิทัล", "ธรรมาภิบาล",
               "สารสนเทศ", "ออนไลน์", "เครือข่าย", "(Dashboard)", "Inspection)", "Catalog)")
MAX_ROUND_REPORT_PAGES = 6


@dataclass(frozen=True)
class Rendered:
    """One document as downloaded, and as LibreOffice printed it."""

    data: bytes  # the download (DOCX, or the PDF itself for papers.pdf)
    pdf: bytes
    pages: tuple[str, ...]  # pdftotext -layout, page by page
    raw: str  # pdftotext -raw: the text in reading order, one printed line per line
    fonts: tuple[str, ...]  # pdffonts names, subset prefix removed


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True).stdout.decode()


def read_pdf(data: bytes, pdf: bytes) -> Rendered:
    """The PDF's pages as text, its reading-order text and its fonts."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "doc.pdf"
        path.write_bytes(pdf)
        layout = _pdftotext(path, "-layout")
        raw = _pdftotext(path, "-raw")
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    pages = layout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    fonts = tuple(line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip())
    return Rendered(data, pdf, tuple(pages), raw, fonts)


def _sign_in_in_english(client, app) -> None:
    """The demo's secretariat signs in and switches the UI to English."""
    page = client.get("/login")
    response = client.post("/login", data={"email": data.email("secretariat"), "password": app.config["DEMO_PASSWORD"],
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/?lang=en").status_code == 200


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    if url.endswith("/report.docx"):  # the file name is Thai too (RFC 6266 filename*, an ASCII one beside it)
        disposition = unquote(response.headers["Content-Disposition"])
        assert "filename*=UTF-8''รายงานผลการดำเนินงาน รอบ 9 เดือน" in disposition, disposition
    return response.data


@pytest.fixture(scope="module")
def rendered(app) -> dict[str, Rendered]:
    """Each document type of the demo, downloaded from the English UI and rendered once."""
    from app.demo import load_demo

    with app.app_context():
        try:
            load_demo()
            group = db.session.scalar(select(Body).where(Body.name == data.WORKING_GROUP_NAME))
            committee = db.session.scalar(select(Body).where(Body.name == data.COMMITTEE_NAME))
            group.document_prefix = "ศธ 0201.4"
            meetings = {m.code: m for m in db.session.scalars(select(Meeting).where(Meeting.body_id == group.id))}
            with_minutes, letter_meeting = meetings["1/2570"], meetings["3/2563"]
            db.session.add(Attendance(meeting_id=with_minutes.id, name="นายสมชาย ผู้สังเกตการณ์",
                                      position="นักวิเคราะห์นโยบายและแผนชำนาญการ", status="guest", sort_order=99))
            round9 = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9,
                                                                    ReportingRound.fiscal_year_be == 2563))
            committee_meeting = db.session.scalar(select(Meeting).where(Meeting.body_id == committee.id))
            ids = (with_minutes.id, letter_meeting.id, round9.id, committee_meeting.id, group.id)
            db.session.commit()
            with_minutes_id, letter_id, round_id, committee_meeting_id, group_id = ids

            client = app.test_client()
            _sign_in_in_english(client, app)
            docs = {
                "minutes": _download(client, f"/meetings/{with_minutes_id}/minutes.docx"),
                "agenda": _download(client, f"/meetings/{letter_id}/agenda.docx"),
                "letter_external": _download(client, f"/meetings/{letter_id}/invitation.docx"),
                "round_report": _download(client, f"/rounds/{round_id}/report.docx"),
            }
            db.session.get(Body, group_id).letter_form = "memo"
            db.session.commit()
            docs["letter_memo"] = _download(client, f"/meetings/{letter_id}/invitation.docx")
            token = csrf_from(client.get(f"/rounds/{round_id}").get_data(as_text=True))
            attached = client.post(f"/rounds/{round_id}/attach",
                                   data={"csrf_token": token, "target": f"meeting:{committee_meeting_id}"})
            assert attached.status_code == 302
            papers = _download(client, f"/meetings/{committee_meeting_id}/papers.pdf")

            pdfs = papers_pdf.convert_many([(data_, ".docx") for data_ in docs.values()])
            assert all(pdfs), [name for name, pdf in zip(docs, pdfs) if pdf is None]
            result = {name: read_pdf(data_, pdf) for (name, data_), pdf in zip(docs.items(), pdfs)}
            result["papers"] = read_pdf(papers, papers)
            return result
        finally:
            db.session.rollback()
            _empty_tables()
            db.session.remove()


def flat(text: str) -> str:
    """Text with every run of white space made one space."""
    return " ".join(text.split())


def in_order(text: str, parts: list[str]) -> list[int]:
    """Where each part is found in the text, searching after the previous one (-1: missing)."""
    positions, start = [], 0
    for part in parts:
        found = text.find(part, start)
        positions.append(found)
        start = found + 1 if found >= 0 else start
    return positions


def test_the_minutes_read_in_the_official_order(rendered):
    text = flat(rendered["minutes"].raw)
    order = ["ผู้มาประชุม", "ผู้ไม่มาประชุม", "ผู้เข้าร่วมประชุม", "นายสมชาย ผู้สังเกตการณ์", "เริ่มประชุมเวลา",
             *(f"ระเบียบวาระที่ {n}" for n in range(1, 7)), "เลิกประชุมเวลา", "ผู้จดรายงานการประชุม",
             "ผู้ตรวจรายงานการประชุม"]
    positions = in_order(text, order)
    assert all(p >= 0 for p in positions), [part for part, p in zip(order, positions) if p < 0]
    assert "ประธาน" in text[positions[0]:positions[1]]  # the chair is named as such


@pytest.mark.parametrize("name", ["minutes", "agenda", "round_report", "papers"])
def test_pages_are_numbered_from_the_second(rendered, name):
    pages = rendered[name].pages
    assert len(pages) >= 2, name
    top = lambda page: "\n".join(page.strip("\n").split("\n")[:2])  # noqa: E731
    assert not re.search(r"-\s*1\s*-", top(pages[0]))
    for number, page in enumerate(pages[1:], start=2):
        assert re.search(rf"-\s*{number}\s*-", top(page)), (name, number, top(page))


def test_the_round_report_fits_six_pages_and_its_table_splits_no_word(rendered):
    report = rendered["round_report"]
    assert len(report.pages) <= MAX_ROUND_REPORT_PAGES
    table = report.raw[:report.raw.index("คำอธิบาย:")]  # the summary table ends where the legend begins
    lines = table.splitlines()
    for word in TABLE_WORDS:
        assert word in table.replace("\n", ""), word  # the demo's titles hold the word
        assert any(word in line for line in lines), f"{word} is split across lines of a cell"
    for title in (s["title"] for s in data.SUB_ITEMS.values()):
        assert flat(title).replace(" ", "") in table.replace("\n", "").replace(" ", ""), title
    header_pages = [page for page in report.pages if "น้ำหนัก" in page and "รายงาน" in page]
    assert len(header_pages) >= 2  # the table runs over a page, its header row repeated


def test_the_round_report_says_when_and_what_its_words_mean(rendered):
    text = flat(rendered["round_report"].raw)
    assert re.search(r"ข้อมูล ณ วันที่ \d{1,2} \S+ 25\d\d", text)
    assert "คำอธิบาย:" in text and all(status in text for status in ("ล่าช้ากว่าแผน", "มีความเสี่ยง", "แล้วเสร็จ"))
    assert "(ยังไม่ตรวจสอบ)" in text  # the demo's 9-month reports are submitted, none accepted yet
    # one way of writing a percent at every level: the plan, 3 themes, 13 sub-items and 16 units' reports
    assert len(re.findall(r"ร้อย ?ละ \d+\.\d\d\b", text)) >= 1 + 3 + 13 + 16  # "ร้อย ละ": wrapped at the line end
    cells = [row.cells[3].text for row in docx.Document(io.BytesIO(rendered["round_report"].data)).tables[0].rows]
    assert all(re.fullmatch(r"\d+\.\d\d", cell) for cell in cells[1:]), cells


def test_documents_are_in_thai_from_the_english_ui(rendered):
    with force_locale("en"):
        english = [gettext(word) for word in ("ผลการดำเนินงาน", "ประเด็น", "น้ำหนัก", "สถานะ")]
        english_sections = [str(title) for title in SECTION_TITLES.values()]
    report = flat(rendered["round_report"].raw)
    assert not [word for word in english if word in report]
    assert "ผลการดำเนินงาน" in report
    for name in ("agenda", "minutes"):
        text = flat(rendered[name].raw)
        assert not [title for title in english_sections if title.isascii() and title in text], name
        assert "ระเบียบวาระที่ 1" in text


def test_the_invitation_letters_read_in_their_official_order(rendered):
    external = flat(rendered["letter_external"].raw)
    assert all(p >= 0 for p in in_order(external, ["ที่ ศธ 0201.4/ว", "เรื่อง", "ขอเชิญประชุม", "เรียน",
                                                   "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุม", "ขอแสดงความนับถือ"])), external
    memo = flat(rendered["letter_memo"].raw)
    assert all(p >= 0 for p in in_order(memo, ["บันทึกข้อความ", "ส่วนราชการ", "ที่ ศธ 0201.4/ว", "วันที่",
                                               "เรื่อง", "เรียน"])), memo


@pytest.mark.parametrize("name", ["minutes", "agenda", "letter_external", "letter_memo", "round_report", "papers"])
def test_fonts_are_thai_capable(rendered, name):
    fonts = rendered[name].fonts
    assert any(THAI_FONT.search(font) for font in fonts), fonts
    # papers.pdf stamps its page numbers (digits only) in Helvetica; nothing else falls back to a non-Thai font
    allowed = {"Helvetica"} if name == "papers" else set()
    assert [font for font in fonts if not THAI_FONT.search(font) and font not in allowed] == []


def test_the_papers_bind_the_thai_round_report_under_its_item_with_bookmarks(rendered):
    papers = rendered["papers"]
    outline = PdfReader(io.BytesIO(papers.pdf)).outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    children = [child.title for entry in outline if isinstance(entry, list) for child in entry]
    assert titles[0] == "ระเบียบวาระการประชุม" and any(t.startswith("วาระที่ 4.") for t in titles)
    assert any(child.startswith("รายงานผลการดำเนินงาน รอบ 9 เดือน") for child in children), children
    assert "ข้อมูล ณ วันที่" in flat(papers.raw)  # the report's pages follow the agenda


def test_the_round_report_table_structure(rendered):
    document = docx.Document(io.BytesIO(rendered["round_report"].data))
    table = document.tables[0]
    grid = [int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.gridCol_lst]
    assert len(set(grid)) > 1  # not equal columns
    for row in table.rows:
        assert [int(cell._tc.tcPr.tcW.get(qn("w:w"))) for cell in row.cells] == grid
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    section = document.sections[0]
    assert sum(grid) <= (section.page_width - section.left_margin - section.right_margin) / 635 + 1  # EMU per twip
