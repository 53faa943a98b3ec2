from django import forms
from django.utils.translation import gettext_lazy as _

from diary.forms import TimeInput
from iap.forms import DateInput

from .models import MAX_CAPACITY, Session


class SessionForm(forms.ModelForm):
    """SUP-1: a new session. The region is asked only of staff with more than one region."""

    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("From 1 to 30 mentors."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        # SUP-1 in the house's words, not Django's "Ensure this value is less than or equal to".
        error_messages={
            "required": _("Enter the number of places."),
            "invalid": _("Enter the places as a whole number, for example 12."),
            "min_value": _("A session has at least one place."),
            "max_value": _("A session has at most %(limit_value)s places."),
        },
    )

    class Meta:
        model = Session
        fields = ["date", "start_time", "place", "region", "target_group", "capacity", "supervisor"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(attrs={"step": 300}),
            "target_group": forms.RadioSelect,
        }
        labels = {"supervisor": _("Supervisor's name")}
        error_messages = {
            "date": {"required": _("Enter the date of the session.")},
            "start_time": {
                "required": _("Enter the start time."),
                "invalid": _("Enter the time as hours and minutes, for example 10:00."),
            },
            "place": {"required": _("Enter the room and its address.")},
            "region": {"required": _("Choose the region.")},
            "target_group": {"required": _("Choose the target group.")},
            "supervisor": {"required": _("Enter the supervisor's name.")},
        }
        help_texts = {
            # SUP-1: SESSION_MINUTES, in words.
            "start_time": _("A session lasts 3 hours (180 minutes)."),
            "place": _("Supervision is in person: the room and its address."),
            "target_group": _(
                "Each target group has its own supervision group: mentors working with "
                "learners of one target audience."
            ),
        }

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(regions)
        self.fixed_region = regions[0] if len(regions) == 1 else None
        if self.fixed_region is not None:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = self.fields["region"].queryset.filter(
                pk__in=[region.pk for region in regions]
            )
            self.fields["region"].empty_label = _("Choose the region")
        self.fields["target_group"].choices = Session.TargetGroup.choices

    def _post_clean(self):
        # The service checks the session's rules (SUP-1) and reports each at its field.
        pass

    def session_fields(self):
        data = self.cleaned_data
        return {
            "date": data["date"],
            "start_time": data["start_time"],
            "place": data["place"],
            "region": self.fixed_region or data["region"],
            "target_group": data["target_group"],
            "capacity": data["capacity"],
            "supervisor": data["supervisor"],
        }


ATTENDED, ABSENT = "yes", "no"


class AttendanceForm(forms.Form):
    """SUP-1: for each mentor signed up, whether they attended."""

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.signups = signups
        for signup in signups:
            name = signup.mentor.full_name
            self.fields[f"signup_{signup.pk}"] = forms.ChoiceField(
                label=name,
                choices=[(ATTENDED, _("Attended")), (ABSENT, _("Did not attend"))],
                widget=forms.RadioSelect,
                initial={True: ATTENDED, False: ABSENT}.get(signup.attended),
                error_messages={"required": _("Say whether %(name)s attended.") % {"name": name}},
            )

    def marks(self):
        """{sign-up id: attended}."""
        return {
            signup.pk: self.cleaned_data[f"signup_{signup.pk}"] == ATTENDED
            for signup in self.signups
        }
