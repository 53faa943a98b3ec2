"""PAY-2, PAY-6: the unit-cost standard rates per academic hour."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from payroll import services
from payroll.models import Rate, to_cents

D = datetime.date
BASIS = "Vienas vienības izmaksu standarta likmes metodika, 01.09.2026"


def rate(actor, valid_from, valid_to=None, amount="14.20", **parts):
    return services.rate_save(
        actor=actor,
        rate=Rate(
            valid_from=valid_from,
            valid_to=valid_to,
            amount=Decimal(amount),
            legal_basis=BASIS,
            **parts,
        ),
    )


def test_a_month_is_paid_at_the_rate_in_force_on_its_first_day(cast):
    # PAY-2: revised once a year; PAY-6: the rate of the month's first day.
    rate(cast.admin, D(2026, 1, 1), D(2026, 8, 31), "13.80")
    rate(cast.admin, D(2026, 9, 2), amount="14.20")  # from 2 September, open-ended
    assert Rate.objects.in_force_on(D(2026, 8, 1)).amount == Decimal("13.80")
    assert Rate.objects.in_force_on(D(2026, 9, 1)) is None  # no rate on 1 September
    assert Rate.objects.in_force_on(D(2027, 3, 1)).amount == Decimal("14.20")


def test_two_rates_never_overlap(cast):
    # PAY-2: one rate at a time, an open end included.
    rate(cast.admin, D(2026, 1, 1))
    for valid_from, valid_to in ((D(2026, 6, 1), D(2026, 12, 31)), (D(2025, 1, 1), D(2026, 1, 1))):
        with pytest.raises(ValidationError) as error:
            rate(cast.admin, valid_from, valid_to)
        assert error.value.error_dict["valid_from"][0].code == "PAY-2"
    assert Rate.objects.count() == 1
    assert rate(cast.admin, D(2025, 1, 1), D(2025, 12, 31)).pk  # the day before: fits


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint")
def test_a_rate_that_races_past_the_check_gets_the_pay_2_message(cast, monkeypatch):
    # PAY-2 in the database: as when two coordinators save at the same moment.
    rate(cast.admin, D(2026, 1, 1))
    monkeypatch.setattr(Rate, "clean", lambda self: None)
    with pytest.raises(ValidationError) as error:
        rate(cast.admin, D(2026, 6, 1))
    assert error.value.error_dict["valid_from"][0].code == "PAY-2"
    assert Rate.objects.count() == 1


def test_the_parts_of_a_rate_add_up_to_it(cast):
    # PAY-2: salary, holiday pay and the employer's contributions, so that the accountant
    # sees the gross wage; all three, or none.
    parts = {
        "salary": Decimal("10.70"),
        "holiday_pay": Decimal("0.93"),
        "social_contributions": Decimal("2.57"),
    }
    assert rate(cast.admin, D(2026, 1, 1), **parts).salary == Decimal("10.70")
    with pytest.raises(ValidationError):
        rate(cast.admin, D(2027, 1, 1), **(parts | {"salary": Decimal("10.00")}))
    with pytest.raises(ValidationError):
        rate(cast.admin, D(2027, 1, 1), salary=Decimal("14.20"))
    assert Rate.objects.count() == 1


def test_money_is_rounded_to_cents_half_up_once_per_line():
    # PAY-6
    assert to_cents(Decimal("14.205") * 3) == Decimal("42.62")  # 42.615 → 42.62
    assert to_cents(Decimal("2.675")) == Decimal("2.68")
    assert to_cents(Decimal("7") * Decimal("13.80")) == Decimal("96.60")


def test_the_national_team_keeps_the_rates_in_the_admin_and_coordinators_read_them(
    cast, client_for
):
    # PAY-2: an overlapping period is refused at the field; nothing saved.
    form = {
        "valid_from": "2026-09-01",
        "valid_to": "",
        "amount": "14.20",
        "legal_basis": BASIS,
        "salary": "",
        "holiday_pay": "",
        "social_contributions": "",
    }
    admin = client_for(cast.admin)
    assert admin.post("/admin/payroll/rate/add/", form).status_code == 302
    saved = Rate.objects.get()
    assert saved.history.get().history_user == cast.admin
    refused = admin.post("/admin/payroll/rate/add/", form | {"valid_from": "2027-01-01"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors.as_data()["valid_from"][0].code == "PAY-2"
    assert Rate.objects.count() == 1
    staff = client_for(cast.staff)
    assert staff.get("/admin/payroll/rate/").status_code == 200
    assert staff.post("/admin/payroll/rate/add/", form).status_code == 403
