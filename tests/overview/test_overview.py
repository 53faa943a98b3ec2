"""The project staff's overview: their regions' figures, each with its table and its list
(CAP-1, APR-2, APR-4, EVA-3, REG-2, PAY-6)."""

import datetime
import html
import re

import pytest

from diary import services as diary_services
from evaluation import services as evaluation_services
from iap import services as iap_services
from mentors.models import Mentor
from payroll import services as payroll_services
from payroll.models import Rate
from skola_kopiena.accounts.models import Role
from skola_kopiena.schools.models import Region
from tests.factories import (
    UserFactory,
    confirm_month,
    give_role,
    give_totp,
    make_contract,
    make_learner,
    make_plan,
    mentor_with_login,
    pdf_upload,
    region,
    school_plan,
    semester,
)
from timesheets import services as approval_services

D = datetime.date
T = datetime.time
OCTOBER = D(2026, 10, 1)


def _staff(*regions):
    """A coordinator of `regions` (none: national staff), with the second factor."""
    user = UserFactory(email=f"staff{len(regions)}{'-'.join(r.code for r in regions)}@ex.lv")
    for each in regions or [None]:
        give_role(user, Role.STAFF, region=each)
    give_totp(user)
    return user


def _row(rows, label):
    return next(row for row in rows if row.label == label)


def _held_and_confirmed(plan, month, day):
    diary_services.entry_create(
        actor=plan.mentor.user,
        plan=plan,
        date=day,
        start_time=T(15, 0),
        end_time=T(17, 0),  # 3 academic hours
        place="Bibliotēka",
        topic="Mācības",
        result="Izdevās",
    )
    diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=month, file=pdf_upload("grafiks.pdf")
    )
    return confirm_month(plan, month)


def test_only_project_staff_and_administrators_open_the_overview(cast, client_for):
    for user in (cast.mentor_user, cast.preparer, cast.approver):
        assert client_for(user).get("/parskats/").status_code == 403
    for user in (cast.staff, cast.admin):
        assert client_for(user).get("/parskats/").status_code == 200


def test_regional_staff_see_their_region_and_follow_a_figure_to_its_plans(cast, client_for):
    school_plan(cast, "Anna", to="approved")
    school_plan(cast, "Berta", to="draft")
    cesis = make_learner(cast.other_preparer, cast.other_school, first_name="Cēsniece")
    make_plan(cast.other_preparer, cesis)
    client = client_for(cast.staff)
    response = client.get("/parskats/")
    assert [r.code for r in response.context["regions"]] == ["riga"]
    active = _row(response.context["status_rows"], "aktīvs")
    draft = _row(response.context["status_rows"], "melnraksts")
    assert (active.total, draft.total) == (1, 1)  # the Cēsis draft is another region's
    link = html.unescape(
        re.search(r'href="(/iap/\?statuss=approved[^"]*regions[^"]*)"', response.content.decode())[
            1
        ]
    )
    assert link == f"/iap/?statuss=approved&semestris={semester().pk}&regions={region('riga').pk}"
    listed = client.get(link)
    assert [plan.learner.first_name for plan in listed.context["page"].object_list] == ["Anna"]


def test_national_staff_see_every_region_side_by_side(cast, client_for):
    school_plan(cast, "Anna", to="approved")
    cesis = make_learner(cast.other_preparer, cast.other_school, first_name="Cēsniece")
    make_plan(cast.other_preparer, cesis)
    response = client_for(_staff()).get("/parskats/")
    regions = response.context["regions"]
    assert len(regions) == Region.objects.count()
    draft = _row(response.context["status_rows"], "melnraksts")
    by_region = {region.code: n for n, _link, region in draft.cells}
    assert by_region["riga"] == 0 and by_region["vidzeme"] == 1 and draft.total == 1
    assert _row(response.context["status_rows"], "aktīvs").total == 1


def test_a_coordinator_of_two_regions_sees_both(cast, client_for):
    both = _staff(region("riga"), region("vidzeme"))
    response = client_for(both).get("/parskats/")
    assert sorted(r.code for r in response.context["regions"]) == ["riga", "vidzeme"]


