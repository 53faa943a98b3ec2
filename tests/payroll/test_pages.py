"""PAY-5 "Mana samaksa" and PAY-3 "Darba samaksa" as their users see them."""

from decimal import Decimal

from django.contrib.messages import get_messages

from payroll.models import PayrollRun
from tests.factories import advance_plan, make_learner, make_plan

from .conftest import OCTOBER, SEPTEMBER, D, T, approve, scan


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_mentor_sees_own_pay_per_month_and_employer(cast, client_for, rate, autumn_plan, held):
    # PAY-5: approved hours per learner, rate, amount, status with reason; semester totals.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    held(autumn_plan, D(2026, 11, 3), T(15, 0), T(17, 0))
    response = client_for(cast.mentor_user).get("/samaksa/")
    page = response.content.decode()
    pay = response.context["pay"]
    assert pay["hours"] == 3 and pay["amount"] == Decimal("42.60")
    assert pay["waiting"] == 1  # September; November is still going on
    assert "Beigušies mēneši, ko vēl nevar apmaksāt" in page  # says it counts ended ones
    assert "42,60&nbsp;€" in page and "14,20&nbsp;€" in page
    assert "Laura Ozola" in page and "Rīgas 1. vidusskola" in page
    assert "mēnesis vēl nav beidzies" in page  # November
    assert "gaida jūsu apstiprinājumu" in page  # September, never confirmed


def test_a_mentor_never_sees_another_mentors_pay(cast, client_for, rate, autumn_plan, held):
    # PAY-5: a mentor sees only their own.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    response = client_for(cast.second_mentor_user).get("/samaksa/")
    assert response.status_code == 200
    assert "Laura" not in response.content.decode() and response.context["semester"] is None
    other = client_for(cast.mentor_user).get(f"/samaksa/?semestris={autumn_plan.semester_id}9")
    assert other.status_code == 404


def test_the_pay_page_takes_the_same_queries_for_many_learners(
    cast, client_for, rate, autumn_plan, held, django_assert_num_queries
):
    client = client_for(cast.mentor_user)
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    # session, user, roles; 4 the mentor; 5 the semester under way; 6 is it among the
    # mentor's semesters (with its school year); 7 the mentor's plans of the semester;
    # 8 their months; 9 their meetings; 10 the payroll lines of those months; 11 the rates;
    # 12 the mentor's semesters with their school years (the filter); save session.
    with django_assert_num_queries(15):
        assert client.get("/samaksa/").status_code == 200
    for name in ("Otrā", "Trešā", "Ceturtā"):
        plan = advance_plan(
            make_plan(
                cast.preparer,
                make_learner(cast.preparer, cast.school, first_name=name),
                start_date=SEPTEMBER,
            ),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
            contract=autumn_plan.contract,
        )
        held(plan, D(2026, 10, 20), T(8 + len(name), 0), T(9 + len(name), 0))
    with django_assert_num_queries(15):
        assert client.get("/samaksa/").status_code == 200


