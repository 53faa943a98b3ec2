"""Template tags of the portal's admin pages (the `portal_admin` library)."""

import datetime

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _local_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _span(first, last, step):
    """Every year, month or day (`step`) from `first` to `last`, as dates."""
    current = first
    while current <= last:
        yield current
        if step == "day":
            current += datetime.timedelta(days=1)
        elif step == "month":
            current = (current.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        else:
            current = current.replace(year=current.year + 1, month=1, day=1)


def date_hierarchy(cl):
    """Django's date drill-down, with its years, months and days taken from the first and the
    last date of the list (an index gives both at once) rather than from every row's date:
    the access log only grows, and listing its distinct years read all of it on every page.
    A day without rows may be offered; it then shows an empty list."""
    field = cl.date_hierarchy
    year, month, day = (cl.params.get(f"{field}__{part}") for part in ("year", "month", "day"))

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    year_field, month_field, day_field = f"{field}__year", f"{field}__month", f"{field}__day"
    if year and month and day:
        chosen = datetime.date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    span = cl.queryset.aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return {"show": True, "back": None, "choices": []}
    first, last = _local_date(span["first"]), _local_date(span["last"])
    if not year and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month
    if year and month:
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in _span(first, last, "day")
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in _span(first.replace(day=1), last, "month")
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: y.year}), "title": str(y.year)}
            for y in _span(first.replace(month=1, day=1), last, "year")
        ],
    }


@register.tag(name="portal_date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=date_hierarchy, template_name="date_hierarchy.html", takes_context=False
    )
