import datetime

import pytest

from diary import services
from tests.factories import advance_plan, make_learner, make_plan

T = datetime.time
D = datetime.date


@pytest.fixture
def meet(cast):
    """Log a meeting in a plan as its mentor, through the service."""

    def make(
        plan,
        date,
        start,
        end,
        *,
        place="Rīgas Centrālā bibliotēka",
        topic="Iepazīšanās",
        result="",
        comment="",
        actor=None,
    ):
        return services.entry_create(
            actor=actor or plan.mentor.user,
            plan=plan,
            date=date,
            start_time=start,
            end_time=end,
            place=place,
            topic=topic,
            result=result,
            comment=comment,
        )

    return make


@pytest.fixture
def second_active_plan(cast, active_plan):
    """Another learner of the same mentor, under the same contract."""
    learner = make_learner(cast.preparer, cast.school, first_name="Otrā", last_name="Skolniece")
    plan = make_plan(cast.preparer, learner)
    return advance_plan(
        plan,
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=active_plan.contract,
    )
