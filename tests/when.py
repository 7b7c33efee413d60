"""Times relative to today, for tests whose meetings must still be to come (answers, check-in, reminders)."""
from __future__ import annotations

from datetime import timedelta

from app import thaidates


def local(days: int, hour: int, minute: int = 0) -> str:
    """An ISO Bangkok time `days` from today at `hour`:`minute`, as forms and the API take it."""
    day = thaidates.today_bangkok() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"
