"""The cheap speed fixes of issue 14: fingerprinted static files cached for a year, compressed responses with
weak ETags, PyThaiNLP warmed before the first search, the roll-up API's summary, pages, ETag and 304, unit
lines written without pydantic on the way out, and the covering index of the tally."""
from __future__ import annotations

import gzip
import hashlib
import re
import runpy
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from app.reports.models import TALLY_INCLUDED_COLUMNS, ProgressReport
from app.responses import IMMUTABLE
from tests.functional.test_api_core import assert_error
from tests.functional.test_reports_api import DUE, bangkok, filed, make_plan, make_round, ok, put_report, world  # noqa: F401
from tests.functional.test_rollup_queries import counted
from tests.functional.test_security_headers import assert_protected

ROOT = Path(__file__).resolve().parent.parent.parent
FINGERPRINTED = re.compile(r'(?:href|src)="(/(?:static|bootstrap)/[^"?]+)\?v=([0-9a-f]{12})"')
GZIP = {"Accept-Encoding": "gzip"}


# --- a. static files: fingerprinted, a year for the current fingerprint, a short cache otherwise ---------------

def test_every_asset_of_a_page_is_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    assets = FINGERPRINTED.findall(html)
    paths = [path for path, _v in assets]
    assert "/static/css/prachum.css" in paths and "/static/js/prachum.js" in paths
    assert any(path.startswith("/bootstrap/static/") for path in paths)  # Bootstrap's own files too
    assert not re.search(r'(?:href|src)="/(?:static|bootstrap)/[^"?]+"', html), "an asset without ?v="
    for path, fingerprint in assets:
        response = client.get(f"{path}?v={fingerprint}")
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        assert_protected(response)  # the CSP and friends stay on static files


