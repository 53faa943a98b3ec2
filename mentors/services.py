"""Writes on the mentor registry. Each takes a required `actor` and runs in one transaction."""

import csv
import io
import re
from contextlib import closing
from itertools import islice
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.files.validation import KINDS, SPREADSHEET_KINDS, validate_upload
from skola_kopiena.schools.models import Institution, Municipality, Region
from skola_kopiena.services import field_error, service

from . import tasks
from .models import ChangeRequest, Contract, Mentor, RegistryImport, phone_validator

# --- Change requests and visibility (REG-3) ----------------------------------------------


@service
def change_request_submit(
    *, actor, mentor, email="", phone="", region=None, municipalities=None, note=""
):
    """REG-3: a mentor asks for new contact data, region or municipalities."""
    if ChangeRequest.objects.filter(mentor=mentor, status=ChangeRequest.Status.PENDING).exists():
        raise ValidationError(
            _("You already have a change request waiting for a decision."), code="REG-3"
        )
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    changes_municipalities = municipalities is not None and set(municipalities) != set(
        mentor.municipalities.all()
    )
    if email == mentor.email.lower():
        email = ""
    if phone == mentor.phone:
        phone = ""
    if region == mentor.region:
        region = None
    if not (email or phone or region or changes_municipalities):
        raise ValidationError(_("The request changes nothing."), code="REG-3")
    change_request = ChangeRequest(
        mentor=mentor,
        email=email,
        phone=phone,
        region=region,
        change_municipalities=changes_municipalities,
        note=note,
        requested_by=actor,
    )
    change_request.full_clean()
    change_request.save()
    if changes_municipalities:
        change_request.municipalities.set(municipalities)
    return change_request


