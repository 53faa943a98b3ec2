from django import forms
from django.utils.translation import gettext_lazy as _

from skola_kopiena.collation import latvian, sort_key
from skola_kopiena.files.fields import PrivateUploadField
from skola_kopiena.files.validation import SPREADSHEET_KINDS
from skola_kopiena.schools.models import Municipality, Region

from .models import MAX_LEARNERS_PER_SEMESTER, phone_validator


class RegistrySearchForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by(latvian("name")),
        required=False,
        empty_label=_("All municipalities"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by(latvian("name")),
        required=False,
        empty_label=_("All regions"),
    )
    name = forms.CharField(label=_("Name or certificate number"), required=False, max_length=100)
    # REG-2: those a preparer can invite (available, not hidden from the search); the
    # overview's "mentors ready" and free places count these.
    gatavi = forms.BooleanField(label=_("Only mentors ready to work"), required=False)
    # CAP-1: the overview's load figures link here, one number of learners each.
    skoleni = forms.TypedChoiceField(
        label=_("Learners this semester"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any number"))]
        + [(n, str(n)) for n in range(MAX_LEARNERS_PER_SEMESTER + 1)],
    )


class ChangeRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by(latvian("name")), empty_label=None
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities where you are ready to work"),
        queryset=Municipality.objects.select_related("region").order_by(latvian("name")),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-groups"}),
        error_messages={"required": _("Choose at least one municipality.")},
    )
    note = forms.CharField(
        label=_("Note to the coordinator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 43 checkboxes are easier to scan grouped by planning region.
        field = self.fields["municipalities"]
        groups = {}
        for municipality in field.queryset:
            groups.setdefault(municipality.region.name, []).append(
                (municipality.pk, municipality.name)
            )
        field.choices = sorted(groups.items(), key=lambda group: sort_key(group[0]))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        phone_validator(phone)
        return phone


class ChangeRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("apply", _("Apply")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    decision_note = forms.CharField(
        label=_("Reason or note (the mentor sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegistryImportForm(forms.Form):
    file = PrivateUploadField(
        label=_("Spreadsheet of trained mentors"),
        kinds=SPREADSHEET_KINDS,
        help_text=_(
            "CSV or XLSX with the columns: vārds, uzvārds, e-pasts, tālrunis, apliecības "
            "numurs, reģions, pašvaldības (several municipalities separated by semicolons)."
        ),
    )
