"""Exports for reporting from the overview: plans, hours per month and mentors, made by a task
behind a page with progress; learners by plan number and year of birth only (ACC-3); the file
is its requester's alone (ACC-2)."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from diary import services as diary_services
from overview import services
from overview.models import ReportExport
from overview.tasks import build_report
from skola_kopiena.accounts.models import AccessLog, RoleMembership
from skola_kopiena.accounts.permissions import acting_for
from tests.factories import confirm_month, pdf_upload, school_plan, semester

D = datetime.date
T = datetime.time
OCTOBER = D(2026, 10, 1)


def _rows(export):
    data = export.file.read()
    if export.file_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _made(user, kind, file_format="xlsx", **scope):
    autumn = semester()
    export = services.report_export_request(
        actor=user,
        acting=acting_for(user),
        kind=kind,
        file_format=file_format,
        school_year=autumn.school_year,
        semester=autumn,
        **scope,
    )
    assert build_report(export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.READY and export.progress == 100
    return export


RIGA = ZoneInfo("Europe/Riga")


def test_staff_ask_for_the_plans_and_download_them_from_the_progress_page(
    cast, client_for, django_capture_on_commit_callbacks
):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/parskats/eksports/",
            {"kind": "plans", "file_format": "xlsx", "periods": f"semestris-{semester().pk}"},
        )
    export = ReportExport.objects.get()
    assert response.url == f"/parskats/eksporti/{export.pk}/"
    # A coordinator of one region gets a file that says which.
    assert export.region == cast.riga
    assert export.original_name == f"iap-2026-2027-semestris-{semester().pk}-riga.xlsx"
    page = client.get(response.url).content.decode()
    download = f"/faili/overview/reportexport/{export.pk}/file/"
    assert download in page
    assert f"sagatavots {export.finished_at.astimezone(RIGA):%d.%m.%Y %H:%M}" in page
    file = client.get(download)
    assert file.status_code == 200
    rows = [
        list(row)
        for row in load_workbook(io.BytesIO(b"".join(file.streaming_content))).active.iter_rows(
            values_only=True
        )
    ]
    header = rows[0]
    assert header[0] == "IAP Nr." and "Izglītojamā dzimšanas gads" in header
    (row,) = rows[1:]
    assert row[0] == plan.pk
    assert row[header.index("Izglītojamā dzimšanas gads")] == plan.learner.birth_date.year
    # ACC-3: no learner's name in the file.
    assert not any("Annija" in str(cell) for row in rows for cell in row)
    assert AccessLog.objects.filter(
        user=cast.staff, action=AccessLog.Action.DOWNLOAD, object_id=str(export.pk)
    ).exists()


def test_the_hours_per_month_hold_the_confirmed_hours_of_each_plan(cast):
    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    diary_services.entry_create(
        actor=plan.mentor.user,
        plan=plan,
        date=D(2026, 10, 6),
        start_time=T(15, 0),
        end_time=T(17, 0),
        place="Bibliotēka",
        topic="Mācības",
        result="Izdevās",
    )
    diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=OCTOBER, file=pdf_upload("grafiks.pdf")
    )
    confirm_month(plan, OCTOBER)
    rows = _rows(_made(cast.staff, "hours", "csv"))
    header = rows[0]
    october = next(row for row in rows[1:] if row[1] == "10.2026")
    assert october[0] == str(plan.pk)
    assert october[header.index("Apstiprinātās akadēmiskās stundas")] == "3"
    assert october[header.index("Plānotās akadēmiskās stundas")] == str(plan.monthly_hours)


def test_the_mentors_of_the_region_with_their_load(cast):
    # CAP-1: Anna supports one learner this semester; Vidzeme's mentor is another region's.
    school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    rows = _rows(_made(cast.staff, "mentors"))
    names = [row[0] for row in rows[1:]]
    assert names == [cast.mentor.full_name]
    assert rows[1][6] == 1


def test_an_export_is_refused_once_the_role_is_gone_and_is_its_requesters_alone(cast, client_for):
    export = _made(cast.staff, "plans")
    assert client_for(cast.other_staff).get(f"/parskats/eksporti/{export.pk}/").status_code == 404
    autumn = semester()
    waiting = services.report_export_request(
        actor=cast.staff,
        acting=acting_for(cast.staff),
        kind="plans",
        file_format="csv",
        school_year=autumn.school_year,
    )
    RoleMembership.objects.filter(user=cast.staff).update(is_active=False)
    assert not build_report(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == ReportExport.Status.FAILED and not waiting.file


def test_no_caller_exports_a_region_beyond_the_role(cast):
    """The service refuses another region's report itself, not only its form and task."""
    autumn = semester()
    with pytest.raises(PermissionDenied):
        services.report_export_request(
            actor=cast.staff,
            acting=acting_for(cast.staff),
            kind="plans",
            file_format="csv",
            school_year=autumn.school_year,
            region=cast.vidzeme,
        )
    assert not ReportExport.objects.exists()


def test_an_auditor_exports_their_regions_report_as_staff_do(cast):
    school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    rows = _rows(_made(cast.auditor, "mentors", file_format="csv", region=cast.riga))
    assert [row[0] for row in rows[1:]] == [cast.mentor.full_name]


def test_a_persons_earlier_files_are_listed_to_come_back_to(
    cast, client_for, django_capture_on_commit_callbacks
):
    school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    client = client_for(cast.staff)
    made = []
    for kind in ("plans", "hours"):
        with django_capture_on_commit_callbacks(execute=True):
            made.append(
                client.post(
                    "/parskats/eksports/",
                    {"kind": kind, "file_format": "csv", "periods": f"semestris-{semester().pk}"},
                ).url
            )
    page = client.get(made[1])
    assert [each.kind for each in page.context["earlier"]] == ["plans"]
    assert made[0] in page.content.decode()
    # Another person's files are theirs alone.
    assert (
        list(client_for(cast.other_staff).get("/piekluves-zurnals/eksports/").context["earlier"])
        == []
    )


def test_an_export_no_worker_takes_up_says_so_after_a_few_minutes(cast, client_for):
    import datetime

    import time_machine
    from django.utils import timezone

    from skola_kopiena.accounts.permissions import acting_for

    export = ReportExport.objects.create(
        requested_by=cast.staff,
        membership=acting_for(cast.staff).membership,
        kind="plans",
        file_format="csv",
        school_year=semester().school_year,
    )
    client = client_for(cast.staff)
    said = "iespējams, portāla fona serviss ir apturēts"
    assert said not in client.get(f"/parskats/eksporti/{export.pk}/").content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert said in client.get(f"/parskats/eksporti/{export.pk}/").content.decode()
