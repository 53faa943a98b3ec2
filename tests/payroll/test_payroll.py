"""PAY-1, PAY-3, PAY-4, PAY-6, DIA-10: what is payable, and the employer's payroll runs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from diary import services as diary_services
from iap import services as iap_services
from payroll import selectors, services
from payroll.models import PayrollLine, PayrollRun, Rate
from tests.factories import (
    advance_plan,
    confirm_month,
    make_contract,
    make_learner,
    make_plan,
    on,
    race,
)
from timesheets import services as approval_services

from .conftest import NOVEMBER, OCTOBER, SEPTEMBER, D, T, approve, scan


def close(approver, employer, month):
    (closing,) = services.payroll_close(actor=approver, employers=[employer], month=month)
    return closing


def pay_of(plan, month):
    (pay,) = selectors.plan_month_pay([plan], month, month, own=True)
    return pay


def test_an_approved_month_is_paid_for_its_hours_at_the_rate(cast, rate, autumn_plan, held):
    # PAY-1: confirmed, scan uploaded, approved; PAY-6: the rate of the month's first day.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))  # 3 academic hours
    held(autumn_plan, D(2026, 10, 13), T(15, 0), T(16, 20))  # 2
    approve(autumn_plan, OCTOBER, cast.approver)
    pay = pay_of(autumn_plan, OCTOBER)
    assert pay.payable and pay.reason == ""
    assert pay.hours == 5 and pay.rate == rate
    assert pay.amount == Decimal("71.00")


def test_a_month_not_payable_yet_says_why(cast, rate, autumn_plan, held):
    # PAY-1: each missing report has its reason in words.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    pay = pay_of(autumn_plan, OCTOBER)
    assert not pay.payable
    assert pay.reason == "trūkst grafika skenējuma; gaida jūsu apstiprinājumu"
    scan(autumn_plan, OCTOBER)
    assert pay_of(autumn_plan, OCTOBER).reason == "gaida jūsu apstiprinājumu"
    diary_month = confirm_month(autumn_plan, OCTOBER)
    assert pay_of(autumn_plan, OCTOBER).reason == (
        "gaida apstiprinātāju kopš 31.10.2026 (termiņš 10.11.)"
    )
    approval_services.month_return(
        actor=cast.approver, diary_month=diary_month, reason="Trūkst paraksta 6. oktobrī"
    )
    assert pay_of(autumn_plan, OCTOBER).reason == "atgriezts: Trūkst paraksta 6. oktobrī"
    assert pay_of(autumn_plan, NOVEMBER).reason == "mēnesis vēl nav beidzies"


def test_the_employers_months_not_payable_leave_out_the_approved_ones(
    cast, rate, autumn_plan, held
):
    # PAY-1: the employer's page lists the months held up, and none approved at a rate.
    held(autumn_plan, D(2026, 9, 8), T(15, 0), T(17, 0))
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    (waiting,) = selectors.not_payable(cast.school, OCTOBER)
    assert (waiting.plan, waiting.month) == (autumn_plan, SEPTEMBER)
    approve(autumn_plan, SEPTEMBER, cast.approver)
    assert selectors.not_payable(cast.school, OCTOBER) == []


def test_an_approved_month_without_a_rate_is_not_payable(cast, autumn_plan, held):
    # PAY-1, PAY-2: approved, but no rate is in force for its first day.
    held(autumn_plan, D(2026, 9, 8), T(15, 0), T(17, 0))
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, SEPTEMBER, cast.approver)
    approve(autumn_plan, OCTOBER, cast.approver)
    reasons = [(pay.month, pay.reason) for pay in selectors.not_payable(cast.school, OCTOBER)]
    assert reasons == [
        (SEPTEMBER, "01.09.2026 nav spēkā nevienas likmes"),
        (OCTOBER, "01.10.2026 nav spēkā nevienas likmes"),
    ]


def test_closing_a_month_freezes_the_employers_lines_once(cast, rate, autumn_plan, held):
    # PAY-3: the employer holding the contract pays; PAY-6: closed once, never changed.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    closing = close(cast.approver, cast.school, OCTOBER)
    assert closing.closed_now
    run = closing.run
    assert (run.employer, run.month, run.hours, run.amount) == (
        cast.school,
        OCTOBER,
        3,
        Decimal("42.60"),
    )
    (line,) = run.lines.all()
    assert line.mentor_name == "Anna Bērziņa"
    assert line.certificate_number == cast.mentor.certificate_number
    assert line.contract_label == "L-1" and line.plan == autumn_plan
    assert not line.is_correction
    again = close(cast.approver, cast.school, OCTOBER)
    assert not again.closed_now and again.run == run
    assert PayrollLine.objects.count() == 1
    # The run stays as it was even when the mentor's registry entry changes.
    cast.mentor.last_name = "Kalniņa"
    cast.mentor.save()
    line.refresh_from_db()
    assert line.mentor_name == "Anna Bērziņa"


def test_the_employer_is_the_one_holding_the_contract(cast, rate, held):
    # PAY-3: the school's learner, the youth centre's contract: the youth centre pays.
    learner = make_learner(cast.preparer, cast.school, first_name="Jānis")
    plan = advance_plan(
        make_plan(cast.preparer, learner, start_date=SEPTEMBER),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.youth_centre),
    )
    held(plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(plan, OCTOBER, cast.youth_approver)
    assert close(cast.approver, cast.school, OCTOBER).run.hours == 0
    assert close(cast.youth_approver, cast.youth_centre, OCTOBER).run.hours == 3


def test_a_month_approved_after_its_run_is_paid_next_as_a_correction(cast, rate, autumn_plan, held):
    # PAY-6: labelled with the month it belongs to.
    held(autumn_plan, D(2026, 9, 8), T(15, 0), T(17, 0))  # September: 3 hours, late
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(16, 20))  # October: 2 hours
    approve(autumn_plan, OCTOBER, cast.approver)
    october_run = close(cast.approver, cast.school, OCTOBER).run
    assert [line.month for line in october_run.lines.all()] == [OCTOBER]
    approve(autumn_plan, SEPTEMBER, cast.approver)
    with on(D(2026, 12, 2)):
        november_run = close(cast.approver, cast.school, NOVEMBER).run
    (correction,) = november_run.lines.all()
    assert correction.month == SEPTEMBER and correction.is_correction
    assert correction.hours == 3 and correction.amount == Decimal("42.60")
    october_run.refresh_from_db()
    assert october_run.hours == 2  # the closed run never changed


def test_a_month_approved_again_with_other_hours_is_corrected_by_the_difference(
    cast, rate, autumn_plan, held
):
    # PAY-6, APR-3: staff reopen a paid month; the mentor removes a meeting that did not
    # take place (DIA-10: nothing is paid for it).
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    wrong = held(autumn_plan, D(2026, 10, 13), T(15, 0), T(16, 20))
    diary_month = approve(autumn_plan, OCTOBER, cast.approver)
    assert close(cast.approver, cast.school, OCTOBER).run.hours == 5
    approval_services.month_reopen(
        actor=cast.staff, diary_month=diary_month, reason="13.10. tikšanās nenotika"
    )
    diary_services.entry_delete(actor=cast.mentor_user, entry=wrong)
    approve(autumn_plan, OCTOBER, cast.approver)
    with on(D(2026, 12, 2)):
        (line,) = close(cast.approver, cast.school, NOVEMBER).run.lines.all()
    assert (line.month, line.hours, line.amount) == (OCTOBER, -2, Decimal("-28.40"))


def test_hours_given_before_a_termination_are_paid(cast, rate, autumn_plan, held):
    # PAY-4
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    iap_services.plan_terminate(
        actor=cast.preparer,
        plan=autumn_plan,
        terminated_on=D(2026, 10, 20),
        reason="Neizdodas sazināties ar izglītojamo",
    )
    autumn_plan.refresh_from_db()
    approve(autumn_plan, OCTOBER, cast.approver)
    assert close(cast.approver, cast.school, OCTOBER).run.amount == Decimal("42.60")
    with on(D(2026, 12, 2)):
        months = selectors.plan_month_pay([autumn_plan], SEPTEMBER, NOVEMBER)
    assert [pay.month for pay in months] == [SEPTEMBER, OCTOBER]  # none after it


def test_only_academic_hours_with_the_learner_are_paid(cast, rate, autumn_plan, held):
    # DIA-10: no preparation, travel or other costs: the line is hours times the rate.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 10))  # 130 minutes: 3 hours
    approve(autumn_plan, OCTOBER, cast.approver)
    (line,) = close(cast.approver, cast.school, OCTOBER).run.lines.all()
    assert line.amount == line.hours * line.rate_amount == Decimal("42.60")
    paid = {field.name for field in PayrollLine._meta.fields}
    assert not paid & {"travel", "costs", "preparation"}


def test_a_month_that_is_not_over_cannot_be_closed(cast, rate):
    # PAY-1
    with pytest.raises(ValidationError) as error:
        close(cast.approver, cast.school, NOVEMBER)
    assert error.value.code == "PAY-1"
    assert not PayrollRun.objects.exists()


def test_a_month_without_a_rate_cannot_be_closed(cast, autumn_plan, held):
    # PAY-2: no rate is hard-coded; without one in force the month waits for it.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    with pytest.raises(ValidationError) as error:
        close(cast.approver, cast.school, OCTOBER)
    assert error.value.code == "PAY-2"
    assert pay_of(autumn_plan, OCTOBER).reason == "01.10.2026 nav spēkā nevienas likmes"


def test_a_rate_paid_in_a_closed_run_is_never_changed(cast, rate, autumn_plan, held):
    # PAY-6: the closed run never changes, so neither does its rate; it may still end.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    close(cast.approver, cast.school, OCTOBER)
    rate.amount = Decimal("15.00")
    with pytest.raises(ValidationError) as error:
        services.rate_save(actor=cast.admin, rate=rate)
    assert error.value.error_dict["amount"][0].code == "PAY-6"
    rate = Rate.objects.get(pk=rate.pk)
    rate.valid_to = D(2026, 9, 30)
    with pytest.raises(ValidationError) as error:
        services.rate_save(actor=cast.admin, rate=rate)
    assert error.value.error_dict["valid_to"][0].code == "PAY-6"
    rate.valid_to = D(2026, 12, 31)
    services.rate_save(actor=cast.admin, rate=rate)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_at_once_make_one_run(cast, rate, autumn_plan, held):
    # PAY-6: once, even when two requests race.
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    results = race(lambda: close(cast.approver, cast.school, OCTOBER))
    assert sorted(r.closed_now for r in results) == [False, True]
    assert PayrollRun.objects.count() == 1 and PayrollLine.objects.count() == 1