def test_modules_risks_learners_and_the_mentors_load(cast, client_for):
    # ELIG-3, ELIG-4, CAP-1
    anna = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    school_plan(cast, "Berta", to="approved", mentor=cast.mentor, contract=anna.contract)
    response = client_for(cast.staff).get("/parskats/")
    context = response.context
    assert _row(context["module_rows"], "II modulis – sociālās atstumtības risks").total == 2
    assert _row(context["risk_rows"], "mācīšanās grūtības").total == 2
    assert _row(context["people_rows"], "Atbalstītie izglītojamie").total == 2
    assert _row(context["people_rows"], "Mentori, kas viņus atbalstīja").total == 1
    assert _row(context["load_rows"], "2 no 6 izglītojamajiem").total == 1
    assert _row(context["load_rows"], "1 no 6 izglītojamajiem").total == 0
    # Each figure opens the list it counts: the mentors with that load, the plans mentored.
    client = client_for(cast.staff)
    link = _row(context["load_rows"], "2 no 6 izglītojamajiem").cells[0][1]
    assert link == f"/mentori/?region={cast.riga.pk}&skoleni=2"
    assert [m.pk for m in client.get(link).context["page"].object_list] == [cast.mentor.pk]
    one_link = _row(context["load_rows"], "1 no 6 izglītojamajiem").cells[0][1]
    assert list(client.get(one_link).context["page"].object_list) == []
    mentored = _row(context["people_rows"], "Mentori, kas viņus atbalstīja").cells[0][1]
    plans = client.get(mentored).context["page"].object_list
    assert {plan.mentor for plan in plans} == {cast.mentor}


def test_a_school_years_load_and_places_are_of_its_semester_under_way(cast, client_for):
    # CAP-1: in November the year's figures of mentors show the first semester, not the
    # second, which has not begun; an earlier semester's load has no list to open.
    school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    autumn = semester()
    client = client_for(cast.staff)
    year = client.get(f"/parskats/?periods=gads-{autumn.school_year_id}").context
    assert year["semester"] == autumn
    assert _row(year["load_rows"], "1 no 6 izglītojamajiem").total == 1
    last_spring = semester("2025/2026", 2)
    spring = client.get(f"/parskats/?periods=semestris-{last_spring.pk}").context
    assert spring["semester"] == last_spring
    assert _row(spring["load_rows"], "1 no 6 izglītojamajiem").cells[0][1] == ""


def test_hours_per_month_planned_confirmed_approved_and_paid(cast, client_for):
    # PAY-6: a closed payroll month counts as paid.
    payroll_services.rate_save(
        actor=cast.admin,
        rate=Rate(valid_from=D(2026, 1, 1), amount="14.20", legal_basis="Metodika, 01.01.2026"),
    )
    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    month = _held_and_confirmed(plan, OCTOBER, D(2026, 10, 6))
    approval_services.month_approve(actor=cast.approver, diary_month=month)
    payroll_services.payroll_close(actor=cast.approver, employers=[cast.school], month=OCTOBER)
    response = client_for(cast.staff).get("/parskats/")
    october = next(row for row in response.context["hours"]["rows"] if row["month"] == OCTOBER)
    assert [value for value, _link in october["values"]] == [plan.monthly_hours, 3, 3, 3]
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page  # the plot, and its table beneath
    assert not re.search(r'(x|y|width|height)="[0-9.]*,', page)  # no decimal comma in SVG
    # The approved figure opens its months in the hours check, which every reader of the
    # overview opens (an auditor has no admin).
    assert "/parbaude/?menesis=2026-10-01&amp;statuss=approved" in page
    for reader in (cast.staff, cast.auditor):
        behind = client_for(reader).get("/parbaude/?menesis=2026-10-01&statuss=approved")
        assert [m.pk for m in behind.context["months"]] == [month.pk]
    # The planned hours of a month open the plans running in it; a plan terminated in
    # September is not among October's.
    ended = school_plan(cast, "Berta", to="approved", mentor=cast.mentor, contract=plan.contract)
    iap_services.plan_terminate(
        actor=cast.preparer, plan=ended, terminated_on=D(2026, 9, 30), reason="Pārcēlās"
    )
    october = next(
        row
        for row in client_for(cast.staff).get("/parskats/").context["hours"]["rows"]
        if row["month"] == OCTOBER
    )
    planned_link = october["values"][0][1]
    assert "menesis=2026-10" in planned_link
    listed = client_for(cast.staff).get(planned_link)
    assert [p.pk for p in listed.context["page"].object_list] == [plan.pk]
    assert "Plāni, kuros mentorings norit mēnesī: oktobris 2026" in listed.content.decode()


