"""What the signed-in user should do now: the home page's tasks, most urgent first (the same function)."""
from __future__ import annotations

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import thaidates
from app.api import api
from app.api.schemas import errors
from app.main import todo

tag = Tag(name="todo", description="The home page's tasks per role")


class TodoEntryOut(BaseModel):
    title: str
    url: str = Field(description="The page to open (path on this site)")
    due_on: str | None = Field(description="ISO date it is for: the meeting day, a deadline, a due date")
    days_left: int | None = Field(description="Days from today (Bangkok) to due_on; negative when past")
    late: bool
    detail: str | None
    state: str | None = Field(description="The user's answer, a report's state, a plan's status, 'missing' …")
    meeting_id: int | None = Field(description="Set when the user may answer this meeting's invitation "
                                               "(POST /api/v1/meetings/<id>/rsvp)")
    can_answer: bool


class TodoTaskOut(BaseModel):
    kind: str = Field(description="meetings_answer, agendas, minutes_comment, minutes_certified, reports_returned, "
                                  "reports_late, reports_due, actions_unit, answers_pending, reports_review, "
                                  "minutes_circulate, minutes_certify, actions_overdue, rounds_closing, plans")
    title: str
    count: int = Field(description="How many there are (entries lists the first few)")
    url: str = Field(description="The page listing all of them")
    due_on: str | None
    days_left: int | None
    late: bool
    entries: list[TodoEntryOut]


class TodoList(BaseModel):
    items: list[TodoTaskOut] = Field(description="Most urgent first: late ones, then the nearest day")


@api.get("/me/todo", tags=[tag], responses={200: TodoList, **errors(401)})
def my_todo():
    """What the signed-in user should do now, per role, most urgent first (the home page's tasks)."""
    today = thaidates.today_bangkok()
    return {"items": [todo.task_out(task, today) for task in todo.tasks_for(current_user, today)]}