def test_a_static_file_without_or_with_an_old_fingerprint_gets_a_short_cache(client, app):
    for url in ("/static/css/prachum.css", "/static/css/prachum.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == f"public, max-age={app.config['STATIC_SHORT_MAX_AGE']}"
        assert "immutable" not in response.headers["Cache-Control"]
    assert client.get("/static/no-such-file.css?v=000000000000").status_code == 404


def test_the_fingerprint_follows_the_content(client):
    html = client.get("/login").get_data(as_text=True)
    fingerprint = dict(FINGERPRINTED.findall(html))["/static/css/prachum.css"]
    content = (ROOT / "static" / "css" / "prachum.css").read_bytes()
    assert fingerprint == hashlib.sha256(content).hexdigest()[:12]


# --- b. compression -----------------------------------------------------------------------------------

def test_a_page_is_compressed_when_the_client_accepts_gzip(client):
    plain = client.get("/login")
    zipped = client.get("/login", headers=GZIP)
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    body = gzip.decompress(zipped.get_data())
    assert len(zipped.get_data()) < len(body)
    assert re.sub(rb'value="[^"]+"', b"", body) == re.sub(rb'value="[^"]+"', b"", plain.get_data())  # CSRF aside
    assert_protected(zipped)


def test_brotli_when_the_client_prefers_it(client):
    import brotli

    response = client.get("/login", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"</html>" in brotli.decompress(response.get_data())


def test_tiny_answers_are_not_compressed(client):
    response = client.get("/api/v1/health", headers=GZIP)
    assert response.status_code == 200 and len(response.get_data()) < 2048
    assert "Content-Encoding" not in response.headers


def test_a_compressed_static_file_has_a_weak_etag_that_revalidates(client):
    response = client.get("/static/css/prachum.css", headers={"Accept-Encoding": "gzip"})
    if len(gzip.decompress(response.get_data())) < 2048:
        pytest.skip("the stylesheet is below the compression threshold")
    assert response.headers["Content-Encoding"] == "gzip"
    etag = response.headers["ETag"]
    assert etag.startswith('W/"') and ":gzip" not in etag
    again = client.get("/static/css/prachum.css", headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert "Content-Encoding" not in again.headers  # a 304 carries no body to compress
    plain = client.get("/static/css/prachum.css", headers={"If-None-Match": etag})
    assert plain.status_code == 304  # the same weak validator stands for the plain bytes


def test_documents_spreadsheets_pdfs_and_images_are_not_compressed_again(app, client, world, login):  # noqa: F811
    for mimetype in ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "application/pdf", "image/png", "image/jpeg", "font/woff2"):
        assert mimetype not in app.config["COMPRESS_MIMETYPES"], mimetype
    login(world.users["secretariat"])
    response = client.get(f"/rounds/{world.round.id}/export.xlsx", headers=GZIP)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "Content-Encoding" not in response.headers
    assert response.get_data()[:2] == b"PK"


# --- c. PyThaiNLP warmed before the first search ---------------------------------------------------------

def test_create_app_warms_the_search_when_asked(monkeypatch):
    import app.search.tokens as tokens

    calls = []
    monkeypatch.setattr(tokens, "warm_up", lambda: calls.append("warm"))
    create_app(WARM_UP_SEARCH=False)
    assert calls == []
    create_app(WARM_UP_SEARCH=True)
    assert calls == ["warm"]


def test_gunicorn_warms_each_worker(monkeypatch):
    import app.search.tokens as tokens

    calls = []
    monkeypatch.setattr(tokens, "warm_up", lambda: calls.append("warm"))
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    settings["post_worker_init"](worker=None)
    assert calls == ["warm"]


# --- d. the roll-up: summary, pages, ETag and 304 ----------------------------------------------------------

def rollup_url(w, **params) -> str:
    query = "".join(f"&{key}={value}" for key, value in params.items())
    return f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}{query}"


def unit_lines(body: dict) -> list[tuple[str, str]]:
    return [(s["code"], u["code"]) for t in body["themes"] for s in t["sub_items"] for u in s["units"]]


def without_units(body: dict) -> dict:
    return {**body, "themes": [{**t, "sub_items": [{**s, "units": []} for s in t["sub_items"]]}
                               for t in body["themes"]]}


@pytest.fixture
def reported(client, world):  # noqa: F811
    """The world with a few reports delivered (one late), so that unit lines differ."""
    w = world
    put_report(w.round, w.subs["1.1"], w.units["ICT"], "submitted", "on_track", 60, bangkok(2020, 7, 1))
    put_report(w.round, w.subs["1.1"], w.units["BPS"], "accepted", "completed", 100, bangkok(2020, 7, 20))
    put_report(w.round, w.subs["2.1"], w.units["BIE"], "draft", "at_risk", 10)
    return w


def test_the_full_contract_is_unchanged_and_units_1_is_the_same(client, reported):
    w = reported
    full = ok(client.get(rollup_url(w), headers=w.headers["secretariat"]))
    assert set(full) == {"plan_id", "round", "percent", "status", "counts", "themes"}  # no units_page
    assert ok(client.get(rollup_url(w, units=1), headers=w.headers["secretariat"])) == full
    assert unit_lines(full) == [("1.1", "BPS"), ("1.1", "ICT"), ("1.2", "ICT"), ("2.1", "BIE"), ("2.1", "BPS"),
                                ("2.1", "ICT"), ("2.2", "BIE")]
    lines = {(s["code"], u["code"]): u for t in full["themes"] for s in t["sub_items"] for u in s["units"]}
    assert lines[("1.1", "ICT")]["late"] is False and lines[("1.1", "BPS")]["late"] is True  # due 15 Jul 2020
    assert lines[("2.1", "BIE")]["late"] is True  # a draft is still missing, and the due date has passed
    assert set(lines[("1.1", "ICT")]) == {"id", "code", "name", "report_id", "state", "status", "percent",
                                          "counted_percent", "late"}


def test_units_0_is_the_summary_without_unit_lines(client, reported):
    w = reported
    full = ok(client.get(rollup_url(w), headers=w.headers["viewer"]))
    summary = ok(client.get(rollup_url(w, units=0), headers=w.headers["viewer"]))
    assert unit_lines(summary) == [] and summary == without_units(full)


def test_unit_lines_page_by_page_add_up_to_the_full_list(client, reported):
    w = reported
    headers = w.headers["member"]
    full = ok(client.get(rollup_url(w), headers=headers))
    pages, seen = [], []
    for page in (1, 2, 3):
        body = ok(client.get(rollup_url(w, page=page, per_page=3), headers=headers))
        assert body["units_page"] == {"page": page, "per_page": 3, "total": 7, "pages": 3}
        assert without_units(body) == {**without_units(full), "units_page": body["units_page"]}
        pages.append(len(unit_lines(body)))
        seen += [u for t in body["themes"] for s in t["sub_items"] for u in s["units"]]
    assert pages == [3, 3, 1]
    assert seen == [u for t in full["themes"] for s in t["sub_items"] for u in s["units"]]
    beyond = ok(client.get(rollup_url(w, page=4, per_page=3), headers=headers))
    assert unit_lines(beyond) == [] and beyond["units_page"]["page"] == 4
    first = ok(client.get(rollup_url(w, page=1), headers=headers))
    assert first["units_page"] == {"page": 1, "per_page": 100, "total": 7, "pages": 1}
    assert unit_lines(first) == unit_lines(full)


@pytest.mark.parametrize("params", [{"units": 2}, {"units": "yes"}, {"page": 0}, {"per_page": 0},
                                    {"per_page": 1001}, {"page": "x"}])
def test_bad_roll_up_parameters_are_422(client, world, params):  # noqa: F811
    response = client.get(rollup_url(world, **params), headers=world.headers["viewer"])
    assert_error(response, 422)


def test_an_unchanged_roll_up_answers_304_before_any_work(client, reported):
    w = reported
    headers = w.headers["secretariat"]
    first = client.get(rollup_url(w), headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    db.session.remove()
    with counted() as statements:
        again = client.get(rollup_url(w), headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert not any("sub_item_units" in s for s in statements), statements  # no tally, no unit lines
    assert len(statements) <= 6, statements
    assert client.get(rollup_url(w), headers={**headers, "If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(rollup_url(w), headers={**headers, "If-None-Match": '"other"'}).status_code == 200


def test_the_etag_differs_by_reader_view_and_page(client, reported):
    w = reported
    tags = {client.get(rollup_url(w, **params), headers=w.headers[who]).headers["ETag"]
            for who, params in [("secretariat", {}), ("viewer", {}), ("secretariat", {"units": 0}),
                                ("secretariat", {"page": 1}), ("secretariat", {"page": 2, "per_page": 2})]}
    assert len(tags) == 5


def test_a_report_change_changes_the_etag(client, reported):
    w = reported
    headers = w.headers["secretariat"]
    etag = client.get(rollup_url(w), headers=headers).headers["ETag"]
    report = filed(client, w, "1.2", "ict", percent=50)  # through the API: a new report
    changed = client.get(rollup_url(w), headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    etag = changed.headers["ETag"]
    ok(client.post(f"/api/v1/reports/{report['id']}/submit", json={}, headers=w.headers["ict"]))
    submitted = client.get(rollup_url(w), headers={**headers, "If-None-Match": etag})
    assert submitted.status_code == 200 and submitted.headers["ETag"] != etag
    line = {(s["code"], u["code"]): u for t in submitted.get_json()["themes"] for s in t["sub_items"]
            for u in s["units"]}[("1.2", "ICT")]
    assert line["state"] == "submitted" and line["counted_percent"] == 50
    etag = submitted.headers["ETag"]
    stored = db.session.get(ProgressReport, report["id"])  # a change outside any service: its version moves
    stored.percent = 70
    db.session.commit()
    assert client.get(rollup_url(w), headers={**headers, "If-None-Match": etag}).status_code == 200


def test_moving_the_due_date_changes_the_etag(client, reported):
    w = reported
    headers = w.headers["viewer"]
    etag = client.get(rollup_url(w), headers=headers).headers["ETag"]
    w.round.due_date = DUE.replace(month=8)
    db.session.commit()
    assert client.get(rollup_url(w), headers={**headers, "If-None-Match": etag}).status_code == 200


def test_a_compressed_roll_up_has_a_weak_etag_that_still_answers_304(client, reported):
    w = reported
    headers = {**w.headers["secretariat"], **GZIP}
    response = client.get(rollup_url(w), headers=headers)
    assert response.status_code == 200
    if "Content-Encoding" in response.headers:
        assert response.headers["ETag"].startswith('W/"')
    assert client.get(rollup_url(w), headers={**headers, "If-None-Match": response.headers["ETag"]}).status_code == 304


def test_the_roll_up_errors_are_unchanged(client, world):  # noqa: F811
    w = world
    assert_error(client.get(f"/api/v1/plans/999999/rollup?round={w.round.id}", headers=w.headers["viewer"]), 404)
    assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round=999999", headers=w.headers["viewer"]), 404)
    other = make_round(make_plan(w.plan.owner_body, [(1, [(1, [w.units["ICT"]])])], title="แผนอื่น"))
    assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={other.id}", headers=w.headers["viewer"]), 404)
    assert_error(client.get(rollup_url(w, units=0)), 401)


def test_the_openapi_document_declares_the_new_parameters(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/plans/{id}/rollup"]["get"]
    assert {"round", "units", "page", "per_page"} <= {p["name"] for p in operation["parameters"]}
    assert "304" in operation["responses"]


# --- e. nothing validated on the way out --------------------------------------------------------------------

def test_the_roll_up_builds_its_unit_lines_without_pydantic(client, reported, monkeypatch):
    import app.api.reports as api_reports

    class Refused:
        def __init__(self, *args, **kwargs):
            raise AssertionError("RollupUnit built on the way out")

        model_validate = __init__

    monkeypatch.setattr(api_reports, "RollupUnit", Refused)
    body = ok(client.get(rollup_url(reported), headers=reported.headers["secretariat"]))
    assert len(unit_lines(body)) == 7


# --- f. the covering index of the tally -------------------------------------------------------------------

def test_the_tally_has_its_covering_index():
    indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("progress_reports")}
    tally = indexes["ix_progress_reports_tally"]
    assert tally["column_names"] == ["round_id", "sub_item_id", "unit_id"]
    if db.engine.dialect.name == "postgresql":
        assert tally["dialect_options"]["postgresql_include"] == list(TALLY_INCLUDED_COLUMNS)
        assert {"state", "percent", "status", "submitted_at"} <= set(TALLY_INCLUDED_COLUMNS)


def test_the_tally_reads_the_index_alone_on_postgresql(reported):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("INCLUDE and index-only scans are PostgreSQL's")
    from sqlalchemy import text

    from app.reports import figures

    with db.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        connection.execute(text("SET enable_bitmapscan = off"))  # a small table: the planner may prefer a bitmap
        plan = "\n".join(connection.execute(text(
            "EXPLAIN SELECT count(*), sum(version), max(id) FROM progress_reports WHERE round_id = :r"),
            {"r": reported.round.id}).scalars())
    assert "Index Only Scan using ix_progress_reports_tally" in plan, plan
    assert figures.rollup_version(reported.round)[5] == 3  # three reports in the round
