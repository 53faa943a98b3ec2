import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary import services
from diary.models import DiaryEntry, DiaryMonth
from tests.factories import confirm_month, pdf_upload

T = datetime.time
D = datetime.date
NOVEMBER = D(2026, 11, 1)


def test_a_month_is_confirmed_with_its_hours_after_the_scan_is_uploaded(cast, active_plan, meet):
    # DIA-7, TS-3
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(9, 0), result="Iepazināmies")
    with pytest.raises(ValidationError) as error:
        confirm_month(active_plan, NOVEMBER)
    assert {e.code for e in error.value.error_list} == {"TS-3"}
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload("grafiks.pdf")
    )
    month = confirm_month(active_plan, NOVEMBER)
    assert (month.status, month.hours) == (DiaryMonth.Status.CONFIRMED, 3)


def test_confirming_is_refused_while_a_past_meeting_has_no_result(cast, active_plan, meet):
    # DIA-7
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 0))
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    with pytest.raises(ValidationError) as error:
        confirm_month(active_plan, NOVEMBER)
    assert "25.11.2026" in error.value.messages[0]
    assert {e.code for e in error.value.error_list} == {"DIA-7"}


def test_a_meeting_that_did_not_happen_is_deleted_before_confirming(cast, active_plan, meet):
    # DIA-7, DIA-8: deleting it leaves an empty month, confirmed as zero hours.
    entry = meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 0))
    services.entry_delete(actor=cast.mentor_user, entry=entry)
    month = confirm_month(active_plan, NOVEMBER)
    assert (month.status, month.hours) == (DiaryMonth.Status.CONFIRMED, 0)


def test_a_month_with_future_meetings_waits_for_them(cast, active_plan, meet):
    # DIA-7: confirmed at noon of the 30th, the meeting at 15:00 that day is still ahead (the
    # scan is in, so TS-3 does not refuse instead).
    meet(active_plan, D(2026, 11, 30), T(15, 0), T(16, 0))
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    with pytest.raises(ValidationError) as error:
        confirm_month(active_plan, NOVEMBER)
    assert {e.code for e in error.value.error_list} == {"DIA-7"}
    assert "30.11.2026" in error.value.messages[0]


def test_a_confirmed_month_is_read_only_even_for_a_crafted_post(
    cast, client_for, active_plan, meet
):
    # DIA-7
    entry = meet(active_plan, D(2026, 11, 25), T(7, 0), T(9, 0), result="Labi")
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    confirm_month(active_plan, NOVEMBER)
    client = client_for(cast.mentor_user)
    response = client.post(
        f"/dienasgramata/ieraksts/{entry.pk}/",
        {
            "date": "2026-11-25",
            "start_time": "07:00",
            "end_time": "11:00",
            "place": "Parks",
            "topic": "Cits",
            "result": "Labi",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["date"][0].code == "DIA-7"
    entry.refresh_from_db()
    assert entry.hours == 3
    deleted = client.post(f"/dienasgramata/ieraksts/{entry.pk}/dzest/")
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(ValidationError) as error:
        services.entry_delete(actor=cast.mentor_user, entry=entry)
    assert error.value.error_dict["date"][0].code == "DIA-7"
    assert error.value.messages[0] in [m.message for m in get_messages(deleted.wsgi_request)]
    with pytest.raises(ValidationError) as error:
        services.entry_create(
            actor=cast.mentor_user,
            plan=active_plan,
            date=D(2026, 11, 24),
            start_time=T(8, 0),
            end_time=T(9, 0),
            place="Parks",
            topic="x",
        )
    assert error.value.error_dict["date"][0].code == "DIA-7"


def test_the_mentor_plans_a_meeting_through_the_form(cast, client_for, active_plan):
    # DIA-2, DIA-3: the field names are the handbook's.
    client = client_for(cast.mentor_user)
    response = client.post(
        f"/dienasgramata/{active_plan.pk}/jauns/",
        {
            "date": "2026-12-03",
            "start_time": "15:00",
            "end_time": "17:00",
            "place": "Rīgas Centrālā bibliotēka",
            "topic": "Pastaiga un iepazīšanās",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dienasgramata/{active_plan.pk}/2026-12/"
    assert DiaryEntry.objects.get().hours == 3
    bad = client.post(
        f"/dienasgramata/{active_plan.pk}/jauns/",
        {
            "date": "2026-12-03",
            "start_time": "16:00",
            "end_time": "18:00",
            "place": "Zoom",
            "topic": "Saruna",
        },
    )
    assert bad.status_code == 200
    assert "place" in bad.context["form"].errors
    assert bad.context["form"].errors.as_data()["place"][0].code == "DIA-9"
    assert 'value="Zoom"' in bad.content.decode()  # nothing typed is lost


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_mentors_month_page_keeps_its_query_count(cast, client_for, full_time_plan, meet):
    client = client_for(cast.mentor_user)
    url = f"/dienasgramata/{full_time_plan.pk}/2026-12/"
    meet(full_time_plan, D(2026, 12, 1), T(8, 0), T(8, 40))
    few = _count(client, url)
    for day in range(2, 12):
        meet(full_time_plan, D(2026, 12, day), T(8, 0), T(8, 40))
    assert _count(client, url) == few


def test_only_months_of_the_plans_period_are_reported(cast, active_plan):
    # DIA-8: an empty month is reported as zero, but only within the plan.
    with pytest.raises(ValidationError) as error:
        confirm_month(active_plan, D(2027, 1, 1))
    assert error.value.code == "DIA-8"
    assert not DiaryMonth.objects.exists()
