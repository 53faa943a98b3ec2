"""A person's complete record, for a data-protection access request or an audit: one ZIP for a
learner (their plans, documents, diary months, evaluations) or a mentor (registry entry,
contracts, diaries, pay), each table a CSV of every field, the history of every change, the
uploaded files, and a list of what it holds."""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.models import DiaryEntry, DiaryMonth
from evaluation.models import Decision, Evaluation
from iap.models import Invitation, Learner, Plan, PlanRisk, SupportMeasure
from mentors.models import ChangeRequest, Contract, Mentor
from payroll.models import PayrollLine
from skola_kopiena.exports import Column, Sheet, to_csv
from supervision.models import Signup
from timesheets.models import MonthVerification

# The columns django-simple-history adds to every history table, named for the reader.
HISTORY_HEADERS = {
    "history_id": gettext_lazy("change No."),
    "history_date": gettext_lazy("changed on"),
    "history_change_reason": gettext_lazy("reason for the change"),
    "history_type": gettext_lazy("kind of change"),
    "history_user": gettext_lazy("changed by"),
}
# Copies kept for the database's checks that the record's own columns already say (a diary
# entry's date, start and end).
NOT_SHOWN = {"starts_at", "ends_at"}


@dataclass
class Record:
    """The ZIP being built: its tables, its files, and the list of what it holds."""

    subject: str
    made_by: str
    files: dict = field(default_factory=dict)  # path in the ZIP -> bytes
    contents: list = field(default_factory=list)  # (path, what it is, rows or size)
    names: dict = field(default_factory=dict)  # (model, pk) -> the row in words
    stored: dict = field(default_factory=dict)  # a file's stored name -> its path in the ZIP
    earlier_versions: int = 0

    def table(self, name, title, objects, *, hidden=()):
        """Every concrete field of the queryset `objects` (but `hidden`) as a CSV, its files
        alongside; related rows are read with it, a plan is named by its number."""
        model = objects.model
        fields = [f for f in model._meta.concrete_fields if f.name not in {*hidden, *NOT_SHOWN}]
        related = [f.name for f in fields if f.is_relation and f.name != "plan"]
        objects = list(objects.select_related(*related))
        headers = []
        for model_field in fields:
            header = self._header(model_field)
            # A column named like an earlier one (an evaluation's "Comment" after each
            # question) says whose it is.
            if header in headers:
                header = f"{header} ({headers[-1]})"
            headers.append(header)
        columns = [Column(header) for header in headers]
        earlier_files = self._earlier_file_columns(model)
        rows = [
            tuple(self._value(obj, f, f.name in earlier_files) for f in fields) for obj in objects
        ]
        self._add(f"{name}.csv", title, to_csv([Sheet(title, columns, rows)]), len(rows))

    def history(self, name, title, historical):
        """Every change of the rows, with who made it and when (django-simple-history)."""
        self.table(name, title, historical)

    @staticmethod
    def _header(model_field):
        if model_field.name in HISTORY_HEADERS:
            return str(HISTORY_HEADERS[model_field.name])
        if model_field.name == "plan":
            return _("support plan")
        return str(model_field.verbose_name)

    def _value(self, obj, model_field, earlier_file=False):
        value = getattr(obj, model_field.attname)
        if value in (None, ""):
            return ""
        if isinstance(model_field, models.FileField):
            return self._file(obj, model_field)
        if earlier_file:
            return self._earlier_file(value, model_field)
        if model_field.choices:
            return str(getattr(obj, f"get_{model_field.name}_display")())
        if model_field.is_relation:
            if model_field.name == "plan":
                return _("No. %(n)s") % {"n": value}
            related = getattr(obj, model_field.name, None)
            return self._name(related) if related is not None else str(value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, Decimal):
            return number_format(value)  # 198,80: the decimal comma of the portal's pages
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "d.m.Y H:i")
        if isinstance(value, datetime.date):
            return date_format(value, "d.m.Y")
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return str(value)

    def _name(self, related):
        """A related row in words, worked out once per row (a semester names its school
        year, a contract its employer: read once, not for every line that names them)."""
        key = (related._meta.label, related.pk)
        if key not in self.names:
            self.names[key] = str(related)
        return self.names[key]

    def _file(self, obj, model_field):
        stored = getattr(obj, model_field.name)
        suffix = PurePosixPath(stored.name).suffix
        path = f"dokumenti/{obj._meta.model_name}-{obj.pk}-{model_field.name}{suffix}"
        if path not in self.files:
            with stored.open("rb") as handle:
                self._add(path, str(model_field.verbose_name), handle.read(), None)
            self.stored[stored.name] = path
        return path

    @staticmethod
    def _earlier_file_columns(model):
        """A history table's file columns (django-simple-history keeps only the stored
        name): those of the tracked model's files."""
        tracked = getattr(model, "instance_type", None)
        if tracked is None:
            return set()
        return {f.name for f in tracked._meta.concrete_fields if isinstance(f, models.FileField)}

    def _earlier_file(self, name, model_field):
        """The document a history row names: the file in the ZIP if it is still kept (the
        current one, or an earlier version), else a note that it is not."""
        if name in self.stored:
            return self.stored[name]
        storage = model_field.model.instance_type._meta.get_field(model_field.name).storage
        if not storage.exists(name):
            return _("(no longer kept)")
        self.earlier_versions += 1
        suffix = PurePosixPath(name).suffix
        path = f"dokumenti/iepriekseja-versija-{self.earlier_versions}{suffix}"
        with storage.open(name, "rb") as handle:
            self._add(path, _("an earlier version of a document"), handle.read(), None)
        self.stored[name] = path
        return path

    def _add(self, path, what, data, rows):
        self.files[path] = data
        self.contents.append((path, what, rows))

    def zip(self):
        """The ZIP, with `saturs.txt` first: what it is, for whom, and each file in it."""
        lines = [
            _("Complete record: %(subject)s") % {"subject": self.subject},
            _("Made by %(who)s on %(when)s.")
            % {"who": self.made_by, "when": date_format(timezone.localtime(), "d.m.Y H:i")},
            "",
        ]
        for path, what, rows in self.contents:
            count = _("%(n)s rows") % {"n": rows} if rows is not None else _("a file")
            lines.append(f"{path}: {what} ({count})")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("saturs.txt", "\n".join(lines) + "\n")
            for path, data in self.files.items():
                archive.writestr(path, data)
        return buffer.getvalue()


