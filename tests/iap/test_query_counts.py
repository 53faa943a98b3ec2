"""List pages keep their number of queries as rows grow (no N+1): an absolute number, the
same for few rows and for many. Every request begins with the session, the user and their
roles, and ends saving the session's new expiry (SAVEPOINT, UPDATE, RELEASE)."""

import pytest

from iap import services
from tests.factories import (
    MentorFactory,
    UserFactory,
    advance_plan,
    give_role,
    make_learner,
    make_plan,
)


@pytest.fixture
def pinned(django_assert_num_queries):
    """GET `url` as `client` in exactly `queries` queries."""

    def check(client, url, queries):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    return check


def _plans(cast, count, start=0, to=None):
    for n in range(start, start + count):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Skolēns{n}")
        plan = make_plan(cast.preparer, learner)
        if to:
            mentor_user = UserFactory()
            give_role(mentor_user, "mentor")
            mentor = MentorFactory(user=mentor_user)
            advance_plan(plan, preparer=cast.preparer, mentor=mentor, to=to)


def test_the_preparers_plan_list_keeps_its_query_count(cast, client_for, pinned):
    client = client_for(cast.preparer)
    _plans(cast, 2, to="accepted")
    # session, user, roles; 4 the semesters (the filter); 5 the plans' ids in order (and
    # count); 6 the page's plans with learner, school, semester, mentor, whether an
    # invitation waits; save session.
    pinned(client, "/iap/", 9)
    _plans(cast, 20, start=2, to="accepted")
    pinned(client, "/iap/", 9)


def test_the_approvers_queue_keeps_its_query_count(cast, client_for, pinned):
    client = client_for(cast.approver)
    _plans(cast, 2, to="submitted")
    # session, user, roles; 4 the semesters; 5 the plans' ids in order (and count); 6 the
    # page's plans; 7 the plans waiting for approval; save session.
    pinned(client, "/iap/", 10)
    _plans(cast, 15, start=2, to="submitted")
    pinned(client, "/iap/", 10)


def test_the_mentors_invitation_list_keeps_its_query_count(cast, client_for, pinned):
    client = client_for(cast.mentor_user)

    def invite(n):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Uzaicinātais{n}")
        services.invitation_send(
            actor=cast.preparer, plan=make_plan(cast.preparer, learner), mentor=cast.mentor
        )

    invite(0)
    # session, user, roles; 4 the semesters (the filter); 5 the invitations with plan,
    # learner, school, semester and who invited; 6 the mentor's plans; save session.
    pinned(client, "/uzaicinajumi/", 9)
    for n in range(1, 20):
        invite(n)
    pinned(client, "/uzaicinajumi/", 9)


def test_the_learner_list_keeps_its_query_count(cast, client_for, pinned):
    client = client_for(cast.preparer)
    _plans(cast, 2)
    # session, user, roles; 4 the semesters (the filter); 5 the school's learners' ids in
    # order (and count); 6 the page's learners with each one's plans counted in a
    # subquery; save session.
    pinned(client, "/izglitojamie/", 9)
    _plans(cast, 20, start=2)
    pinned(client, "/izglitojamie/", 9)
