"""List pages keep their number of queries as rows grow (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from iap import services
from tests.factories import (
    MentorFactory,
    UserFactory,
    advance_plan,
    give_role,
    make_learner,
    make_plan,
)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _plans(cast, count, start=0, to=None):
    for n in range(start, start + count):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Skolēns{n}")
        plan = make_plan(cast.preparer, learner)
        if to:
            mentor_user = UserFactory()
            give_role(mentor_user, "mentor")
            mentor = MentorFactory(user=mentor_user)
            advance_plan(plan, preparer=cast.preparer, mentor=mentor, to=to)


def test_the_preparers_plan_list_keeps_its_query_count(cast, client_for):
    client = client_for(cast.preparer)
    _plans(cast, 2, to="accepted")
    few = _queries(client, "/iap/")
    _plans(cast, 20, start=2, to="accepted")
    assert _queries(client, "/iap/") == few


def test_the_approvers_queue_keeps_its_query_count(cast, client_for):
    client = client_for(cast.approver)
    _plans(cast, 2, to="submitted")
    few = _queries(client, "/iap/")
    _plans(cast, 15, start=2, to="submitted")
    assert _queries(client, "/iap/") == few


def test_the_mentors_invitation_list_keeps_its_query_count(cast, client_for):
    client = client_for(cast.mentor_user)

    def invite(n):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Uzaicinātais{n}")
        services.invitation_send(
            actor=cast.preparer, plan=make_plan(cast.preparer, learner), mentor=cast.mentor
        )

    invite(0)
    few = _queries(client, "/uzaicinajumi/")
    for n in range(1, 20):
        invite(n)
    assert _queries(client, "/uzaicinajumi/") == few


def test_the_learner_list_keeps_its_query_count(cast, client_for):
    client = client_for(cast.preparer)
    _plans(cast, 2)
    few = _queries(client, "/izglitojamie/")
    _plans(cast, 20, start=2)
    assert _queries(client, "/izglitojamie/") == few