def _lock_pending(change_request):
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.status != ChangeRequest.Status.PENDING:
        raise ValidationError(
            _("This request has already been decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="REG-3",
        )
    return locked


@service
def change_request_apply(*, actor, change_request, note=""):
    """REG-3: the regional coordinator applies the change to the registry entry."""
    change_request = _lock_pending(change_request)
    mentor = Mentor.objects.select_for_update().get(pk=change_request.mentor_id)
    if change_request.email:
        # REG-1: the mentor logs in with the registry's email, so no other mentor or login
        # may use it, in any capitals.
        taken = Mentor.objects.filter(email__iexact=change_request.email).exclude(pk=mentor.pk)
        other_login = User.objects.filter(email__iexact=change_request.email)
        if mentor.user_id:
            other_login = other_login.exclude(pk=mentor.user_id)
        if taken.exists() or other_login.exists():
            raise ValidationError(
                _("Another mentor or login already uses the email %(email)s.")
                % {"email": change_request.email},
                code="REG-1",
            )
        mentor.email = change_request.email
        if mentor.user_id:
            user = mentor.user
            user.email = change_request.email
            user.full_clean()
            user.save()
    if change_request.phone:
        mentor.phone = change_request.phone
    if change_request.region_id:
        mentor.region_id = change_request.region_id
    mentor.full_clean()
    mentor.save()
    if change_request.change_municipalities:
        mentor.municipalities.set(change_request.municipalities.all())
    _decide(change_request, actor, ChangeRequest.Status.APPLIED, note)
    return change_request


@service
def change_request_reject(*, actor, change_request, note):
    change_request = _lock_pending(change_request)
    if not note.strip():
        raise field_error(
            "decision_note",
            _("Say why the request is rejected: the mentor will see it."),
            "REG-3",
        )
    _decide(change_request, actor, ChangeRequest.Status.REJECTED, note)
    return change_request


def _decide(change_request, actor, status, note):
    change_request.status = status
    change_request.decided_by = actor
    change_request.decided_at = timezone.now()
    change_request.decision_note = note.strip()
    change_request.save()


@service
def mentor_set_hidden(*, actor, mentor, hidden):
    """REG-3: a mentor may ask to be left out of the search, and come back at any time."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    mentor.hidden_from_search = hidden
    mentor.save()
    return mentor


# --- Import from the spreadsheet of trained mentors -------------------------------------

# The spreadsheet's column headings (Latvian, as the training provider writes them) and the
# English names also accepted.
COLUMNS = {
    "first_name": ("vārds", "first name", "first_name"),
    "last_name": ("uzvārds", "last name", "last_name"),
    "email": ("e-pasts", "epasts", "email", "e-mail"),
    "phone": ("tālrunis", "telefons", "phone"),
    "certificate_number": (
        "apliecības numurs",
        "apliecības nr.",
        "certificate number",
        "certificate_number",
    ),
    "region": ("reģions", "region"),
    "municipalities": ("pašvaldības", "municipalities"),
}
REQUIRED = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "certificate_number",
    "region",
    "municipalities",
]
# At most this many mentors in one file: the project has a few thousand mentors in all, and a
# file of this many is read and checked in seconds.
REGISTRY_IMPORT_MAX_ROWS = 5000
# A file with more rows than this is checked by a Celery task, behind a page with progress.
REGISTRY_IMPORT_BACKGROUND_ROWS = 500
# The background check records how far it has come every this many rows.
REGISTRY_IMPORT_PROGRESS_EVERY = 100
# Cells read from each row: the registry has seven columns, but a sheet may declare 16,384,
# and openpyxl pads every row it gives to the declared width.
MAX_COLUMNS = 50
# Excel's last row: a sheet may number a row 1,000,000,000, and openpyxl gives every blank row
# up to it.
XLSX_LAST_ROW = 1_048_576
SPREADSHEET_EXTENSIONS = {KINDS[kind][0]: kind for kind in SPREADSHEET_KINDS}


def _spreadsheet_rows(file, kind):
    """The non-blank rows of a CSV or XLSX file as (row number, cells as stripped strings)."""
    file.seek(0)
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(max_row=XLSX_LAST_ROW, max_col=MAX_COLUMNS, values_only=True)
            for number, values in enumerate(rows, start=1):
                cells = ["" if v is None else str(v).strip() for v in values]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()
        return
    raw = file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1257")  # Excel's "CSV" on Latvian Windows
    try:
        # The first line only, and not all of a file that has no line breaks.
        first_line = text[:4096].splitlines()[0] if text else ","
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [cell.strip() for cell in row[:MAX_COLUMNS]]
        if any(cells):
            yield number, cells


def _map_heading(heading):
    positions = {}
    for index, cell in enumerate(heading):
        key = cell.strip().lower()
        for field, names in COLUMNS.items():
            if key in names:
                positions[field] = index
    return positions


def _read_registry_file(file, kind):
    """The heading's column positions and the rows below it, at most the cap: a file that
    cannot be read, has no heading, or too many rows is refused at its field."""
    try:
        with closing(_spreadsheet_rows(file, kind)) as rows:
            heading = next(rows, None)
            # One row past the cap tells that there are too many, without reading them all.
            body = list(islice(rows, REGISTRY_IMPORT_MAX_ROWS + 1))
    except Exception as error:
        # openpyxl and the csv module raise many kinds of errors on a broken file.
        raise field_error(
            "file",
            _("The file could not be read as %(kind)s.") % {"kind": kind.upper()},
            "import_unreadable",
        ) from error
    if heading is None:
        raise field_error("file", _("The file has no rows."), "import_empty")
    positions = _map_heading(heading[1])
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in positions]
    if missing:
        raise field_error(
            "file",
            _("The first row must hold the column headings. Missing: %(columns)s.")
            % {"columns": ", ".join(missing)},
            "import_heading",
        )
    if len(body) > REGISTRY_IMPORT_MAX_ROWS:
        raise field_error(
            "file",
            _(
                "The file has more than %(limit)s rows of mentors. Split it into files of at "
                "most %(limit)s rows and upload them one by one."
            )
            % {"limit": REGISTRY_IMPORT_MAX_ROWS},
            "import_too_many_rows",
        )
    if not body:
        raise field_error("file", _("The file has no mentors."), "import_empty")
    return positions, body


def parse_registry_rows(positions, table, *, region_limit_ids=None, progress=None):
    """Check every row; return (rows, errors). Errors name the row number and why.

    `progress`, if given, is called with the number of rows checked so far as it goes.
    """
    errors = []
    regions = {r.name.lower(): r for r in Region.objects.all()}
    regions.update({r.code.lower(): r for r in Region.objects.all()})
    municipalities = {m.name.lower(): m for m in Municipality.objects.all()}
    existing_emails = {e.lower() for e in Mentor.objects.values_list("email", flat=True)}
    existing_certificates = set(Mentor.objects.values_list("certificate_number", flat=True))
    seen_emails, seen_certificates = {}, {}
    rows = []
    for checked, (number, raw) in enumerate(table, start=1):
        value = {f: (raw[i] if i < len(raw) else "").strip() for f, i in positions.items()}
        problems = []
        for field in REQUIRED:
            if not value[field]:
                problems.append(_("%(column)s is missing") % {"column": COLUMNS[field][0]})
        email = value["email"].lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("email %(email)s is not valid") % {"email": value["email"]})
            if email in existing_emails:
                problems.append(_("email %(email)s is already in the registry") % {"email": email})
            elif email in seen_emails:
                problems.append(
                    _("email %(email)s repeats row %(row)s")
                    % {"email": email, "row": seen_emails[email]}
                )
            seen_emails.setdefault(email, number)
        certificate = value["certificate_number"]
        if certificate:
            if certificate in existing_certificates:
                problems.append(
                    _("certificate number %(number)s is already in the registry")
                    % {"number": certificate}
                )
            elif certificate in seen_certificates:
                problems.append(
                    _("certificate number %(number)s repeats row %(row)s")
                    % {"number": certificate, "row": seen_certificates[certificate]}
                )
            seen_certificates.setdefault(certificate, number)
        if value["phone"]:
            try:
                phone_validator(value["phone"])
            except ValidationError:
                problems.append(_("phone %(phone)s is not valid") % {"phone": value["phone"]})
        region = regions.get(value["region"].lower()) if value["region"] else None
        if value["region"] and region is None:
            problems.append(_("unknown region %(region)s") % {"region": value["region"]})
        elif region and region_limit_ids and region.pk not in region_limit_ids:
            problems.append(_("region %(region)s is not yours to import") % {"region": region})
        municipality_ids = []
        for name in filter(None, (n.strip() for n in re.split(r"[;,\n]", value["municipalities"]))):
            municipality = municipalities.get(name.lower())
            if municipality is None:
                problems.append(_("unknown municipality %(name)s") % {"name": name})
            else:
                municipality_ids.append(municipality.pk)
        if problems:
            errors.append({"row": number, "message": "; ".join(problems)})
        else:
            rows.append(
                {
                    "row": number,
                    "first_name": value["first_name"],
                    "last_name": value["last_name"],
                    "email": email,
                    "phone": value["phone"],
                    "certificate_number": certificate,
                    "region_id": region.pk,
                    "municipality_ids": municipality_ids,
                }
            )
        if progress and checked % REGISTRY_IMPORT_PROGRESS_EVERY == 0:
            progress(checked)
    return rows, errors


@service
def registry_import_preview(*, actor, acting, upload):
    """Read and check the spreadsheet; nothing enters the registry yet. A large file is
    checked in the background (`registry_import_check`) while its page shows progress."""
    try:
        kind = getattr(upload, "upload_kind", None) or validate_upload(upload, SPREADSHEET_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error}) from error
    positions, table = _read_registry_file(upload, kind)
    region_limit = None if acting.is_national else sorted(acting.region_ids)
    registry_import = RegistryImport(
        original_name=upload.name[:255], uploaded_by=actor, total_rows=len(table)
    )
    in_background = len(table) > REGISTRY_IMPORT_BACKGROUND_ROWS
    if in_background:
        registry_import.status = RegistryImport.Status.CHECKING
    else:
        registry_import.rows, registry_import.errors = parse_registry_rows(
            positions, table, region_limit_ids=region_limit
        )
        registry_import.checked_rows = len(table)
    upload.seek(0)
    # The spreadsheet is kept as uploaded, privately, for the record.
    registry_import.source_file.save(upload.name, upload, save=False)
    registry_import.save()
    if in_background:
        transaction.on_commit(
            lambda: tasks.check_registry_import.delay(registry_import.pk, region_limit)
        )
    return registry_import


def registry_import_check(*, registry_import_id, region_limit_ids):
    """The background check of a large file (mentors.tasks), safe to run twice.

    Not one transaction: the count of checked rows is committed as it goes, so that the
    preview page can show it; the result is saved by `registry_import_checked`.
    """
    registry_import = RegistryImport.objects.select_related("uploaded_by").get(
        pk=registry_import_id
    )
    if registry_import.status != RegistryImport.Status.CHECKING:
        return registry_import
    extension = PurePosixPath(registry_import.source_file.name).suffix.lstrip(".")
    with registry_import.source_file.open("rb") as file:
        positions, table = _read_registry_file(file, SPREADSHEET_EXTENSIONS[extension])

    def progress(checked):
        # checked_rows is left out of the history (excluded_fields), so this update() loses
        # no history row.
        RegistryImport.objects.filter(
            pk=registry_import.pk, status=RegistryImport.Status.CHECKING
        ).update(checked_rows=checked)

    rows, errors = parse_registry_rows(
        positions, table, region_limit_ids=region_limit_ids, progress=progress
    )
    return registry_import_checked(
        actor=registry_import.uploaded_by, registry_import=registry_import, rows=rows, errors=errors
    )


@service
def registry_import_checked(*, actor, registry_import, rows, errors):
    """The background check's result becomes the preview, once: a second run changes nothing."""
    registry_import = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if registry_import.status != RegistryImport.Status.CHECKING:
        return registry_import
    registry_import.rows, registry_import.errors = rows, errors
    registry_import.checked_rows = registry_import.total_rows
    registry_import.status = RegistryImport.Status.PREVIEW
    registry_import.save()
    return registry_import


def _registry_clashes(rows):
    """REG-1: emails and certificate numbers of `rows` that the registry holds by now."""
    emails = [r["email"] for r in rows]
    certificates = [r["certificate_number"] for r in rows]
    return sorted(
        [
            *Mentor.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .values_list("lower_email", flat=True),
            *Mentor.objects.filter(certificate_number__in=certificates).values_list(
                "certificate_number", flat=True
            ),
        ]
    )


def _clash_message(clashes):
    return _("Meanwhile these entered the registry: %(values)s. Upload the file again.") % {
        "values": ", ".join(clashes)
    }


@service
def registry_import_confirm(*, actor, acting, registry_import):
    """All or nothing: rows are checked again against today's registry, then saved together;
    a large file in the background (`registry_import_rows`) while its page shows progress."""
    registry_import = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if registry_import.status == RegistryImport.Status.CHECKING:
        raise ValidationError(
            _("The file is still being checked. Import it when the preview is ready."),
            code="import_checking",
        )
    if registry_import.status != RegistryImport.Status.PREVIEW:
        raise ValidationError(_("This file has already been imported."), code="import_done")
    if registry_import.errors:
        raise ValidationError(
            _("Correct the rows with errors and upload the file again."), code="REG-1"
        )
    # Re-check against the registry as it is now: someone may have added a mentor since.
    clashes = _registry_clashes(registry_import.rows)
    if clashes:
        raise ValidationError(_clash_message(clashes), code="REG-1")
    if len(registry_import.rows) > REGISTRY_IMPORT_BACKGROUND_ROWS:
        registry_import.status = RegistryImport.Status.IMPORTING
        registry_import.save()
        transaction.on_commit(
            lambda: tasks.import_registry_rows.delay(registry_import.pk, actor.pk)
        )
        return registry_import
    return _import_rows(registry_import, actor)


@service
def registry_import_rows(*, actor, registry_import_id):
    """The background import of a large file (mentors.tasks): all or nothing, and once."""
    registry_import = RegistryImport.objects.select_for_update().get(pk=registry_import_id)
    if registry_import.status != RegistryImport.Status.IMPORTING:
        return registry_import
    clashes = _registry_clashes(registry_import.rows)
    if clashes:
        registry_import.status = RegistryImport.Status.PREVIEW
        registry_import.errors = [{"row": 0, "message": _clash_message(clashes)}]
        registry_import.save()
        return registry_import
    return _import_rows(registry_import, actor)


def registry_import_progress_key(registry_import):
    return f"registry-import-{registry_import.pk}-imported"


def _import_rows(registry_import, actor):
    # The rows land in one transaction, invisible to the page until the end: the count of
    # rows done so far goes through the cache for the progress bar.
    for number, row in enumerate(registry_import.rows, start=1):
        mentor = Mentor(
            first_name=row["first_name"],
            last_name=row["last_name"],
            email=row["email"],
            phone=row["phone"],
            certificate_number=row["certificate_number"],
            region_id=row["region_id"],
        )
        mentor.full_clean()
        mentor.user = mentor_account_ensure(actor=actor, mentor=mentor)
        mentor.save()
        mentor.municipalities.set(row["municipality_ids"])
        if number % 100 == 0:
            cache.set(registry_import_progress_key(registry_import), number, timeout=3600)
    registry_import.status = RegistryImport.Status.IMPORTED
    registry_import.imported_at = timezone.now()
    registry_import.imported_count = len(registry_import.rows)
    registry_import.save()
    return registry_import


def mentor_account_ensure(*, actor, mentor):
    """A login for the mentor: no password yet; they set one with "forgot password"."""
    user = User.objects.filter(email__iexact=mentor.email).first()
    if user is None:
        user = User(email=mentor.email, first_name=mentor.first_name, last_name=mentor.last_name)
        user.set_unusable_password()
        user.save()
    RoleMembership.objects.get_or_create(user=user, role=Role.MENTOR)
    return user


# --- Contracts (CON) ----------------------------------------------------------------------


def allowed_employers(learner_institution):
    """CON-2: the learner's institution, or a youth centre of its municipality; for a learner
    of a vocational institution, only that institution.

    **Choice**: the youth centre must be in the learner's municipality (a municipal centre).
    """
    if learner_institution.kind == Institution.Kind.VOCATIONAL:
        return Institution.objects.filter(pk=learner_institution.pk)
    return Institution.objects.filter(
        models.Q(pk=learner_institution.pk)
        | models.Q(
            kind=Institution.Kind.YOUTH_CENTRE, municipality=learner_institution.municipality
        )
    ).filter(is_active=True)


@service
def contract_create(
    *,
    actor,
    mentor,
    employer,
    school_year,
    semester=None,
    contract_number="",
    signed_on,
    background_check_date,
    background_check_by,
    signed_file,
):
    """CON-1, CON-3, CON-5, CON-6: record a signed contract of a mentor with an employer."""
    # CON-6: a contract is recorded with its signed file (its content is checked on upload,
    # ACC-2, hence the file is left out of full_clean below).
    if not signed_file:
        raise field_error(
            "signed_file",
            _("Attach the mentor's signed contract with the employer."),
            "CON-6",
        )
    if semester is not None and semester.school_year_id != school_year.pk:
        raise field_error(
            "semester",
            _("The semester is not in the chosen school year."),
            "CON-3",
        )
    # CON-5: the check comes before the contract.
    if background_check_date > signed_on:
        raise field_error(
            "background_check_date",
            _("The background check must be done before the contract is signed."),
            "CON-5",
        )
    # One contract per mentor, employer and period: a year contract covers both semesters.
    clash = Contract.objects.filter(mentor=mentor, employer=employer, school_year=school_year)
    if semester is not None:
        clash = clash.filter(models.Q(semester__isnull=True) | models.Q(semester=semester))
    if clash.exists():
        raise ValidationError(
            _("This mentor already has a contract with %(employer)s for this period.")
            % {"employer": employer},
            code="CON-3",
        )
    contract = Contract(
        mentor=mentor,
        employer=employer,
        school_year=school_year,
        semester=semester,
        contract_number=contract_number,
        signed_on=signed_on,
        background_check_date=background_check_date,
        background_check_by=background_check_by,
        signed_file=signed_file,
        created_by=actor,
    )
    contract.full_clean(exclude=["signed_file"])
    contract.save()
    return contract
