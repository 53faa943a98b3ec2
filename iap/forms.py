from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skola_kopiena.collation import latvian
from skola_kopiena.files.fields import PrivateUploadField
from skola_kopiena.schools.models import Municipality, Region, SchoolYear, Semester

from . import services
from .models import MAX_MONTHLY_HOURS, Learner, Plan, PlanRisk, SupportMeasure

# A number's limits in the house's words at the field, not Django's "Ensure this value is less
# than or equal to 20". The codes stay Django's (min_value, max_value, invalid); a message may
# name the limit as %(limit_value)s.
MONTHLY_HOURS_MESSAGES = {
    "required": _("Enter the mentoring hours per month."),
    "invalid": _("Enter the hours as a whole number, for example 8."),
    "min_value": _("At least one academic hour a month."),
    # CAP-2
    "max_value": _("At most %(limit_value)s academic hours of mentoring a month for one learner."),
}
GRADE_MESSAGES = dict.fromkeys(
    ("invalid", "min_value", "max_value"), _("The grade is a whole number from 1 to 12.")
)
COURSE_MESSAGES = dict.fromkeys(
    ("invalid", "min_value", "max_value"), _("The course is a whole number from 1 to 4.")
)


def whole_number(field, low, high, messages):
    """Limit a number field to low..high at the form and in the browser, with `messages`.

    A model's own validators run only in a ModelForm's _post_clean, which some forms leave to
    their service: then Django's generic message would reach the person.
    """
    field.min_value, field.max_value = low, high
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, (MinValueValidator, MaxValueValidator))
    ] + [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})
    field.error_messages.update(messages)
    return field


