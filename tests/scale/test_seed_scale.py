"""`manage.py seed_scale`: the national-scale data for the page benchmark, made small here
(--mentors 20 --institutions 30) so that each run takes a second or two. The suite's clock is
frozen on 25 November 2026 (tests/conftest.py); the command takes its "today" from it."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from diary.models import DiaryEntry, DiaryMonth, month_start
from iap.models import MAX_MONTHLY_HOURS, Plan
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Contract
from payroll.models import PayrollLine
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.scale import accounts
from skola_kopiena.schools.models import SchoolYear

from ..factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SMALL = ["--entries", "3000", "--mentors", "20", "--institutions", "30"]


def seed(*options):
    out = io.StringIO()
    call_command("seed_scale", *SMALL, *options, stdout=out)
    return out.getvalue()


def table_counts():
    """Rows in every table of the portal's models, their history included."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_refuses_a_database_with_a_user_outside_the_seed():
    UserFactory(email="direktore@skola.lv")

    with pytest.raises(CommandError, match=r"holds real data: 1 user\(s\) outside"):
        seed()

    assert User.objects.count() == 1


def test_refuses_domain_rows_without_a_seed_account():
    InstitutionFactory(name="Īsta skola")

    with pytest.raises(
        CommandError, match=r"holds real data: schools\.Institution rows but no seed account"
    ):
        seed()


def test_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="needs PostgreSQL"):
        seed()


def test_the_busiest_mentor_has_plans_in_every_semester_and_meetings_this_month():
    output = seed()

    plans = Plan.objects.filter(mentor__user__email=accounts.MENTOR)
    semesters_with_plans = set(Plan.objects.values_list("semester", flat=True))
    assert set(plans.values_list("semester", flat=True)) == semesters_with_plans
    assert len(semesters_with_plans) >= 3, output
    current = plans.order_by("-semester__start_date").first().semester
    assert plans.filter(semester=current, status=Plan.Status.APPROVED).count() >= 3
    this_month = month_start(timezone.localdate())
    assert DiaryEntry.objects.filter(
        mentor__user__email=accounts.MENTOR, date__gte=this_month
    ).exists()
    assert "in bulk with COPY, not through the services" in output


def test_the_named_accounts_are_the_busiest_of_their_roles():
    seed()

    approver = RoleMembership.objects.get(user__email=accounts.APPROVER, role=Role.APPROVER)
    contracts = Counter(Contract.objects.values_list("employer", flat=True))
    assert contracts.most_common(1)[0][0] == approver.institution_id
    queue = Counter(
        DiaryMonth.objects.filter(status=DiaryMonth.Status.CONFIRMED).values_list(
            "plan__contract__employer", flat=True
        )
    )
    assert queue[approver.institution_id] == max(queue.values())
    staff = RoleMembership.objects.get(user__email=accounts.REGIONAL_STAFF, role=Role.STAFF)
    assert staff.region.code == "riga"
    assert RoleMembership.objects.get(user__email=accounts.NATIONAL_STAFF).region is None
    assert RoleMembership.objects.filter(
        user__email=accounts.PREPARER, role=Role.PREPARER, institution__kind="general"
    ).exists()
    # StaffMfaMiddleware lets staff in with a TOTP authenticator.
    for email in (accounts.REGIONAL_STAFF, accounts.NATIONAL_STAFF, accounts.ADMINISTRATOR):
        assert Authenticator.objects.filter(user__email=email, type="totp").exists()
    assert User.objects.get(email=accounts.MENTOR).check_password(accounts.PASSWORD)


def test_the_history_keeps_the_rules():
    seed()
    today = timezone.localdate()

    # No meeting today or later: the diary holds what has happened.
    assert not DiaryEntry.objects.filter(date__gte=today).exists()
    # CAP-1: at most six learners a mentor in a semester.
    per_mentor = Plan.objects.exclude(mentor=None).values("mentor", "semester")
    assert max(row["n"] for row in per_mentor.annotate(n=Count("pk"))) <= 6
    assert MAX_LEARNERS_PER_SEMESTER == 6
    # CAP-2: a month's meetings within the plan's monthly hours, never over 20.
    hours = defaultdict(int)
    for plan_id, date, entry_hours in DiaryEntry.objects.values_list("plan", "date", "hours"):
        hours[(plan_id, month_start(date))] += entry_hours
    monthly = dict(Plan.objects.values_list("pk", "monthly_hours"))
    assert all(h <= min(monthly[plan], MAX_MONTHLY_HOURS) for (plan, _m), h in hours.items())
    # Every confirmed, returned or approved month holds the hours of its entries; an open
    # month keeps 0 until it is confirmed, as the services leave it.
    for month in DiaryMonth.objects.all():
        expected = hours[(month.plan_id, month.month)]
        assert month.hours == (0 if month.status == DiaryMonth.Status.OPEN else expected)
    # The approvers' queue: confirmed months waiting; a closed plan's months all approved.
    assert DiaryMonth.objects.filter(status=DiaryMonth.Status.CONFIRMED).exists()
    assert not DiaryMonth.objects.filter(
        plan__status=Plan.Status.CLOSED, status__in=["open", "confirmed", "returned"]
    ).exists()
    # Pay: every approved month of two months ago or more with hours is paid, once, whole.
    paid = dict(
        PayrollLine.objects.values("diary_month")
        .annotate(h=Sum("hours"))
        .values_list("diary_month", "h")
    )
    two_months_ago = month_start(month_start(month_start(today) - DAY) - DAY)
    old = DiaryMonth.objects.filter(
        status=DiaryMonth.Status.APPROVED, hours__gt=0, month__lt=two_months_ago
    )
    assert old.exists()
    assert all(paid.get(month.pk) == month.hours for month in old)


def test_past_semesters_are_mostly_closed_and_the_current_one_mostly_approved():
    seed()

    current = Plan.objects.order_by("-semester__start_date").first().semester
    now = Counter(Plan.objects.filter(semester=current).values_list("status", flat=True))
    past = Counter(Plan.objects.exclude(semester=current).values_list("status", flat=True))
    assert now[Plan.Status.APPROVED] > 0.8 * sum(now.values())
    assert past[Plan.Status.CLOSED] > 0.9 * sum(past.values())
    # Only a terminated plan is closed before its semester ends (IAP-7, EVA-6).
    assert not Plan.objects.filter(
        semester=current, status=Plan.Status.CLOSED, terminated_on=None
    ).exists()
    # The years before the reference calendar are made up, and say so.
    assert SchoolYear.objects.filter(source__startswith="SINTĒTISKS").exists()


def test_seeding_again_empties_and_makes_the_same_data():
    first = seed()
    counts = table_counts()
    entries = list(DiaryEntry.objects.order_by("pk").values_list("plan", "starts_at", "hours"))
    users = list(User.objects.order_by("pk").values_list("email", flat=True))

    second = seed()

    assert "emptied the earlier seed's tables" not in first
    assert "emptied the earlier seed's tables" in second
    assert table_counts() == counts
    assert list(DiaryEntry.objects.order_by("pk").values_list("plan", "starts_at", "hours")) == (
        entries
    )
    assert list(User.objects.order_by("pk").values_list("email", flat=True)) == users
    assert set(users) >= {
        accounts.MENTOR,
        accounts.PREPARER,
        accounts.APPROVER,
        accounts.REGIONAL_STAFF,
        accounts.NATIONAL_STAFF,
        accounts.ADMINISTRATOR,
    }