def learner_record(learner, made_by):
    """ACC-3: the learner, their plans with risks, measures, invitations and documents, their
    diaries and months with the staff's checks, their evaluations, and every change."""
    record = Record(str(learner), str(made_by))
    plans = Plan.objects.filter(learner=learner).order_by("pk")
    plan_ids = list(plans.values_list("pk", flat=True))
    record.table("izglitojamais", _("learner"), Learner.objects.filter(pk=learner.pk))
    record.table("iap", _("support plans"), plans)
    months = DiaryMonth.objects.filter(plan__in=plan_ids)
    parts = [
        ("iap-riski", _("risks"), PlanRisk.objects.filter(plan__in=plan_ids)),
        ("iap-pasakumi", _("support measures"), SupportMeasure.objects.filter(plan__in=plan_ids)),
        ("iap-uzaicinajumi", _("invitations"), Invitation.objects.filter(plan__in=plan_ids)),
        ("dienasgramata", _("diary entries"), DiaryEntry.objects.filter(plan__in=plan_ids)),
        ("dienasgramatas-menesi", _("diary months"), months),
        (
            "stundu-parbaudes",
            _("hours verifications"),
            MonthVerification.objects.filter(diary_month__in=months),
        ),
        ("izvertesanas", _("evaluations"), Evaluation.objects.filter(plan__in=plan_ids)),
        ("lemumi", _("decisions"), Decision.objects.filter(plan__in=plan_ids)),
    ]
    for name, title, rows in parts:
        record.table(name, title, rows.order_by("pk"))
    # The history by the plan's number (or month), so that rows deleted since are in it too.
    record.history("vesture-izglitojamais", _("history"), learner.history.all())
    record.history("vesture-iap", _("history"), Plan.history.filter(id__in=plan_ids))
    for name, _title, rows in parts:
        history = rows.model.history
        if rows.model is MonthVerification:
            history = history.filter(diary_month_id__in=months.values("pk"))
        else:
            history = history.filter(plan_id__in=plan_ids)
        record.history(f"vesture-{name}", _("history"), history)
    return record


def mentor_record(mentor, made_by):
    """REG-1, CON, PAY-5: the mentor's registry entry, change requests, contracts with their
    signed files, the diaries they wrote (plans by number only: the learners are not theirs
    to receive), supervision, pay, and every change."""
    record = Record(str(mentor), str(made_by))
    record.table("mentors", _("registry entry"), Mentor.objects.filter(pk=mentor.pk))
    parts = [
        (
            "mentora-pasvaldibas",
            _("municipalities where the mentor is ready to work"),
            mentor.municipalities.all(),
        ),
        (
            "izmainu-pieprasijumi",
            _("change requests"),
            ChangeRequest.objects.filter(mentor=mentor),
        ),
        ("ligumi", _("contracts"), Contract.objects.filter(mentor=mentor)),
        ("dienasgramata", _("diary entries"), DiaryEntry.objects.filter(mentor=mentor)),
        ("supervizijas", _("supervision"), Signup.objects.filter(mentor=mentor)),
        ("samaksa", _("payroll lines"), PayrollLine.objects.filter(mentor=mentor)),
    ]
    for name, title, rows in parts:
        record.table(name, title, rows.order_by("pk"))
    record.history("vesture-mentors", _("history"), mentor.history.all())
    for name, _title, rows in parts[1:]:
        if hasattr(rows.model, "history"):
            history = rows.model.history.filter(mentor_id=mentor.pk)
            record.history(f"vesture-{name}", _("history"), history)
    return record
