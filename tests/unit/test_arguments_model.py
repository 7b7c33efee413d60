"""Query-string and form models work out their JSON schema once (flask-openapi3 asks for it on every request)."""
from __future__ import annotations

from pydantic import BaseModel

from app.api.reports import RollupQuery
from app.api.schemas import ArgumentsModel


def test_the_plain_schema_is_worked_out_once_and_equals_pydantics():
    first = RollupQuery.model_json_schema()
    assert RollupQuery.model_json_schema() is first
    assert first == BaseModel.model_json_schema.__func__(RollupQuery)
    assert set(first["properties"]) >= {"round", "units", "page", "per_page"}


def test_each_class_keeps_its_own_and_options_are_not_cached():
    class One(ArgumentsModel):
        a: int

    class Two(ArgumentsModel):
        b: str

    assert set(One.model_json_schema()["properties"]) == {"a"}
    assert set(Two.model_json_schema()["properties"]) == {"b"}
    with_options = One.model_json_schema(ref_template="#/components/schemas/{model}")
    assert with_options == One.model_json_schema() and with_options is not One.model_json_schema()
