from django import forms
from django.utils.translation import gettext_lazy as _

from skola_kopiena.collation import latvian
from skola_kopiena.schools.models import Municipality, Region

from .models import phone_validator


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


class ChangeRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by(latvian("name")), empty_label=None
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities where you are ready to work"),
        queryset=Municipality.objects.select_related("region").order_by(latvian("name")),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one municipality.")},
    )
    note = forms.CharField(
        label=_("Note to the coordinator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

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
    file = forms.FileField(
        label=_("Spreadsheet of trained mentors"),
        help_text=_(
            "CSV or XLSX with the columns: vārds, uzvārds, e-pasts, tālrunis, apliecības "
            "numurs, reģions, pašvaldības (separated by semicolons)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The spreadsheet is larger than 5 MB."))
        return upload

