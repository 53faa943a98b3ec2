from django import forms
from django.utils.translation import gettext_lazy as _

from iap.forms import DateInput
from skola_kopiena.parsing import MentoringDateField

from .models import DiaryEntry


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class EntryForm(forms.ModelForm):
    class Meta:
        model = DiaryEntry
        fields = ["date", "start_time", "end_time", "place", "topic", "result", "comment"]
        # CAL-1 at the field: a date such as 31.12.9999 never reaches the service, where a
        # meeting ending at 00:00 ends on the next day.
        field_classes = {"date": MentoringDateField}
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(attrs={"step": 300}),
            "end_time": TimeInput(attrs={"step": 300}),
            "topic": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }
        # In the house's words at the field; DIA-2 is checked again by the service.
        error_messages = {
            "date": {
                "required": _("Enter the date of the meeting."),
                "invalid": _("Enter the date of the meeting, for example 25.11.2026."),
            },
            "start_time": {
                "required": _("Enter when the meeting starts."),
                "invalid": _("Enter the time as hours and minutes, for example 15:00."),
            },
            "end_time": {
                "required": _("Enter when the meeting ends."),
                "invalid": _("Enter the time as hours and minutes, for example 16:20."),
            },
            "place": {"required": _("Enter where you meet.")},
            "topic": {"required": _("Enter the topic or the intended results.")},
        }
        help_texts = {
            "place": _(
                "Meetings are in person: a park, a library, a museum, a café… "
                "Preferably outside the school."
            ),
            "topic": _("For example: a walk and getting to know each other."),
            "result": _("Fill in after the meeting: what was achieved, how it went."),
            "comment": _("Optional: your observations and notes."),
        }

    def _post_clean(self):
        # The service checks the entry with its plan (hours, calendar, overlaps).
        pass


class MonthDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the mentor sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
