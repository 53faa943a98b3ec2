"""Payroll of `manage.py demo`: the months the demo approver's school has closed (PAY-6).

The approver of Rīgas 64. vidusskola closes, through `payroll.services.payroll_close`, each
month in which the school had approved hours, up to the month before last, on the day after
its approval deadline (APR-2), as it would have happened (diary.py approves before the
deadline). Last month is left open for the approver to close in the browser. The months that
were returned or still wait for approval (diary.py) are in no run: "Darba samaksa" and
"Mana samaksa" show them as not payable yet, with their reason. Idempotent: a school that has
closed any month is left as it is.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from diary.models import DiaryMonth
from payroll.models import PayrollRun
from payroll.selectors import previous_month
from payroll.services import payroll_close
from skola_kopiena.accounts.models import User
from skola_kopiena.demo.plans import RIGA_SCHOOL, _on_day
from skola_kopiena.schools.models import Institution


def create_payroll(*, warn):
    school = Institution.objects.filter(name=RIGA_SCHOOL).first()
    approver = User.objects.filter(email="approver@demo.lv").first()
    if school is None or approver is None:
        return
    if PayrollRun.objects.filter(employer=school).exists():
        return  # an earlier run, or closed in the browser since
    # PAY-1: pay is computed monthly for the previous month; last month is the approver's.
    before_last = previous_month(previous_month())
    months = set(
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.APPROVED,
            plan__contract__employer=school,
            month__lte=before_last,
            hours__gt=0,
        ).values_list("month", flat=True)
    )
    months.add(before_last)  # closed even if nothing was approved then: a run without lines
    for month in sorted(months):
        closed_on = school.hours_approval_deadline(month) + datetime.timedelta(days=1)
        try:
            with transaction.atomic(), _on_day(closed_on):
                payroll_close(actor=approver, employers=[school], month=month)
        except ValidationError as error:
            warn(f"Demo payroll of {school}, {date_format(month, 'F Y')}, skipped: {error}")
            return
