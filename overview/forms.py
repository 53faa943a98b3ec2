from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import CLOSED_QUESTIONS, Answer, Evaluation
from iap.forms import DateInput
from skola_kopiena.accounts.models import AccessLog

from .models import AccessLogExport, ReportExport


class AnswerFilterForm(forms.Form):
    """EVA-3: which answer of the evaluations the list shows, as the overview links to it."""

    jautajums = forms.ChoiceField(
        choices=[
            (question, Evaluation._meta.get_field(question).verbose_name)
            for question, _comment in CLOSED_QUESTIONS
        ]
    )
    atbilde = forms.ChoiceField(choices=Answer.choices)
    regions = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [("", "")] + [(region.pk, "") for region in regions]


class ReportExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contents"), choices=ReportExport.Kind.choices)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, empty_value=None, required=False)
    file_format = forms.ChoiceField(label=_("Format"), choices=ReportExport.Format.choices)
    periods = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All your regions"))] + [
            (region.pk, str(region)) for region in regions
        ]


class AccessLogExportForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=DateInput())
    until = forms.DateField(label=_("To"), widget=DateInput())
    action = forms.ChoiceField(
        label=_("What was done"),
        choices=[("", _("All")), *AccessLog.Action.choices],
        required=False,
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=AccessLogExport.Format.choices)