def test_the_approver_closes_last_month_and_a_second_click_changes_nothing(
    cast, client_for, rate, autumn_plan, held
):
    # PAY-6
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    client = client_for(cast.approver)
    assert client.get("/darba-samaksa/").url == f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/"
    page = client.get(f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/").content.decode()
    assert "Anna Bērziņa" in page and "42,60&nbsp;€" in page and "Laura" not in page
    first = client.post(f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/slegt/")
    assert messages_of(first) == ["Slēgts darba samaksai: oktobris 2026, 3 stundas, 42,60 EUR."]
    second = client.post(f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/slegt/")
    assert "jau tika slēgts" in messages_of(second)[-1]
    assert PayrollRun.objects.get().hours == 3


def test_the_payroll_lists_the_months_not_payable_with_their_reasons(
    cast, client_for, rate, autumn_plan, held
):
    # PAY-1: which of the employer's months are not payable yet, and why.
    held(autumn_plan, D(2026, 9, 8), T(15, 0), T(17, 0))
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    scan(autumn_plan, SEPTEMBER)
    response = client_for(cast.staff).get(f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/")
    (waiting,) = response.context["not_payable"]
    assert waiting.month == SEPTEMBER
    assert waiting.reason == "gaida mentora apstiprinājumu"


def test_only_the_employers_approver_closes_its_month(cast, client_for, rate):
    # PAY-3: staff and other employers' approvers see, never close.
    url = f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/slegt/"
    assert client_for(cast.staff).post(url).status_code == 403
    assert client_for(cast.youth_approver).post(url).status_code == 404
    assert client_for(cast.preparer).post(url).status_code == 403
    assert not PayrollRun.objects.exists()


def test_the_payroll_page_takes_the_same_queries_for_many_mentors(
    cast, client_for, rate, autumn_plan, held, django_assert_num_queries
):
    from mentors.models import Mentor

    url = f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/"
    client = client_for(cast.approver)
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    # session, user, roles; 4 the employer with its municipality; 5 the month's run (none
    # yet) with who closed it; 6 the rates (once for both lists); 7 the approved months owed,
    # with mentor and contract; 8 the periods of the employer's plans of a year back, each
    # with its approved months counted; for the plans with a month not payable yet: 9 those
    # plans with mentor and contract, 10 their months, 11 their meetings and 12 the payroll
    # lines of those months; save session.
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    for index in range(3):
        user = type(cast.mentor_user).objects.create_user(email=f"m{index}@example.lv")
        from skola_kopiena.accounts.models import Role
        from tests.factories import MentorFactory, give_role

        give_role(user, Role.MENTOR)
        mentor = MentorFactory(user=user, email=user.email)
        plan = advance_plan(
            make_plan(
                cast.preparer,
                make_learner(cast.preparer, cast.school, first_name=f"L{index}"),
                start_date=SEPTEMBER,
            ),
            preparer=cast.preparer,
            mentor=mentor,
            to="approved",
            approver=cast.approver,
        )
        held(plan, D(2026, 10, 7), T(15, 0), T(17, 0))
        approve(plan, OCTOBER, cast.approver)
    assert Mentor.objects.filter(payroll_lines__isnull=True).count() == 5
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


def test_no_payroll_page_or_export_carries_the_diarys_content(
    cast, client_for, rate, autumn_plan, held
):
    # DIA-6: a canary in the diary's place, result and comment reaches no payroll page or
    # file (the reminder emails: test_reminders.py).
    import io

    from openpyxl import load_workbook

    from payroll import exports, services
    from skola_kopiena.accounts.permissions import acting_for

    canary = "KANĀRIJPUTNS-9120"
    held(
        autumn_plan,
        D(2026, 10, 6),
        T(15, 0),
        T(17, 0),
        place=f"Parks {canary}",
        result=f"Rezultāts {canary}",
        comment=f"Komentārs {canary}",
    )
    approve(autumn_plan, OCTOBER, cast.approver)
    school = f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/"
    client_for(cast.approver).post(f"{school}slegt/")
    seen = [
        client_for(cast.mentor_user).get("/samaksa/"),
        client_for(cast.approver).get(school),
        client_for(cast.staff).get(school),
        client_for(cast.staff).get("/darba-samaksa/2026-10/"),
    ]
    for response in seen:
        assert response.status_code == 200
        assert canary not in response.content.decode()
    for file_format in ("xlsx", "csv"):
        export = services.payroll_export_request(
            actor=cast.staff,
            acting=acting_for(cast.staff),
            month=OCTOBER,
            file_format=file_format,
            region=cast.riga,
        )
        exports.export_build(export_id=export.pk)
        export.refresh_from_db()
        data = export.file.read()
        if file_format == "xlsx":
            cells = load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
            data = repr(list(cells)).encode()
        assert "Anna Bērziņa".encode() in data
        assert canary.encode() not in data
