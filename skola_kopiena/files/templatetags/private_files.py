from django import template

from skola_kopiena.files.fields import download_url as private_download_url

register = template.Library()


@register.simple_tag
def download_url(obj, field_name):
    """The permission-checked address of a private file (there is no other)."""
    return private_download_url(obj, field_name)
