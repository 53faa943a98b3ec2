"""ACC-1: project staff export the access log of their regions between two days."""

import csv
import datetime
import io

from overview.models import AccessLogExport
from overview.tasks import build_access_log
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.permissions import acting_for
from skola_kopiena.accounts.services import access_log_record
from tests.factories import make_learner, make_plan, school_plan


def _rows(export):
    text = export.file.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_staff_export_their_regions_reads_between_two_days(
    cast, client_for, django_capture_on_commit_callbacks
):
    riga_plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    cesis = make_plan(
        cast.other_preparer, make_learner(cast.other_preparer, cast.other_school, first_name="C")
    )
    access_log_record(acting=acting_for(cast.admin), action="read_diary", obj=riga_plan)
    access_log_record(acting=acting_for(cast.admin), action="read_diary", obj=cesis)
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/piekluves-zurnals/eksports/",
            {"since": "2026-11-01", "until": "2026-11-25", "action": "", "file_format": "csv"},
        )
    export = AccessLogExport.objects.get()
    assert response.url == f"/piekluves-zurnals/eksporti/{export.pk}/"
    assert export.status == AccessLogExport.Status.READY
    rows = _rows(export)
    assert rows[0][:4] == ["Laiks", "Lasītājs", "Loma", "Kas darīts"]
    plans = [row[5] for row in rows[1:]]
    assert plans == [str(riga_plan.pk)]  # Vidzeme's read is another region's
    assert client.get(response.url).status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.READ_DIARY).count() == 2


def test_the_period_is_checked_at_its_field(cast, client_for):
    client = client_for(cast.staff)

    def errors(since, until):
        response = client.post(
            "/piekluves-zurnals/eksports/",
            {"since": since, "until": until, "action": "", "file_format": "xlsx"},
        )
        assert response.status_code == 200
        return response.context["form"].errors["until"]

    assert errors("2026-11-10", "2026-11-01") == ["Pēdējā diena ir pēc pirmās."]
    assert errors("2026-11-01", "2026-12-01") == [
        "Beigu datums nevar būt vēlāks par šodienu: žurnāls ir līdz šodienai."
    ]
    assert errors("2025-01-01", "2026-11-01") == [
        "Vienā failā ne vairāk kā 366 dienas: pārējo prasiet citā."
    ]
    assert not AccessLogExport.objects.exists()


def test_only_staff_and_administrators_export_the_log(cast, client_for):
    for user in (cast.mentor_user, cast.preparer, cast.approver):
        assert client_for(user).get("/piekluves-zurnals/eksports/").status_code == 403
    export = AccessLogExport.objects.create(
        requested_by=cast.staff,
        membership=acting_for(cast.staff).membership,
        since=datetime.date(2026, 11, 1),
        until=datetime.date(2026, 11, 2),
        file_format="csv",
    )
    assert build_access_log(export.pk)
    url = f"/piekluves-zurnals/eksporti/{export.pk}/"
    assert client_for(cast.other_staff).get(url).status_code == 404


def test_the_service_refuses_a_period_the_form_did_not_check(cast):
    import pytest
    from django.core.exceptions import ValidationError

    from overview import services

    with pytest.raises(ValidationError) as refused:
        services.access_log_export_request(
            actor=cast.staff,
            acting=acting_for(cast.staff),
            since=datetime.date(2026, 11, 10),
            until=datetime.date(2026, 11, 1),
            action="",
            file_format="csv",
        )
    assert refused.value.error_dict["until"][0].code == "period_order"
    assert not AccessLogExport.objects.exists()


def test_the_admins_log_is_offered_only_to_those_the_admin_lets_in(cast, client_for):
    # An auditor reads the log as a file: a link into the admin would only refuse them.
    admin_log = 'href="/admin/accounts/accesslog/"'
    assert admin_log in client_for(cast.staff).get("/piekluves-zurnals/eksports/").content.decode()
    auditors_page = client_for(cast.auditor).get("/piekluves-zurnals/eksports/").content.decode()
    assert admin_log not in auditors_page


def test_the_time_of_each_read_is_a_riga_time_cell_in_the_spreadsheet(
    cast, client_for, django_capture_on_commit_callbacks
):
    import openpyxl
    from django.utils import timezone

    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    entry = access_log_record(acting=acting_for(cast.admin), action="read_diary", obj=plan)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.staff).post(
            "/piekluves-zurnals/eksports/",
            {"since": "2026-11-01", "until": "2026-11-25", "action": "", "file_format": "xlsx"},
        )
    sheet = openpyxl.load_workbook(AccessLogExport.objects.get().file).active
    cell = sheet.cell(row=2, column=1)
    riga = timezone.localtime(entry.at).replace(tzinfo=None)
    assert abs((cell.value - riga).total_seconds()) < 1  # a date Excel sorts, not text
    assert cell.number_format == "DD.MM.YYYY HH:MM:SS"
