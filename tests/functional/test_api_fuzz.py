"""Schemathesis against /api/v1/openapi.json, in-process, on the demo, as the secretariat and as a member.

Every operation of the published schema gets generated requests (valid and invalid by the schema) with a
bearer token; each answer must not be a server error, must be a status the operation declares, and its body
must match the declared schema. Bounded: MAX_EXAMPLES per operation (MIN_EXAMPLES once BUDGET_SECONDS are
spent), no shrinking (the first failing example is reported as found), Hypothesis' database off and
derandomized so CI runs are repeatable; the whole file stays within about two minutes on two cores.
No operation is excluded (SKIPPED would name one with its reason).
"""
from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy import select

from app.auth.models import User
from app.demo import data
from app.extensions import db
from tests.functional.test_form_fuzz import server_errors_as_responses  # noqa: F401 (fixture)

MAX_EXAMPLES = 5
MIN_EXAMPLES = 2  # for the operations left once the time budget is spent (slow machine): fewer, never none
BUDGET_SECONDS = 25  # per role
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Operations not sent, each with its reason (none today).
SKIPPED: dict[str, str] = {}


def fuzz_operations(app, client, headers: dict, server_errors) -> list[str]:
    """Run every operation of the schema; the failures, one per failing operation."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # an operation the schema describes wrongly raises here: a failure
    assert len(operations) > 40, "the schema lost its operations"
    failures = []
    deadline = time.monotonic() + BUDGET_SECONDS
    for operation in operations:
        label = operation.label
        if label in SKIPPED:
            continue

        @settings(max_examples=MAX_EXAMPLES if time.monotonic() < deadline else MIN_EXAMPLES, database=None, derandomize=True, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                  report_multiple_bugs=False)
        @given(case=operation.as_strategy())
        def send(case):
            # identity: schemathesis' WSGI transport reads the body as sent and does not undo Content-Encoding
            response = case.call(session=client, headers={**headers, "Accept-Encoding": "identity"}, app=app)
            case.validate_response(response, checks=CHECKS)

        seen = len(server_errors.tracebacks)
        try:
            send()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — every failing operation is reported
            failures.append(f"{label}: {type(error).__name__}: {str(error)[:1500]}"
                            f"\n{server_errors.tracebacks[seen:seen + 1]}")
    return failures


@pytest.mark.parametrize("local", ["secretariat", "member"])
def test_the_api_keeps_its_schema_and_has_no_server_errors(app, client, demo, token_for, server_errors_as_responses,
                                                           local):  # noqa: F811
    user = db.session.scalar(select(User).where(User.email == data.email(local)))
    failures = fuzz_operations(app, client, token_for(user), server_errors_as_responses)
    assert failures == [], "\n\n".join(failures)


def test_multipart_operations_refuse_text_where_a_file_is_expected(app, client, demo, token_for,
                                                                  server_errors_as_responses):  # noqa: F811
    """Every multipart operation, with each of its declared parts sent as a plain text field (no file):
    a 4xx JSON error, never a server error. (The bounded fuzz above rarely sends exactly this.)"""
    user = db.session.scalar(select(User).where(User.email == data.email("secretariat")))
    headers = token_for(user)
    spec = client.get("/api/v1/openapi.json").get_json()
    wrong, tried = [], 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "multipart/form-data" not in content:
                continue
            schema = content["multipart/form-data"].get("schema", {})
            if "$ref" in schema:
                schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
            url = path.replace("{id}", "1").replace("{", "").replace("}", "")
            for part in schema.get("properties", {}):
                tried += 1
                response = client.open(url, method=method.upper(), headers=headers,
                                       data={part: "not a file"}, content_type="multipart/form-data")
                body = response.get_json(silent=True) or {}
                if not 400 <= response.status_code < 500 or "error" not in body:
                    wrong.append((method.upper(), path, part, response.status_code,
                                  server_errors_as_responses.tracebacks[-1:]))
    assert tried >= 2, "no multipart operation found in the schema"
    assert wrong == [], wrong


def test_out_of_range_path_ids_answer_a_declared_404(app, client, demo, token_for):
    """Ids (and years) beyond 2^31-1 (no integer key holds them), 0 and negative, in every path of the schema,
    with every method: a status the operation declares (404 or 422), never 405 or a server error."""
    user = db.session.scalar(select(User).where(User.email == data.email("secretariat")))
    headers = token_for(user)
    spec = client.get("/api/v1/openapi.json").get_json()
    wrong, checked = [], 0
    for path, item in spec["paths"].items():
        if "{" not in path:
            continue
        for method, operation in item.items():
            for bad in ("2147483648", "0", "-1"):
                url = path
                for name in ("id", "user_id", "attachment_id", "n", "year"):
                    url = url.replace("{" + name + "}", bad)
                response = client.open(url, method=method.upper(), headers=headers, json={})
                checked += 1
                declared = {int(code) for code in operation.get("responses", {}) if code.isdigit()}
                if response.status_code not in declared or response.status_code >= 500:
                    wrong.append((method.upper(), url, response.status_code, sorted(declared)))
    assert checked > 60 and wrong == [], "\n".join(map(str, wrong))
