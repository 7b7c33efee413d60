"""The rich-text editor in Chromium: served by the app under the strict CSP (no console error), a discussion
typed as a numbered list comes back as three numbered paragraphs on screen and in the DOCX, and text typed but
not saved is put back after a reload, with a notice."""
from __future__ import annotations

import io

import docx
from sqlalchemy import select

from app.agenda.models import AgendaItem
from app.extensions import db
from app.meetings.models import Meeting
from tests.browser.conftest import axe_violations

ITEMS = ("ฝ่ายเลขานุการรายงานผล", "ที่ประชุมมีข้อสังเกต", "มอบหมายหน่วยงานดำเนินการ")


def meeting_with_items(site) -> int:  # noqa: ARG001 — the demo is loaded by `site`
    """A demo meeting whose agenda has items and whose record is still open."""
    from app import authz

    for meeting in db.session.scalars(select(Meeting).where(Meeting.status != "cancelled").order_by(Meeting.id)):
        if not authz.meeting_record_frozen(meeting) and db.session.scalar(
                select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id).limit(1)):
            return meeting.id
    raise AssertionError("no open demo meeting with agenda items")


def test_numbered_discussion_round_trip_and_draft_kept(open_context, site):
    meeting_id = meeting_with_items(site)
    context, _watch = open_context("desktop", "secretariat")
    page = context.new_page()
    page.goto(f"/meetings/{meeting_id}/minutes")
    editor = page.locator(".richtext-editor .ql-editor").first
    editor.wait_for()
    assert page.locator("textarea[data-richtext]").first.is_hidden()  # the editor took the textarea's place
    assert axe_violations(page) == []
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator(".richtext-toolbar").first.get_by_role("button", name="รายการลำดับเลข").click()
    page.keyboard.type(ITEMS[0])
    page.keyboard.press("Enter")
    page.keyboard.type(ITEMS[1])
    page.keyboard.press("Enter")
    page.keyboard.type(ITEMS[2])
    page.wait_for_timeout(600)  # the draft is kept after a short pause in typing

    page.reload()  # not saved: the draft comes back with a notice
    page.locator("#minutes-form-restored").wait_for(state="visible")
    assert page.locator(".richtext-editor .ql-editor").first.locator("li").all_inner_texts() == list(ITEMS)

    page.get_by_role("button", name="บันทึกรายงานการประชุม").click()
    page.locator(".alert-success").wait_for()
    assert page.locator("#minutes-form-restored").is_hidden()
    page.goto(f"/meetings/{meeting_id}/minutes?read=1")
    assert page.locator(".rich-text ol").first.locator("li").all_inner_texts() == list(ITEMS)

    response = page.request.get(f"/meetings/{meeting_id}/minutes.docx")
    document = docx.Document(io.BytesIO(response.body()))
    numbered = [p.text for p in document.paragraphs if p.text.split("\t", 1)[-1] in ITEMS]
    assert numbered == [f"{n}.\t{text}" for n, text in enumerate(ITEMS, start=1)]

    page.goto(f"/meetings/{meeting_id}/minutes")  # saved: no draft left to put back
    page.locator(".richtext-editor .ql-editor").first.wait_for()
    assert page.locator("#minutes-form-restored").is_hidden()
