import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from diary.models import DiaryMonth, month_start, months_from
from skola_kopiena.collation import latvian
from skola_kopiena.schools.calendar import MENTORING_FIRST_DAY

from .models import MonthVerification

SAMPLE_MAX = 50


class VerificationFilterForm(forms.Form):
    """APR-4: which months to check. An invalid value (a hand-edited address) is said at its
    field and filters nothing; the other filters still apply."""

    menesis = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=datetime.date.fromisoformat, empty_value=None
    )
    darba_devejs = forms.TypedChoiceField(
        label=_("Employer"), required=False, coerce=int, empty_value=None
    )
    mentors = forms.CharField(label=_("Mentor's name"), required=False, max_length=100)
    statuss = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Confirmed or approved")),
            (DiaryMonth.Status.CONFIRMED, _("confirmed, waiting for the employer")),
            (DiaryMonth.Status.APPROVED, _("approved by the employer")),
        ],
    )
    parbaude = forms.ChoiceField(
        label=_("Checked"),
        required=False,
        choices=[
            ("", _("All")),
            ("none", _("not checked yet")),
            (MonthVerification.Outcome.VERIFIED, _("verified")),
            (MonthVerification.Outcome.FINDING, _("with a finding")),
        ],
    )
    paraugs = forms.IntegerField(
        label=_("Random sample of approved months"),
        required=False,
        min_value=1,
        max_value=SAMPLE_MAX,
        help_text=_("How many, at most %(n)s.") % {"n": SAMPLE_MAX},
    )
    sekla = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, employers, today):
        super().__init__(data)
        # One query for the choices, which also check the value given.
        employer_choices = employers.order_by(latvian("name")).values_list("pk", "name")
        self.fields["darba_devejs"].choices = [("", _("All employers")), *employer_choices]
        # CAL-1: the months from the first month of mentoring to this one.
        this_month = month_start(today)
        self.fields["menesis"].choices = [("", _("This semester; waiting: all"))] + [
            (month.isoformat(), date_format(month, "F Y"))
            for month in reversed(list(months_from(MENTORING_FIRST_DAY, this_month)))
        ]

    def filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # the valid fields' values
        return {
            "month": data.get("menesis"),
            "employer": data.get("darba_devejs"),
            "mentor": data.get("mentors", "").strip(),
            "status": data.get("statuss") or None,
            "checked": data.get("parbaude") or None,
        }

    def since(self, semester_start):
        """The first month listed when none is chosen: the semester's, so that the list does
        not grow with the years; none for the months still waiting for the employer, which
        are few, and whose oldest are the late ones (APR-2)."""
        filters = self.filters()
        if filters["month"] or filters["status"] == DiaryMonth.Status.CONFIRMED:
            return None
        return semester_start

    def sample(self):
        """(size, seed) of the spot check asked for, or None."""
        if not self.is_valid() or not self.cleaned_data.get("paraugs"):
            return None
        return self.cleaned_data["paraugs"], self.cleaned_data.get("sekla") or 0


class VerificationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the check"),
        choices=MonthVerification.Outcome.choices,
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=_("Finding (what does not match, and where)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
