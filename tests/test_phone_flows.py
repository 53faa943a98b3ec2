"""Phone first (issue 11), on the server: what each dashboard offers and where it leads, one
verb for one action on the diary's entry form, and pages that offer only what can be done.

The browser's side (the menu button, taps and scrolls on a 360×740 screen) is in
tests/e2e/test_phone.py.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from diary import services as diary_services
from diary.models import DiaryEntry, DiaryMonth
from iap import services as iap_services
from iap.models import Plan
from tests.factories import (
    advance_plan,
    confirm_month,
    make_learner,
    make_plan,
    pdf_upload,
)
from timesheets import services as timesheet_services

T = datetime.time
D = datetime.date


def lv(text):
    """A message as the Latvian page shows it (the English msgid until it is translated)."""
    with translation.override("lv"):
        return gettext(text)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


def cards_of(html):
    """The dashboard's cards, each as its HTML."""
    return re.findall(r'<section class="card[^"]*">.*?</section>', main_of(html), re.S)


def october_plan(plan):
    """The plan as if it had started on 1 October, so that October is one of its months."""
    plan.start_date = D(2026, 10, 1)
    plan.save()
    return plan


def confirmed_october(cast, plan, meet):
    october_plan(plan)
    meet(plan, D(2026, 10, 14), T(15, 0), T(16, 20), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=D(2026, 10, 1), file=pdf_upload()
    )
    return confirm_month(plan, D(2026, 10, 1))


# --- The mentor's dashboard -----------------------------------------------------------------


def test_the_mentors_learner_cards_come_before_every_other_card(cast, client_for, active_plan):
    cards = cards_of(page(client_for(cast.mentor_user), "/"))
    assert "diary-card" in cards[0]
    assert active_plan.learner.full_name in cards[0]
    # A learner's ended plan and this one are told apart by their semester.
    assert str(active_plan.semester) in cards[0]
    first_other = next(i for i, card in enumerate(cards) if "diary-card" not in card)
    assert all("diary-card" not in card for card in cards[first_other:])


def test_record_a_meeting_on_the_card_opens_the_form_for_a_meeting_that_has_just_ended(
    cast, client_for, active_plan
):
    client = client_for(cast.mentor_user)
    (card,) = [c for c in cards_of(page(client, "/")) if "diary-card" in c]
    url = f"/dienasgramata/{active_plan.pk}/jauns/"
    assert f'href="{url}"' in card
    assert lv("Record a meeting") in card
    response = client.get(url)
    form = response.context["form"]
    # Today, and the typical two academic hours (DIA-11) ending at the last five minutes.
    assert form["date"].value() == D(2026, 11, 25)
    assert (form["start_time"].value(), form["end_time"].value()) == (T(9, 10), T(10, 30))
    html = response.content.decode()
    assert re.search(r"<h1[^>]*>\s*" + re.escape(lv("Record a meeting")) + r"\s*</h1>", html)
    assert re.search(
        r"<button[^>]*data-entry-submit[^>]*>" + re.escape(lv("Record a meeting")), html
    )
    assert re.search(r"data-hours-output>2<", html)


def test_the_meeting_just_ended_is_as_long_as_the_hours_left_in_the_month(
    cast, client_for, active_plan, meet
):
    # CAP-2: 8 hours a month; 7 are taken, so the form offers one academic hour.
    meet(active_plan, D(2026, 11, 27), T(12, 0), T(16, 40))
    form = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/jauns/")
    form = form.context["form"]
    assert (form["start_time"].value(), form["end_time"].value()) == (T(9, 50), T(10, 30))


def test_the_recorded_meeting_is_saved_from_the_prefilled_form(cast, client_for, active_plan):
    client = client_for(cast.mentor_user)
    url = f"/dienasgramata/{active_plan.pk}/jauns/"
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "date": form["date"].value().isoformat(),
            "start_time": form["start_time"].value().strftime("%H:%M"),
            "end_time": form["end_time"].value().strftime("%H:%M"),
            "place": "Vērmanes dārzs",
            "topic": "Iepazīšanās",
            "result": "Sarunājām nākamo tikšanos",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dienasgramata/{active_plan.pk}/2026-11/"
    entry = DiaryEntry.objects.get(plan=active_plan)
    assert (entry.date, entry.hours, entry.result) == (
        D(2026, 11, 25),
        2,
        "Sarunājām nākamo tikšanos",
    )