def test_months_waiting_show_each_employers_deadline_and_days_late(cast, client_for):
    # APR-1, APR-2: the school approves by the 10th; on 25 November October is 15 days late.
    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    _held_and_confirmed(plan, OCTOBER, D(2026, 10, 6))
    response = client_for(cast.staff).get("/parskats/")
    (waiting,) = response.context["waiting"].employers
    assert (waiting.name, waiting.waiting, waiting.oldest) == (cast.school.name, 1, OCTOBER)
    assert (waiting.deadline, waiting.days_late) == (D(2026, 11, 10), 15)
    assert (response.context["waiting"].total, response.context["waiting"].late) == (1, 1)


def test_the_overview_shows_the_latest_employers_and_the_rest_one_click_away(
    cast, client_for, monkeypatch
):
    # APR-2: hundreds of employers nationally: the latest first, all of them one click away.
    from overview import views

    monkeypatch.setattr(views, "EMPLOYERS_SHOWN", 1)
    school = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    _held_and_confirmed(school, OCTOBER, D(2026, 10, 6))
    berta = mentor_with_login("Berta")
    youth = school_plan(
        cast,
        "Berta",
        mentor=berta,
        contract=make_contract(cast.preparer, berta, cast.youth_centre),
    )
    _held_and_confirmed(youth, OCTOBER, D(2026, 10, 6))
    overview = client_for(cast.staff).get("/parskats/")
    waiting = overview.context["waiting"]
    assert (len(waiting.employers), waiting.total, waiting.late) == (1, 2, 2)
    page = html.unescape(overview.content.decode())
    assert "2 darba devējiem ir mēneši, kas gaida apstiprinājumu, 2 no tiem kavē." in page
    assert "?periods=" in page and "darba_deveji=visi#waiting" in page
    everyone = client_for(cast.staff).get("/parskats/?darba_deveji=visi")
    assert {e.name for e in everyone.context["waiting"].employers} == {
        cast.school.name,
        cast.youth_centre.name,
    }


def test_the_evaluations_answers_are_counted_per_question(cast, client_for):
    # EVA-3
    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    plan = iap_services.plan_terminate(
        actor=cast.preparer, plan=plan, terminated_on=D(2026, 11, 20), reason="Pārcēlās"
    )
    evaluation, _started = evaluation_services.evaluation_start(actor=cast.preparer, plan=plan)
    evaluation_services.evaluation_save(
        actor=cast.mentor_user,
        evaluation=evaluation,
        answers={
            "risks_reduced": "yes",
            "confidence_strengthened": "partly",
            "confidence_strengthened_comment": "Lēnām",
            "development_promoted": "no",
            "development_promoted_comment": "Pārcēlās",
            "result_achieved": "Daļēji",
            "recommendations": "Turpināt jaunajā skolā",
            "termination_reasons": "Ģimene pārcēlās",
        },
        submit=True,
    )
    response = client_for(cast.staff).get("/parskats/")
    totals = {row.label: row.total for row in response.context["evaluation_rows"]}
    question = "Vai mentorings mazināja IAP identificētos riskus?"
    assert totals[f"{question}: Jā"] == 1 and totals[f"{question}: Nē"] == 0
    assert response.context["evaluations_counted"] == 1
    # Each answer's figure opens the plans whose evaluation gave it, and only those.
    rows = {row.label: row for row in response.context["evaluation_rows"]}
    yes, no = rows[f"{question}: Jā"].link, rows[f"{question}: Nē"].link
    listed = client_for(cast.staff).get(yes)
    assert [p.pk for p in listed.context["page"].object_list] == [plan.pk]
    assert f'href="/iap/{plan.pk}/izvertesana/"' in listed.content.decode()
    assert client_for(cast.staff).get(no).context["page"].object_list == []
    # Another region's staff count and list nothing of Rīga's.
    assert client_for(cast.other_staff).get(yes).context["page"].object_list == []


