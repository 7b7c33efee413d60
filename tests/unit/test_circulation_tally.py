"""The result of a circulation: more than half of the members asked decide; exactly half decides nothing."""
from __future__ import annotations

import pytest

from app.auth.models import User
from app.circulations.models import Circulation, CirculationAnswer
from app.circulations.services import resolution_text, tally


def circulation_of(*answers: str | None) -> Circulation:
    rows = [CirculationAnswer(user_id=n, user=User(name=f"กรรมการ {n}"), answer=answer,
                              comment="ความเห็น" if answer == "comment" else None)
            for n, answer in enumerate(answers, start=1)]
    return Circulation(title="เรื่อง", question="เห็นชอบหรือไม่", answers=rows)


@pytest.mark.parametrize("answers, outcome", [
    (("approve",) * 4 + (None,) * 3, "approved"),  # 4 of 7
    (("approve",) * 3 + ("comment",) + (None,) * 3, "no_decision"),  # a comment is not an approval
    (("approve", "approve", "reject", "reject"), "no_decision"),  # exactly half
    (("reject",) * 3 + ("approve",), "rejected"),
    ((None,) * 5, "no_decision"),
])
def test_more_than_half_of_the_members_asked_decide(answers, outcome):
    assert tally(circulation_of(*answers))["outcome"] == outcome


def test_the_tally_keeps_counts_and_names_and_reads_as_one_sentence():
    result = tally(circulation_of("approve", "approve", "approve", "approve", "approve", "comment", None))
    assert result["counts"] == {"approve": 5, "reject": 0, "comment": 1, "none": 1} and result["members"] == 7
    assert [a["name"] for a in result["answers"] if a["answer"] is None] == ["กรรมการ 7"]
    assert result["answers"][5]["comment"] == "ความเห็น"
    assert resolution_text(result) == ("มติเห็นชอบ โดยกรรมการ 7 คน เห็นชอบ 5 คน ไม่เห็นชอบ 0 คน "
                                       "มีความเห็นเพิ่มเติม 1 คน ไม่ได้ตอบ 1 คน")
