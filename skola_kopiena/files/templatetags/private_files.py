from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def download_url(obj, field_name):
    """The permission-checked address of a private file (there is no other)."""
    meta = obj._meta
    return reverse("files:download", args=[meta.app_label, meta.model_name, obj.pk, field_name])
