"""The language switch in Chromium: on a half-filled report form it returns to the same form (its query kept)
in English, with what was typed still there, plain fields and the rich-text editor alike; and back to Thai."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from app.bodies.models import Unit
from app.extensions import db
from app.reports.models import ProgressReport, ReportingRound

TYPED_RESULT = "ทดสอบระบบกับหน่วยงานนำร่อง 3 แห่ง"
TYPED_SUGGESTION = "ควรขยายผลไปยังสำนักงานเขตพื้นที่การศึกษา"


def unfiled(site) -> str:  # noqa: ARG001 — the demo is loaded by `site`
    """/reports/new?round=…&sub_item=… for a sub-item ICT owes in an open round and has not started."""
    ict = db.session.scalar(select(Unit).where(Unit.code == "ICT"))
    for round_ in db.session.scalars(select(ReportingRound).where(ReportingRound.status == "open")):
        for theme in round_.plan.themes:
            for sub_item in theme.sub_items:
                filed = db.session.scalar(select(ProgressReport.id).filter_by(
                    round_id=round_.id, sub_item_id=sub_item.id, unit_id=ict.id))
                if ict in sub_item.units and filed is None:
                    return f"/reports/new?round={round_.id}&sub_item={sub_item.id}"
    raise AssertionError("the demo has no report for ICT to start")


def test_switching_language_keeps_the_form_and_what_was_typed(open_context, site):
    url = unfiled(site)
    context, _watch = open_context("desktop", "reporter")
    page = context.new_page()
    page.goto(url)
    page.locator("[name=percent]").fill("40")
    page.locator("[name=suggestions]").fill(TYPED_SUGGESTION)
    editor = page.locator(".richtext-editor .ql-editor").first
    editor.wait_for()
    editor.click()
    page.keyboard.type(TYPED_RESULT)

    page.get_by_role("link", name="English").click()
    page.wait_for_url(lambda current: urlsplit(current).path == "/reports/new" and "lang=" not in current
                      and urlsplit(current).query == urlsplit(url).query)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[name=percent]").input_value() == "40"
    assert page.locator("[name=suggestions]").input_value() == TYPED_SUGGESTION
    editor = page.locator(".richtext-editor .ql-editor").first
    editor.wait_for()
    assert TYPED_RESULT in editor.inner_text()

    page.get_by_role("link", name="ภาษาไทย").click()
    page.wait_for_url(lambda current: urlsplit(current).query == urlsplit(url).query and "lang=" not in current)
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("[name=suggestions]").input_value() == TYPED_SUGGESTION