class DateInput(forms.DateInput):
    # The browser's date picker on phones; the value travels as ISO (yyyy-mm-dd).
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LearnerForm(forms.ModelForm):
    class Meta:
        model = Learner
        fields = ["first_name", "last_name", "birth_date", "education", "grade", "course"]
        widgets = {
            "birth_date": DateInput(),
            "education": forms.RadioSelect,
        }
        error_messages = {
            "education": {"required": _("Choose general or vocational education.")},
            "grade": GRADE_MESSAGES,
            "course": COURSE_MESSAGES,
        }
        help_texts = {
            "grade": _("For general education: 1–12."),
            "course": _("For vocational education: 1–4."),
            "birth_date": _(
                "Needed to check the age (13 or more) and who signs the application. "
                "No personal code is kept."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios without Django's blank "---------" option, none checked until chosen.
        self.fields["education"].choices = Learner.Education.choices
        whole_number(self.fields["grade"], 1, 12, GRADE_MESSAGES)
        whole_number(self.fields["course"], 1, 4, COURSE_MESSAGES)

    def validate_unique(self):
        # The service checks the whole learner (with its institution) and says so at the form.
        pass


class SemesterSelect(forms.Select):
    """The semesters, each option with the plan's default start date in that semester
    (`data-start-date`, ISO) when the form knows the learner."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Assigned whole, never changed in place: copies of the widget share the dict.
        self.start_dates = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        start = self.start_dates.get(str(value))
        if start is not None:
            option["attrs"]["data-start-date"] = start.isoformat()
        return option


class PlanForm(forms.ModelForm):
    risks = forms.MultipleChoiceField(
        label=_("Module II risks"),
        choices=PlanRisk.Risk.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_risk = forms.CharField(label=_("Describe the other risk"), required=False, max_length=255)

    class Meta:
        model = Plan
        fields = [
            "semester",
            "start_date",
            "module",
            "category",
            "risks",
            "other_risk",
            "strengths",
            "interests",
            "desired_results",
            "monthly_hours",
            "meeting_times",
        ]
        widgets = {
            "start_date": DateInput(),
            "semester": SemesterSelect,
            "module": forms.RadioSelect,
            "category": forms.RadioSelect,
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "desired_results": forms.Textarea(attrs={"rows": 3}),
            "meeting_times": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "monthly_hours": _("Academic hours (40 minutes), at most 20 a month."),
            "start_date": _("The learner must be 13 or older on this day."),
            "meeting_times": _("For example: Tuesdays after 15:00, Saturday mornings."),
        }
        error_messages = {
            "semester": {"required": _("Choose the semester.")},
            "start_date": {"required": _("Enter the start date.")},
            "module": {"required": _("Choose the module: I or II.")},
            "monthly_hours": MONTHLY_HOURS_MESSAGES,
        }

    def __init__(self, *args, editing=False, learner=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # The current semester and those to come.
        self.fields["semester"].queryset = Semester.objects.filter(
            Q(end_date__gte=today) | Q(end_date_grade_12__gte=today)
        ).select_related("school_year")
        self.fields["semester"].empty_label = None
        self.fields["category"].choices = Plan.Category.choices
        self.fields["category"].required = False
        self.fields["module"].choices = Plan.Module.choices
        # CAP-2 at the form: the service's full_clean would say it in Django's words.
        whole_number(self.fields["monthly_hours"], 1, MAX_MONTHLY_HOURS, MONTHLY_HOURS_MESSAGES)
        if editing:
            self.fields["semester"].disabled = True
        elif learner is not None:
            # CAL-2: each semester's first day for this learner; static/js/forms.js moves the
            # start date with the chosen semester (without JavaScript, the server's default).
            semester = self.fields["semester"]
            semester.widget.start_dates = {
                str(choice.pk): services.plan_default_dates(learner, choice)[0]
                for choice in semester.queryset
            }
            semester.widget.attrs["data-start-date-field"] = self["start_date"].auto_id
        if self.instance.pk:
            risks = list(self.instance.risks.all())
            self.initial["risks"] = [r.risk for r in risks]
            self.initial["other_risk"] = next(
                (r.description for r in risks if r.risk == PlanRisk.Risk.OTHER), ""
            )

    def validate_unique(self):
        # IAP-1 is checked by the service, which names the learner and the semester.
        pass

    def _post_clean(self):
        # The model's own checks need the learner; the service runs them with it.
        pass

    def risk_pairs(self):
        other = self.cleaned_data.get("other_risk", "")
        return [
            (risk, other if risk == PlanRisk.Risk.OTHER else "")
            for risk in self.cleaned_data.get("risks", [])
        ]

    def service_fields(self):
        data = self.cleaned_data
        return {
            "module": data["module"],
            "category": data.get("category") or "",
            "risks": self.risk_pairs(),
            "start_date": data["start_date"],
            "strengths": data["strengths"],
            "interests": data["interests"],
            "desired_results": data["desired_results"],
            "monthly_hours": data["monthly_hours"],
            "meeting_times": data["meeting_times"],
        }


class MeasureForm(forms.ModelForm):
    class Meta:
        model = SupportMeasure
        fields = ["kind", "provider", "description"]


class InvitationForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the mentor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Do not write sensitive information about the learner: the mentor sees the "
            "profile in the portal."
        ),
    )


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContractChoiceForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, empty_label=None)

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class ContractForm(forms.Form):
    YEAR = "year"

    employer = forms.ModelChoiceField(label=_("Employer"), queryset=None, empty_label=None)
    period = forms.ChoiceField(label=_("Period"), widget=forms.RadioSelect)
    contract_number = forms.CharField(label=_("Contract number"), required=False, max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    background_check_date = forms.DateField(
        label=_("Background check date"),
        widget=DateInput(),
        help_text=_(
            "Education Law art. 50 and Children's Rights Protection Law art. 72(5). "
            "Record only that the check was done; never its details."
        ),
    )
    background_check_by = forms.CharField(
        label=_("Background check done by"),
        max_length=150,
        help_text=_("Name and position of the employee who checked the mentor."),
    )
    signed_file = PrivateUploadField(label=_("Signed contract"))

    def __init__(self, *args, employers, semester, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.semester = semester
        self.fields["period"].choices = [
            ("semester", _("%(semester)s only") % {"semester": semester}),
            (self.YEAR, _("the whole school year %(year)s") % {"year": semester.school_year}),
        ]
        self.fields["period"].initial = "semester"


class UploadForm(forms.Form):
    file = PrivateUploadField(label=_("File"))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["situation", "situation_plan", "provider_commits", "learner_commits"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def _post_clean(self):
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(
        label=_("What must be corrected (for returning)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HoursForm(forms.Form):
    monthly_hours = forms.IntegerField(
        label=_("New mentoring hours per month"),
        min_value=1,
        max_value=MAX_MONTHLY_HOURS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=MONTHLY_HOURS_MESSAGES,
    )
    reason = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Last day of mentoring"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for termination"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: contact with the learner cannot be established."),
    )


class ExtendForm(forms.Form):
    extended_until = forms.DateField(
        label=_("End date of the extra learning measures"), widget=DateInput()
    )
    order_file = PrivateUploadField(label=_("Copy of the head's order"))


class AuditGrantForm(forms.Form):
    auditor = forms.ModelChoiceField(label=_("Auditor"), queryset=None)
    until = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        help_text=_("The last day the auditor reads the plan; the access lapses after it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = services.auditors().order_by("last_name", "first_name")


class PlanFilterForm(forms.Form):
    """The plan list's filters besides the semester, as the overview's figures link to them
    (`?statuss=…&modulis=…`); a value that is not valid filters nothing."""

    statuss = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Plan.Status.choices], required=False
    )
    modulis = forms.ChoiceField(
        label=_("Module"), choices=[("", _("All")), *Plan.Module.choices], required=False
    )
    kategorija = forms.ChoiceField(
        label=_("Module I category"),
        choices=[("", _("All")), *Plan.Category.choices],
        required=False,
    )
    risks = forms.ChoiceField(
        label=_("Risk"), choices=[("", _("All")), *PlanRisk.Risk.choices], required=False
    )
    regions = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by(latvian("name")),
        required=False,
        empty_label=_("All regions"),
    )
    pasvaldiba = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by(latvian("name")),
        required=False,
        empty_label=_("All municipalities"),
    )
    gads = forms.ModelChoiceField(
        queryset=SchoolYear.objects.all(), required=False, widget=forms.HiddenInput
    )
    notika = forms.BooleanField(label=_("Mentoring took place"), required=False)
    # The overview's planned hours of a month link to the plans running in it ("2026-10").
    menesis = forms.DateField(required=False, input_formats=["%Y-%m"], widget=forms.HiddenInput)
    bez_mentora = forms.BooleanField(label=_("Without a mentor"), required=False)

    def filters(self):
        """The valid filters, for `selectors.plan_list`."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("statuss") or None,
            "module": data.get("modulis") or None,
            "category": data.get("kategorija") or None,
            "risk": data.get("risks") or None,
            "region": data.get("regions"),
            "municipality": data.get("pasvaldiba"),
            "mentoring_ran": bool(data.get("notika")),
            "without_mentor": bool(data.get("bez_mentora")),
            "month": data.get("menesis"),
        }

    def school_year(self):
        """A whole school year instead of the semester filter (the overview's year links)."""
        return self.cleaned_data.get("gads") if self.is_valid() else None

    def semester_ids(self, semesters):
        """The semesters listed: the school year's, when one is asked for, else those of the
        semester choice (`semesters`, a `calendar.semester_choice`)."""
        year = self.school_year()
        if year is None:
            return semesters.shown_ids
        return [s.pk for s in semesters.semesters if s.school_year_id == year.pk]
