"""The one place where ids and dates from URLs, query strings and forms are parsed.

What does not fit is refused before it reaches a query or a date computation: in a URL or a
query string it answers 404, as Django's own path converters do for a path that names nothing;
in a form it is an error beside the field. Never a 500 from "abc", "1.5", "NaN", a number past
the database's bigint, a repeated parameter, or a date such as 31.12.9999 whose next day
overflows.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from skola_kopiena.schools.calendar import MENTORING_FIRST_DAY, PROJECT_LAST_DAY

# Primary keys are bigint (DEFAULT_AUTO_FIELD).
MAX_ID = 2**63 - 1
# ASCII digits only: str.isdigit() and int() also take "²" and Arabic-Indic digits.
ID_PATTERN = re.compile(r"[0-9]{1,19}", re.ASCII)
ISO_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Diary months exist only in the project's years (2024-07-01 … 2029-08-31, CAL-1).
FIRST_YEAR = 2024
LAST_YEAR = PROJECT_LAST_DAY.year


def parse_id(value):
    """A positive whole number that fits a bigint id; anything else answers 404."""
    if value is None or not ID_PATTERN.fullmatch(value):
        raise Http404
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


def single_value(params, name):
    """The one value of `name` in a QueryDict (GET or POST), None when absent.

    A repeated parameter answers 404: which of two ids was meant is not ours to guess.
    """
    values = params.getlist(name)
    if len(values) > 1:
        raise Http404
    return values[0] if values else None


def id_param(params, name):
    """A required id from a query string or a posted form, e.g. `?mentor=12`."""
    return parse_id(single_value(params, name))


def mentoring_date_param(params, name):
    """An optional ISO date (yyyy-mm-dd) inside CAL-1's period, e.g. `?datums=2026-12-01`;
    None when absent."""
    value = single_value(params, name)
    if value is None:
        return None
    if not ISO_DATE_PATTERN.fullmatch(value):
        raise Http404
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Http404 from error
    if not MENTORING_FIRST_DAY <= day <= PROJECT_LAST_DAY:
        raise Http404
    return day


class MentoringDateField(forms.DateField):
    """CAL-1: the date of a meeting, refused at the field outside the mentoring period, so that
    the diary's services never compute with a date whose next day does not exist (a meeting
    ending at 00:00 ends on the next day)."""

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "min": MENTORING_FIRST_DAY.isoformat(),
            "max": PROJECT_LAST_DAY.isoformat(),
        }

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < MENTORING_FIRST_DAY:
            raise ValidationError(
                _("Mentoring starts on %(date)s."),
                code="CAL-1",
                params={"date": date_format(MENTORING_FIRST_DAY)},
            )
        if value > PROJECT_LAST_DAY:
            raise ValidationError(
                _("The project ends on %(date)s."),
                code="CAL-1",
                params={"date": date_format(PROJECT_LAST_DAY)},
            )


# Path converters, registered in the root URLconf before the apps' URLconfs that use them.
# A ValueError in to_python makes the pattern not match: the path answers 404.


class IdConverter:
    """`<id:pk>`: like `<int:pk>`, but only what fits a bigint id."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(self.to_python(str(value)))


class YearConverter:
    """`<year:year>`: a year of the project."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value):
        return str(self.to_python(str(value)))


class MonthConverter:
    """`<month:month>`: 1..12 (also written 01..09)."""

    regex = "[0-9]{1,2}"

    def to_python(self, value):
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(value)
        return month

    def to_url(self, value):
        return str(self.to_python(str(value)))
