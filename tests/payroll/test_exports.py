"""PAY-3, PAY-6: a closed run downloads as XLSX and CSV, made by a task, kept private."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from payroll import exports, services
from payroll.models import PayrollExport
from skola_kopiena.accounts.models import Role, RoleMembership
from skola_kopiena.accounts.permissions import acting_for
from tests.factories import (
    InstitutionFactory,
    advance_plan,
    make_contract,
    make_learner,
    make_plan,
    municipality,
)

from .conftest import OCTOBER, SEPTEMBER, D, T, approve


@pytest.fixture
def closed_october(cast, rate, autumn_plan, held):
    rate.salary, rate.holiday_pay, rate.social_contributions = (
        Decimal("10.44"),
        Decimal("1.02"),
        Decimal("2.74"),
    )
    rate.save()
    held(autumn_plan, D(2026, 10, 6), T(15, 0), T(17, 0))
    approve(autumn_plan, OCTOBER, cast.approver)
    (closing,) = services.payroll_close(actor=cast.approver, employers=[cast.school], month=OCTOBER)
    return closing.run


def export_for(user, **scope):
    export = services.payroll_export_request(
        actor=user, acting=acting_for(user), month=OCTOBER, **scope
    )
    assert exports.export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_the_xlsx_keeps_numbers_as_numbers_with_latvian_headers_and_a_total(cast, closed_october):
    export = export_for(cast.approver, file_format="xlsx", employer=cast.school)
    assert export.status == PayrollExport.Status.READY and export.progress == 100
    sheet = load_workbook(io.BytesIO(export.file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Rīgas 1. vidusskola"
    assert rows[0][0] == "Mentors" and rows[0][6] == "Akadēmiskās stundas"
    line = closed_october.lines.get()
    assert rows[1][:7] == (
        "Anna Bērziņa",
        cast.mentor.certificate_number,
        "L-1",
        line.plan_id,
        rows[1][4],
        None,
        3,
    )
    assert rows[1][4].month == 10 and rows[1][7:9] == (14.2, 42.6)
    # PAY-2: the accountant sees the gross wage's parts.
    assert rows[1][9:] == (31.32, 3.06, 8.22)
    assert rows[-1][0] == "Kopā" and rows[-1][6] == 3 and rows[-1][8] == 42.6
    assert sheet.cell(row=2, column=9).number_format == "#,##0.00"
    assert sheet.cell(row=2, column=5).number_format == "MM.YYYY"


def test_the_csv_opens_in_excel_with_latvian_letters(cast, closed_october):
    export = export_for(cast.approver, file_format="csv", employer=cast.school)
    data = export.file.read()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mentors;Apliecības numurs;")
    assert lines[1].split(";")[4:9] == ["10.2026", "", "3", "14,20", "42,60"]
    assert lines[-1].startswith("Kopā;")


def test_the_regions_export_has_one_sheet_per_employer(cast, closed_october, held):
    # PAY-3: project staff get the region's closed runs with something to pay; another
    # region's are not there.
    youth_plan = advance_plan(
        make_plan(
            cast.preparer,
            make_learner(cast.preparer, cast.school, first_name="Jānis"),
            start_date=SEPTEMBER,
        ),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.youth_centre),
    )
    held(youth_plan, D(2026, 10, 8), T(15, 0), T(16, 20))
    approve(youth_plan, OCTOBER, cast.youth_approver)
    cesis = InstitutionFactory(
        name="Cēsu jauniešu centrs", municipality=municipality("Cēsu novads")
    )
    empty = InstitutionFactory(name="Rīgas 2. vidusskola", municipality=municipality("Rīga"))
    services.payroll_close(
        actor=cast.admin, employers=[cast.youth_centre, cesis, empty], month=OCTOBER
    )
    export = export_for(cast.staff, file_format="xlsx", region=cast.riga)
    workbook = load_workbook(io.BytesIO(export.file.read()))
    assert workbook.sheetnames == ["Rīgas 1. vidusskola", "Rīgas jauniešu centrs"]
    assert workbook["Rīgas jauniešu centrs"]["G2"].value == 2


def test_an_export_is_made_once_even_if_the_task_runs_twice(cast, closed_october):
    export = export_for(cast.approver, file_format="xlsx", employer=cast.school)
    name = export.file.name
    assert not exports.export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.file.name == name


def test_the_task_asks_permission_again(cast, closed_october):
    # The role was taken away between the request and the task.
    export = services.payroll_export_request(
        actor=cast.approver,
        acting=acting_for(cast.approver),
        month=OCTOBER,
        file_format="xlsx",
        employer=cast.school,
    )
    RoleMembership.objects.filter(user=cast.approver, role=Role.APPROVER).update(is_active=False)
    assert not exports.export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == PayrollExport.Status.FAILED and not export.file


def test_the_file_is_served_only_to_who_asked_for_it(cast, client_for, closed_october):
    export = export_for(cast.approver, file_format="xlsx", employer=cast.school)
    url = f"/faili/payroll/payrollexport/{export.pk}/file/"
    response = client_for(cast.approver).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'darba-samaksa-2026-10-iestade-{cast.school.pk}.xlsx"'
    )
    assert response["Cache-Control"] == "no-store"
    for other in (cast.staff, cast.youth_approver, cast.mentor_user, cast.preparer):
        assert client_for(other).get(url).status_code == 404


def test_a_month_not_closed_is_not_exported(cast, client_for, rate):
    response = client_for(cast.approver).post(
        f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/eksports/", {"file_format": "xlsx"}
    )
    assert response.status_code == 302 and not PayrollExport.objects.exists()


def test_the_export_page_shows_progress_then_the_file(cast, client_for, closed_october):
    client = client_for(cast.approver)
    response = client.post(
        f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/eksports/", {"file_format": "csv"}
    )
    export = PayrollExport.objects.get()
    assert response.url == f"/eksporti/{export.pk}/"
    waiting = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in waiting and "<progress" in waiting
    exports.export_build(export_id=export.pk)
    ready = client.get(response.url).content.decode()
    assert f"/faili/payroll/payrollexport/{export.pk}/file/" in ready
    assert 'http-equiv="refresh"' not in ready
