"""A person's complete record: one ZIP for a learner or a mentor, listing what it holds, with
the history of every change; producing it is logged (ACC-1, ACC-3)."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

from diary import services as diary_services
from overview.records import Record
from payroll.models import PayrollLine
from skola_kopiena.accounts.models import AccessLog
from tests.factories import confirm_month, pdf_upload, school_plan

D = datetime.date
T = datetime.time
OCTOBER = D(2026, 10, 1)
CANARY = "IERAKSTA-VIETA-8812"


def _plan_with_a_month(cast):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    diary_services.entry_create(
        actor=plan.mentor.user,
        plan=plan,
        date=D(2026, 10, 6),
        start_time=T(15, 0),
        end_time=T(17, 0),
        place=f"Parks {CANARY}",
        topic="Mācības",
        result="Izdevās",
    )
    diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=OCTOBER, file=pdf_upload("grafiks.pdf")
    )
    confirm_month(plan, OCTOBER)
    return plan


def _zip(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_staff_download_a_learners_complete_record(cast, client_for):
    plan = _plan_with_a_month(cast)
    learner = plan.learner
    archive = _zip(client_for(cast.staff).post(f"/izglitojamie/{learner.pk}/pilns-ieraksts/"))
    names = archive.namelist()
    assert names[0] == "saturs.txt"
    contents = archive.read("saturs.txt").decode()
    assert f"Pilns ieraksts: {learner}" in contents
    for name in ("izglitojamais.csv", "iap.csv", "dienasgramata.csv", "vesture-iap.csv"):
        assert name in names and name in contents
    # The diary whole, the plan's documents and the month's signed timesheet.
    assert CANARY in archive.read("dienasgramata.csv").decode("utf-8-sig")
    assert any(n.startswith("dokumenti/diarymonth-") for n in names)
    assert any(n.startswith("dokumenti/plan-") for n in names)
    # The history of every change: the plan's, from its draft to its approval.
    history = _table(archive, "vesture-iap.csv")
    assert len(history) - 1 >= 4  # created, submitted, approved, and the steps between
    logged = AccessLog.objects.get(action=AccessLog.Action.RECORD_EXPORT)
    assert (logged.user, logged.object_id) == (cast.staff, str(learner.pk))
    # Every table is headed in Latvian, each column once.
    for name in names:
        if name.endswith(".csv"):
            header = _table(archive, name)[0]
            assert len(set(header)) == len(header), (name, header)
            assert not {"plan", "starts at", "history id", "history user"} & set(header)
    assert _table(archive, "vesture-iap.csv")[0][-5:] == [
        "izmaiņas Nr.",
        "mainīts",
        "izmaiņu iemesls",
        "izmaiņu veids",
        "mainīja",
    ]


def test_amounts_in_a_record_have_the_decimal_comma_of_the_pages():
    line = PayrollLine(amount=Decimal("198.80"))
    assert Record("", "")._value(line, PayrollLine._meta.get_field("amount")) == "198,80"


def test_a_mentors_record_names_plans_by_number_not_learners(cast, client_for):
    plan = _plan_with_a_month(cast)
    archive = _zip(client_for(cast.staff).post(f"/mentori/{cast.mentor.pk}/pilns-ieraksts/"))
    names = archive.namelist()
    for name in ("mentors.csv", "ligumi.csv", "dienasgramata.csv", "mentora-pasvaldibas.csv"):
        assert name in names
    everything = "".join(
        archive.read(n).decode("utf-8-sig") for n in names if n.endswith((".csv", ".txt"))
    )
    assert f"Nr. {plan.pk}" in everything
    assert "Annija" not in everything  # the learner's name is not the mentor's to receive
    assert AccessLog.objects.filter(
        action=AccessLog.Action.RECORD_EXPORT, mentor_pk=cast.mentor.pk
    ).exists()


def test_only_staff_of_the_region_and_administrators_produce_a_record(cast, client_for):
    plan = _plan_with_a_month(cast)
    url = f"/izglitojamie/{plan.learner.pk}/pilns-ieraksts/"
    assert client_for(cast.other_staff).post(url).status_code == 404
    for user in (cast.preparer, cast.approver, cast.mentor_user):
        assert client_for(user).post(url).status_code == 403
    assert client_for(cast.admin).post(url).status_code == 200
    assert client_for(cast.staff).get(url).status_code == 405


def test_the_record_takes_the_same_queries_however_long_the_diary(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from overview import records

    plan = _plan_with_a_month(cast)

    def queries():
        with CaptureQueriesContext(connection) as context:
            records.learner_record(plan.learner, cast.staff).zip()
        return len(context)

    queries()  # once first: what Django caches for the process is read on the first call
    before = queries()
    for day in (13, 18, 20):
        diary_services.entry_create(
            actor=plan.mentor.user,
            plan=plan,
            date=D(2026, 11, day),
            start_time=T(15, 0),
            end_time=T(16, 0),
            place="Bibliotēka",
            topic="Mācības",
            result="Izdevās",
        )
    assert queries() == before


def test_the_history_names_the_documents_of_each_version(cast, client_for):
    # ACC-3: a scan uploaded again: its history rows lead to the files in the ZIP (the
    # earlier one too, while the server keeps it), not to the server's stored names.
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    for name in ("pirmais.pdf", "otrais.pdf"):
        diary_services.month_upload_scan(
            actor=plan.mentor.user, plan=plan, month=OCTOBER, file=pdf_upload(name)
        )
    archive = _zip(client_for(cast.staff).post(f"/izglitojamie/{plan.learner.pk}/pilns-ieraksts/"))
    rows = _table(archive, "vesture-dienasgramatas-menesi.csv")
    column = rows[0].index("parakstītā grafika skenētā kopija")
    named = {row[column] for row in rows[1:]} - {""}
    month = plan.diary_months.get()
    current = f"dokumenti/diarymonth-{month.pk}-timesheet_scan.pdf"
    assert named == {current, "dokumenti/iepriekseja-versija-1.pdf"}
    assert named <= set(archive.namelist())
    assert "dokumenta iepriekšējā versija" in archive.read("saturs.txt").decode()
