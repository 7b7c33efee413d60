"""Every DOCX of the demo opens in Word and LibreOffice without a repair prompt: python-docx reopens it, every XML
part parses, no id is used twice, the core properties name the document, its author (the body's secretariat) and
when it was made, Word opens it in its current layout (compatibility mode 15), TH Sarabun New is declared in the
font table, and LibreOffice converts it."""
from __future__ import annotations

import io
import os
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from sqlalchemy import select

from app import papers_pdf
from app.bodies.models import Body, Unit
from app.demo import data
from app.extensions import db
from app.meetings.models import Meeting
from app.reports.models import ReportingRound
from tests.conftest import csrf_from

SECRETARIAT = "กลุ่มพัฒนาระบบบริหาร"
# ids Word requires to be unique within the document: drawings, bookmarks, comments and revisions
UNIQUE_IDS = ("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr",
              qn("w:bookmarkStart"), qn("w:ins"), qn("w:del"), qn("w:comment"))


@pytest.fixture
def documents(app, client, demo) -> dict[str, bytes]:
    """Every DOCX type of the demo (the minutes, the agenda, both forms of the invitation letter, the round report),
    downloaded by the secretariat; the working group's secretariat unit is กลุ่มพัฒนาระบบบริหาร."""
    group = db.session.scalar(select(Body).where(Body.name == data.WORKING_GROUP_NAME))
    unit = db.session.scalar(select(Unit).where(Unit.name == SECRETARIAT))
    group.secretariat_unit_id = unit.id if unit else None
    group.document_prefix = "ศธ 0201.4"
    db.session.commit()
    meetings = {m.code: m.id for m in db.session.scalars(select(Meeting).where(Meeting.body_id == group.id))}
    round9 = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9,
                                                            ReportingRound.fiscal_year_be == 2563))
    page = client.get("/login")
    client.post("/login", data={"email": data.email("secretariat"), "password": app.config["DEMO_PASSWORD"],
                                "csrf_token": csrf_from(page.get_data(as_text=True))})

    def get(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    files = {"minutes": get(f"/meetings/{meetings['1/2570']}/minutes.docx"),
             "agenda": get(f"/meetings/{meetings['3/2563']}/agenda.docx"),
             "letter_external": get(f"/meetings/{meetings['3/2563']}/invitation.docx"),
             "round_report": get(f"/rounds/{round9.id}/report.docx")}
    db.session.get(Body, group.id).letter_form = "memo"
    db.session.commit()
    files["letter_memo"] = get(f"/meetings/{meetings['3/2563']}/invitation.docx")
    return files


def test_every_docx_reopens_with_its_properties_and_word_s_current_layout(documents):
    for name, content in documents.items():
        document = docx.Document(io.BytesIO(content))
        properties = document.core_properties
        assert properties.title, name
        assert properties.author == SECRETARIAT, (name, properties.author)
        assert properties.created is not None
        created = properties.created.replace(tzinfo=properties.created.tzinfo or timezone.utc)
        assert abs(datetime.now(timezone.utc) - created) < timedelta(minutes=10), name
        modes = [s.get(qn("w:val")) for s in document.settings.element.iter(qn("w:compatSetting"))
                 if s.get(qn("w:name")) == "compatibilityMode"]
        assert modes == ["15"], name
        font_table = next(rel.target_part for rel in document.part.rels.values()
                          if rel.reltype.endswith("/fontTable"))
        assert b'w:name="TH Sarabun New"' in font_table.blob, name


def test_every_part_parses_and_no_id_is_used_twice(documents):
    for name, content in documents.items():
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            assert package.testzip() is None
            names = package.namelist()
            assert "[Content_Types].xml" in names and "word/document.xml" in names
            for part in names:
                if part.endswith((".xml", ".rels")):
                    tree = etree.fromstring(package.read(part))  # raises on a part Word would have to repair
                    if part.startswith("word/"):
                        ids = Counter((element.tag, element.get("id") or element.get(qn("w:id")))
                                      for tag in UNIQUE_IDS for element in tree.iter(tag))
                        assert not [key for key, count in ids.items() if count > 1], (name, part)


@pytest.mark.skipif(papers_pdf.office_program() is None and not os.environ.get("PRACHUM_REQUIRE_OFFICE"),
                    reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
def test_libreoffice_converts_every_docx(documents):
    names = list(documents)
    pdfs = papers_pdf.convert_many([(documents[name], ".docx") for name in names])
    assert [name for name, pdf in zip(names, pdfs) if pdf is None or papers_pdf.readable_pdf(pdf) is None] == []
