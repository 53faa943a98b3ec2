"""The shared cast: every test speaks about the same people, on the same day."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from skola_kopiena.accounts.models import Role

from .factories import (
    InstitutionFactory,
    MentorFactory,
    UserFactory,
    give_role,
    give_totp,
    municipality,
    region,
)


@pytest.fixture
def cast(db):
    """Mentors, school staff of two schools, approvers, staff of two regions, auditors, admin,
    outsider."""
    riga, vidzeme = region("riga"), region("vidzeme")
    school = InstitutionFactory(name="Rīgas 1. vidusskola", municipality=municipality("Rīga"))
    other_school = InstitutionFactory(
        name="Cēsu 2. pamatskola", municipality=municipality("Cēsu novads")
    )
    youth_centre = InstitutionFactory(
        name="Rīgas jauniešu centrs", kind="youth_centre", municipality=municipality("Rīga")
    )

    mentor_user = UserFactory(email="mentors@example.lv", first_name="Anna")
    give_role(mentor_user, Role.MENTOR)
    mentor = MentorFactory(
        user=mentor_user,
        first_name="Anna",
        last_name="Bērziņa",
        email=mentor_user.email,
        municipalities=[municipality("Rīga"), municipality("Jūrmala")],
    )
    second_mentor_user = UserFactory(email="otrs.mentors@example.lv")
    give_role(second_mentor_user, Role.MENTOR)
    second_mentor = MentorFactory(
        user=second_mentor_user,
        first_name="Edgars",
        last_name="Čaklais",
        email=second_mentor_user.email,
        region=vidzeme,
        municipalities=[municipality("Cēsu novads")],
    )

    preparer = UserFactory(email="sagatavotajs@example.lv")
    give_role(preparer, Role.PREPARER, institution=school)
    other_preparer = UserFactory(email="cits.sagatavotajs@example.lv")
    give_role(other_preparer, Role.PREPARER, institution=other_school)
    approver = UserFactory(email="apstiprinatajs@example.lv")
    give_role(approver, Role.APPROVER, institution=school)
    youth_approver = UserFactory(email="jc.apstiprinatajs@example.lv")
    give_role(youth_approver, Role.APPROVER, institution=youth_centre)

    staff = UserFactory(email="koordinators@example.lv")
    give_role(staff, Role.STAFF, region=riga)
    give_totp(staff)
    other_staff = UserFactory(email="vidzemes.koordinators@example.lv")
    give_role(other_staff, Role.STAFF, region=vidzeme)
    give_totp(other_staff)
    admin = UserFactory(email="admins@example.lv")
    give_role(admin, Role.ADMIN)
    give_totp(admin)
    outsider = UserFactory(email="svesais@example.lv")
    # Auditors: one of the Rīga region; one who reads only the plans staff grant them.
    auditor = UserFactory(email="revidents@example.lv")
    give_role(auditor, Role.AUDITOR, region=riga)
    give_totp(auditor)
    sample_auditor = UserFactory(email="parbauditajs@example.lv")
    give_role(sample_auditor, Role.AUDITOR, sample_only=True)
    give_totp(sample_auditor)

    return SimpleNamespace(
        riga=riga,
        vidzeme=vidzeme,
        school=school,
        other_school=other_school,
        youth_centre=youth_centre,
        mentor=mentor,
        second_mentor=second_mentor,
        mentor_user=mentor_user,
        second_mentor_user=second_mentor_user,
        preparer=preparer,
        other_preparer=other_preparer,
        approver=approver,
        youth_approver=youth_approver,
        staff=staff,
        other_staff=other_staff,
        admin=admin,
        outsider=outsider,
        auditor=auditor,
        sample_auditor=sample_auditor,
    )


@pytest.fixture
def client_for():
    """A logged-in test client for a user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


# Every test runs on Wednesday 25 November 2026, 10:30 in Riga (in the first semester of
# 2026/2027), so that dates written in tests keep their meaning whenever the suite runs.
TODAY = datetime.datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Europe/Riga"))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def learner(cast):
    from .factories import make_learner

    return make_learner(cast.preparer, cast.school)


@pytest.fixture
def plan(cast, learner):
    from .factories import make_plan

    return make_plan(cast.preparer, learner)


@pytest.fixture
def active_plan(cast, plan):
    from .factories import advance_plan

    return advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )


@pytest.fixture
def meet(cast):
    """Log a meeting in a plan as its mentor, through the diary service."""
    from diary import services

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
    from .factories import advance_plan, make_learner, make_plan

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


@pytest.fixture
def full_time_plan(cast, active_plan):
    """An active plan with the most monthly hours a plan may have (CAP-2, IAP-6)."""
    from iap.services import plan_change_hours

    return plan_change_hours(
        actor=cast.preparer, plan=active_plan, monthly_hours=20, reason="Vairāk tikšanos"
    )