def test_a_plan_that_starts_later_offers_to_plan_its_first_meeting(cast, client_for, active_plan):
    active_plan.start_date = D(2026, 12, 1)
    active_plan.save()
    (card,) = [c for c in cards_of(page(client_for(cast.mentor_user), "/")) if "diary-card" in c]
    assert f'href="/dienasgramata/{active_plan.pk}/jauns/?datums=2026-12-01"' in card
    assert lv("Plan a meeting") in card


@pytest.mark.parametrize(
    ("date", "start", "verb"),
    [
        ("2026-11-20", "15:00", "Record a meeting"),  # a past date
        ("2026-11-25", "08:00", "Record a meeting"),  # today, already started (now 10:30)
        ("2026-11-25", "15:00", "Plan a meeting"),  # today, still ahead
        ("2026-12-03", "15:00", "Plan a meeting"),  # a future date
    ],
)
def test_the_entry_forms_title_and_button_follow_the_date(
    cast, client_for, active_plan, date, start, verb
):
    # One verb for one action; the form comes back (nothing typed lost) with the right verb.
    response = client_for(cast.mentor_user).post(
        f"/dienasgramata/{active_plan.pk}/jauns/",
        {"date": date, "start_time": start, "end_time": "16:20", "place": "", "topic": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1[^>]*>\s*" + re.escape(lv(verb)) + r"\s*</h1>", html)
    assert re.search(r"<button[^>]*data-entry-submit[^>]*>" + re.escape(lv(verb)), html)
    # The live script gets both verbs and the server's clock, to follow the date as it changes.
    assert lv("Record a meeting") in html and lv("Plan a meeting") in html
    assert 'data-now="2026-11-25 10:30"' in html


def test_the_month_pages_button_plans_in_a_month_ahead_and_records_in_this_one(
    cast, client_for, active_plan
):
    client = client_for(cast.mentor_user)
    november = main_of(page(client, f"/dienasgramata/{active_plan.pk}/2026-11/"))
    december = main_of(page(client, f"/dienasgramata/{active_plan.pk}/2026-12/"))
    new = f"/dienasgramata/{active_plan.pk}/jauns/?datums="
    assert re.search(re.escape(new) + r'2026-11-01">' + re.escape(lv("Record a meeting")), november)
    assert re.search(re.escape(new) + r'2026-12-01">' + re.escape(lv("Plan a meeting")), december)


def test_a_span_under_40_minutes_says_why_it_counts_for_no_hour(cast, client_for, active_plan):
    # DIA-4: not a bare "0".
    response = client_for(cast.mentor_user).post(
        f"/dienasgramata/{active_plan.pk}/jauns/",
        {"date": "2026-12-03", "start_time": "15:00", "end_time": "15:30", "place": "Parks"},
    )
    html = response.content.decode()
    assert re.search(r"data-hours-output>0<", html)
    assert lv("under 40 minutes: not one academic hour") in html
    # The script shows the same when the times change in the browser.
    assert 'data-hours-short="' + lv("under 40 minutes: not one academic hour") + '"' in html


def test_each_edit_link_names_its_meeting_for_screen_readers(cast, client_for, active_plan, meet):
    entry = meet(active_plan, D(2026, 11, 27), T(15, 0), T(16, 20))
    html = main_of(page(client_for(cast.mentor_user), f"/dienasgramata/{active_plan.pk}/2026-11/"))
    link = re.search(rf'<a [^>]*href="/dienasgramata/ieraksts/{entry.pk}/">(.*?)</a>', html, re.S)
    hidden = re.search(r'<span class="visually-hidden">(.*?)</span>', link.group(1), re.S)
    assert "27.11.2026" in hidden.group(1) and "15:00" in hidden.group(1)
    assert "16:20" in hidden.group(1)


# --- Returned months link to themselves, each once --------------------------------------------


def test_the_returned_month_links_to_that_month_and_is_listed_once(
    cast, client_for, active_plan, meet
):
    october = confirmed_october(cast, active_plan, meet)
    timesheet_services.month_return(
        actor=cast.approver, diary_month=october, reason="Grafikā trūkst paraksta"
    )
    (card,) = [c for c in cards_of(page(client_for(cast.mentor_user), "/")) if "diary-card" in c]
    month_url = f"/dienasgramata/{active_plan.pk}/2026-10/"
    assert f'href="{month_url}"' in card
    assert "Grafikā trūkst paraksta" in card
    with translation.override("lv"):
        named = date_format(D(2026, 10, 1), "F Y")
    assert card.count(named) == 1


def test_a_month_not_yet_confirmed_links_to_that_month(cast, client_for, active_plan):
    october_plan(active_plan)
    (card,) = [c for c in cards_of(page(client_for(cast.mentor_user), "/")) if "diary-card" in c]
    assert f'href="/dienasgramata/{active_plan.pk}/2026-10/"' in card


# --- The approver's, the preparer's and the staff's dashboards ------------------------------


def test_the_approvers_home_page_says_how_many_months_wait_and_by_when(
    cast, client_for, active_plan, meet
):
    client = client_for(cast.approver)
    empty = main_of(page(client, "/"))
    assert 'href="/stundas/"' in empty
    october = confirmed_october(cast, active_plan, meet)
    (card,) = [c for c in cards_of(page(client, "/")) if 'href="/stundas/"' in c]
    deadline = cast.school.hours_approval_deadline(october.month)  # APR-2
    with translation.override("lv"):
        expected = ngettext(
            "%(counter)s month waits for approval, deadline %(deadline)s",
            "%(counter)s months wait for approval, the oldest's deadline %(deadline)s",
            1,
        ) % {"counter": 1, "deadline": deadline.strftime("%d.%m.%Y")}  # with its year
    assert expected in card


def test_the_approvers_dashboard_has_no_mentor_search_and_the_preparers_keeps_it(cast, client_for):
    # The nav still leads to the registry; the dashboard's search card is the preparer's.
    assert "/mentori/?municipality=" not in main_of(page(client_for(cast.approver), "/"))
    assert "/mentori/?municipality=" in main_of(page(client_for(cast.preparer), "/"))


def test_the_preparers_counts_link_to_the_plans_with_that_status(cast, client_for, plan):
    other = make_plan(
        cast.preparer, make_learner(cast.preparer, cast.school, first_name="Otrs", last_name="X")
    )
    advance_plan(other, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    other.refresh_from_db()
    iap_services.plan_return(actor=cast.approver, plan=other, reason="Precizējiet riskus")
    client = client_for(cast.preparer)
    html = main_of(page(client, "/"))
    for status in ("draft", "returned", "submitted", "approved"):
        assert f'href="/iap/?statuss={status}"' in html
    listed = client.get("/iap/?statuss=returned").context["page"].object_list
    assert [p.pk for p in listed] == [other.pk]


def test_the_staffs_counts_link_to_the_plans_with_that_status(cast, client_for, active_plan):
    html = main_of(page(client_for(cast.staff), "/"))
    for status in ("approved", "submitted", "draft"):
        assert f'href="/iap/?statuss={status}"' in html


# --- Pages offer only what can be done --------------------------------------------------------


def _offers(html, plan):
    """Which of planning, the month end and changing entries a diary page offers."""
    main = main_of(html)
    return {
        "plan": f"/dienasgramata/{plan.pk}/jauns/" in main,
        "confirm": "/apstiprinat/" in main,
        "scan": "/grafiks/" in main,
        "edit": "/dienasgramata/ieraksts/" in main,
    }


NOTHING = {"plan": False, "confirm": False, "scan": False, "edit": False}


def test_an_open_month_of_an_approved_plan_offers_everything(cast, client_for, active_plan, meet):
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20))
    html = page(client_for(cast.mentor_user), f"/dienasgramata/{active_plan.pk}/2026-11/")
    offers = _offers(html, active_plan)
    # Confirming is offered from the month's last day (DIA-7); the scan and the rest now.
    assert offers == {"plan": True, "confirm": False, "scan": True, "edit": True}


def test_a_month_outside_the_plans_period_offers_nothing_to_do(cast, client_for, active_plan):
    html = page(client_for(cast.mentor_user), f"/dienasgramata/{active_plan.pk}/2027-03/")
    assert _offers(html, active_plan) == NOTHING
    with translation.override("lv"):
        said = gettext("%(month)s is outside the plan's period.") % {
            "month": date_format(D(2027, 3, 1), "F Y")
        }
    assert said in html


def test_the_diary_of_a_plan_not_yet_approved_offers_nothing_to_do(cast, client_for, plan):
    submitted = advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    client = client_for(cast.mentor_user)
    html = page(client, f"/dienasgramata/{submitted.pk}/2026-11/")
    assert _offers(html, submitted) == NOTHING
    assert lv("The plan is not approved yet.") in html
    # The entry form says why instead of offering a button ...
    form_page = page(client, f"/dienasgramata/{submitted.pk}/jauns/")
    assert "data-entry-submit" not in form_page
    assert lv("The plan is not approved yet.") in form_page
    # ... and the service refuses a posted meeting as before (IAP-5).
    posted = client.post(
        f"/dienasgramata/{submitted.pk}/jauns/",
        {
            "date": "2026-11-25",
            "start_time": "07:00",
            "end_time": "08:20",
            "place": "Parks",
            "topic": "Iepazīšanās",
        },
    )
    assert posted.status_code == 200
    assert posted.context["form"].errors.as_data()["date"][0].code == "IAP-5"
    assert not DiaryEntry.objects.exists()


def test_the_diary_of_a_closed_plan_offers_nothing_to_do(cast, client_for, active_plan, meet):
    entry = meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    Plan.objects.filter(pk=active_plan.pk).update(
        status=Plan.Status.CLOSED,
        closed_at=timezone.now(),
        closed_by=cast.preparer,
        timesheets_received=True,
    )
    client = client_for(cast.mentor_user)
    assert _offers(page(client, f"/dienasgramata/{active_plan.pk}/2026-11/"), active_plan) == (
        NOTHING
    )
    entry_page = page(client, f"/dienasgramata/ieraksts/{entry.pk}/")
    assert "data-entry-submit" not in entry_page and "/dzest/" not in entry_page


def test_an_entry_of_a_confirmed_month_is_shown_without_save_or_delete(
    cast, client_for, active_plan, meet
):
    confirmed_october(cast, active_plan, meet)
    entry = DiaryEntry.objects.get(plan=active_plan)
    client = client_for(cast.mentor_user)
    month = page(client, f"/dienasgramata/{active_plan.pk}/2026-10/")
    assert _offers(month, active_plan) == NOTHING
    html = main_of(page(client, f"/dienasgramata/ieraksts/{entry.pk}/"))
    assert "data-entry-submit" not in html and "<form" not in html
    assert f"/dienasgramata/ieraksts/{entry.pk}/dzest/" not in html
    assert "Labi" in html  # the entry is shown
    # The services refuse a change as before (DIA-7).
    response = client.post(
        f"/dienasgramata/ieraksts/{entry.pk}/",
        {
            "date": "2026-10-14",
            "start_time": "15:00",
            "end_time": "16:20",
            "place": "Parks",
            "topic": "Cits",
            "result": "Labi",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["date"][0].code == "DIA-7"
    with pytest.raises(ValidationError):
        diary_services.entry_delete(actor=cast.mentor_user, entry=entry)


def test_a_returned_month_is_open_again_for_changes(cast, client_for, active_plan, meet):
    october = confirmed_october(cast, active_plan, meet)
    timesheet_services.month_return(actor=cast.approver, diary_month=october, reason="Labojiet")
    html = page(client_for(cast.mentor_user), f"/dienasgramata/{active_plan.pk}/2026-10/")
    assert _offers(html, active_plan) == {"plan": True, "confirm": True, "scan": True, "edit": True}
    assert DiaryMonth.objects.get(pk=october.pk).status == DiaryMonth.Status.RETURNED


# --- Invitations are told apart ---------------------------------------------------------------


def test_the_mentors_invitations_name_first_name_grade_municipality_and_date(
    cast, client_for, plan
):
    iap_services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    learner = plan.learner
    client = client_for(cast.mentor_user)
    for url in ("/uzaicinajumi/", "/"):
        html = main_of(page(client, url))
        assert learner.first_name in html
        assert learner.year_label in html
        assert str(learner.institution.municipality) in html
        assert "25.11.2026" in html
        # IAP-3: an invited mentor sees no more than the profile: not the last name.
        assert learner.last_name not in html


def test_the_staff_count_of_months_waiting_for_approval_links_to_them(cast, client_for):
    # Everything on a dashboard that names work links to it: the region's confirmed months,
    # all of them, in the portal's hours check (not the admin).
    for user in (cast.staff, cast.auditor):
        page = client_for(user).get("/").content.decode()
        link = "/parbaude/?statuss=confirmed"
        assert f'href="{link}"' in page
        assert client_for(user).get(link).status_code == 200
