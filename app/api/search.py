"""Search API: meetings, agenda items and minutes the user may read, Thai-aware, ranked, with snippets."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app.api import api
from app import textlimits
from app.api.schemas import ArgumentsModel, OneLine, errors
from app.search import services

tag = Tag(name="search", description="Thai-aware search over meetings, agenda items and minutes")


class SearchQuery(ArgumentsModel):
    q: OneLine(textlimits.QUERY) = Field(description="Words to find (Thai or Latin), e.g. ฐานข้อมูล")


class SearchHit(BaseModel):
    kind: Literal["meeting", "agenda_item", "minutes"]
    id: int = Field(description="Id of the meeting, agenda item or minutes")
    title: str
    url: str = Field(description="The page of the hit, e.g. /meetings/3/agenda#item-12")
    snippet: str = Field(description="Escaped HTML around the first match, each match in <mark>")


class SearchOut(BaseModel):
    items: list[SearchHit] = Field(description="The hits, as every list of the API")
    results: list[SearchHit] = Field(description="Deprecated: the same hits; removed in the next release",
                                     json_schema_extra={"deprecated": True})


@api.get("/search", tags=[tag], responses={200: SearchOut, **errors(401, 422)})
def search(query: SearchQuery):
    """Hits whose text contains every word of q (segmented with PyThaiNLP), most title words first, then
    the latest meetings; only what the user may read; at most 30."""
    hits = [SearchHit(kind=h.kind, id=h.id, title=h.title, url=h.url, snippet=h.snippet)
            for h in services.search(current_user, query.q)]
    return SearchOut(items=hits, results=hits).model_dump()
