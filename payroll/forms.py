from django import forms
from django.utils.translation import gettext_lazy as _

from skola_kopiena.schools.models import Region

from . import policies
from .models import PayrollExport

WHOLE_COUNTRY = ""


class ExportForm(forms.Form):
    """The format of an export; for project staff also the region (national staff: the
    whole country or one region)."""

    file_format = forms.ChoiceField(
        label=_("Format"), choices=PayrollExport.Format.choices, initial="xlsx"
    )

    def __init__(self, *args, acting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if acting is None:
            return
        regions = policies.export_regions(acting)
        choices = [] if regions != [None] else [(WHOLE_COUNTRY, _("The whole country"))]
        listed = (
            Region.objects.all() if regions == [None] else Region.objects.filter(pk__in=regions)
        )
        choices += [(str(region.pk), region.name) for region in listed.order_by("name")]
        self.fields["region"] = forms.ChoiceField(label=_("Region"), choices=choices)

    def clean_region(self):
        value = self.cleaned_data["region"]
        return Region.objects.get(pk=value) if value != WHOLE_COUNTRY else None
