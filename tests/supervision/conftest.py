"""Supervision sessions made through the services, on the shared cast's day (Wednesday
25 November 2026, 10:30 in Riga)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from skola_kopiena.accounts.permissions import acting_for
from supervision import services

D = datetime.date
T = datetime.time
DECEMBER_2, TWO_PM = D(2026, 12, 2), T(14, 0)


@pytest.fixture
def plan_session(cast):
    """Plan a session through the service, as Rīga's coordinator unless told otherwise."""

    def make(
        date=DECEMBER_2,
        start=TWO_PM,
        *,
        actor=None,
        region=None,
        target_group="general",
        capacity=12,
        place="Rīgas Centrālā bibliotēka, Brīvības iela 49",
        supervisor="Inga Supervizore",
    ):
        actor = actor or cast.staff
        return services.session_create(
            actor=actor,
            acting=acting_for(actor),
            date=date,
            start_time=start,
            place=place,
            region=region or cast.riga,
            target_group=target_group,
            capacity=capacity,
            supervisor=supervisor,
        )

    return make


@pytest.fixture
def session(plan_session):
    """Rīga's session for mentors of general education: Wednesday 2 December, 14:00–17:00."""
    return plan_session()


def sign_up(mentor, session):
    return services.signup_create(actor=mentor.user, mentor=mentor, session=session)


def on(moment):
    """The test clock at `moment` (a naive datetime in Riga)."""
    return time_machine.travel(moment.replace(tzinfo=ZoneInfo("Europe/Riga")), tick=True)


def other_mentor(number, region="riga", email=None):
    """Another mentor with a login, in `region`."""
    from skola_kopiena.accounts.models import Role
    from tests.factories import MentorFactory, UserFactory, give_role
    from tests.factories import region as region_of

    user = UserFactory(email=email or f"mentors.{region}.{number}@example.lv")
    give_role(user, Role.MENTOR)
    return MentorFactory(user=user, email=user.email, region=region_of(region))