def test_supply_and_demand_show_where_mentors_are_missing(cast, client_for):
    # REG-2, CAP-1: Anna is ready in Rīga and Jūrmala and supports one learner; a mentor who
    # asked to be hidden is not counted; two Rīga plans wait for a mentor.
    school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    hidden = Mentor.objects.get(pk=cast.second_mentor.pk)
    hidden.region = region("riga")
    hidden.hidden_from_search = True
    hidden.save()
    hidden.municipalities.add(cast.school.municipality)
    for name in ("Gaida", "Gaidis"):
        make_plan(cast.preparer, make_learner(cast.preparer, cast.school, first_name=name))
    response = client_for(cast.staff).get("/parskats/")
    rows = {m.name: m for m in response.context["municipalities"]}
    riga, jurmala = rows["Rīga"], rows["Jūrmala"]
    assert (riga.ready_mentors, riga.free_places, riga.without_mentor) == (1, 5, 2)
    assert (jurmala.ready_mentors, jurmala.free_places, jurmala.without_mentor) == (1, 5, 0)
    # The balance says that Rīga's free places cover its two plans waiting.
    page = response.content.decode()
    assert "trūkst mentoru" not in page and "pietiek brīvu vietu" in page
    # "Mentors ready" opens those the figure counts: the hidden mentor is not among them.
    ready = client_for(cast.staff).get(
        f"/mentori/?municipality={cast.school.municipality.pk}&gatavi=on"
    )
    assert [m.pk for m in ready.context["page"].object_list] == [cast.mentor.pk]
    assert f"?municipality={cast.school.municipality.pk}&amp;gatavi=on" in page
    listed = client_for(cast.staff).get(
        f"/iap/?pasvaldiba={cast.school.municipality.pk}&bez_mentora=on"
    )
    names = {plan.learner.first_name for plan in listed.context["page"].object_list}
    assert names == {"Gaida", "Gaidis"}


def test_the_overview_keeps_its_query_count(cast, client_for, django_assert_num_queries):
    client = client_for(cast.staff)

    def pinned():
        # session, user, roles, TOTP; 5 the periods (semesters); 6 the municipalities with
        # their mentors, free places and plans without a mentor (and so the regions); 7 plans
        # by status, module and category; 8 risks; 9 learners, mentors and planned hours; 10
        # the mentors' load; 11 confirmed and approved hours; 12 paid hours; 13 months waiting
        # per employer; 14 the evaluations' answers; save session (a savepoint, the update, its
        # release).
        with django_assert_num_queries(17):
            assert client.get("/parskats/").status_code == 200

    pinned()
    for name in ("Anna", "Berta", "Cilda", "Dace"):
        plan = school_plan(cast, name, to="approved")
        _held_and_confirmed(plan, OCTOBER, D(2026, 10, 6))
    pinned()


@pytest.mark.parametrize("period", ["gads", "semestris"])
def test_a_school_year_or_a_semester_is_shown(cast, client_for, period):
    autumn = semester()
    value = f"gads-{autumn.school_year_id}" if period == "gads" else f"semestris-{autumn.pk}"
    response = client_for(cast.staff).get(f"/parskats/?periods={value}")
    chosen = response.context["period"]
    assert chosen.value == value
    months = [month.month for month in chosen.months]
    assert months[0] == 9 and (len(months) == 12 if period == "gads" else months[-1] == 12)


def test_a_period_without_plans_says_so_above_its_zeros(cast, client_for):
    school_plan(cast, "Anna", to="approved")
    client = client_for(cast.staff)
    empty = semester("2025/2026", 1)
    said = "Šajā periodā nav neviena atbalsta plāna"
    assert said in client.get(f"/parskats/?periods=semestris-{empty.pk}").content.decode()
    assert said not in client.get("/parskats/").content.decode()


def test_the_plan_list_filters_as_the_figures_count(cast, client_for):
    # ELIG-3, ELIG-4: the module and risk figures link to these filters of the plan list.
    school_plan(cast, "Anna", to="approved")
    learner = make_learner(cast.preparer, cast.school, first_name="Pirmā")
    make_plan(cast.preparer, learner, module="I", category="c", risks=[], monthly_hours=4)
    client = client_for(cast.staff)

    def names(query):
        response = client.get(f"/iap/?{query}")
        return {plan.learner.first_name for plan in response.context["page"].object_list}

    assert names("modulis=I") == {"Pirmā"}
    assert names("modulis=I&kategorija=c") == {"Pirmā"}
    assert names("modulis=I&kategorija=a") == set()
    assert names("modulis=II&risks=learning_difficulties") == {"Anna"}
    assert names("risks=immigrant") == set()
    assert names(f"regions={region('vidzeme').pk}") == set()
    assert names("notika=on") == {"Anna"}
