import factory
from allauth.mfa.models import Authenticator

from mentors.models import Mentor
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.schools.models import Institution, Municipality, Region

PASSWORD = "pareiza-parole-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lietotajs{n}@example.lv")
    first_name = "Ieva"
    last_name = factory.Sequence(lambda n: f"Lietotāja{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def region(code):
    return Region.objects.get(code=code)


def municipality(name):
    return Municipality.objects.get(name=name)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Skola Nr. {n}")
    kind = Institution.Kind.GENERAL
    municipality = factory.LazyFunction(lambda: municipality("Rīga"))


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    first_name = "Mārtiņš"
    last_name = factory.Sequence(lambda n: f"Mentors{n:03d}")
    email = factory.Sequence(lambda n: f"mentors{n}@example.lv")
    phone = "+371 2000 0000"
    certificate_number = factory.Sequence(lambda n: f"SK-{n:05d}")
    region = factory.LazyFunction(lambda: region("riga"))

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(extracted or [municipality("Rīga")])


def give_role(user, role, *, institution=None, region=None, sample_only=False):
    return RoleMembership.objects.create(
        user=user, role=role, institution=institution, region=region, sample_only=sample_only
    )


def give_totp(user):
    """A TOTP authenticator row, so that staff pass the MFA requirement in tests."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


__all__ = ["PASSWORD", "Role"]


# --- Plans: built through the same services the portal uses ------------------------------


def _one_page_pdf():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A whole PDF of one blank A4 page: uploads are checked as a whole (it must parse).
PDF_BYTES = _one_page_pdf()


def pdf_upload(name="dokuments.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def semester(year="2026/2027", number=1):
    from skola_kopiena.schools.models import Semester

    return Semester.objects.get(school_year__name=year, number=number)


def make_learner(preparer, institution, **fields):
    import datetime

    from iap.services import learner_register

    values = {
        "first_name": "Kārlis",
        "last_name": "Bērziņš",
        "birth_date": datetime.date(2012, 3, 14),
        "education": "general",
        "grade": 8,
        "course": None,
    }
    values.update(fields)
    return learner_register(actor=preparer, institution=institution, **values)


def make_plan(preparer, learner, *, on_semester=None, **fields):
    from iap.services import plan_create, plan_default_dates

    on_semester = on_semester or semester()
    values = {
        "module": "II",
        "category": "",
        "risks": [("learning_difficulties", "")],
        "start_date": plan_default_dates(learner, on_semester)[0],
        "strengths": "Labi zīmē",
        "interests": "Futbols",
        "desired_results": "Regulāri apmeklē skolu",
        "monthly_hours": 8,
        "meeting_times": "Otrdienās pēc 15:00",
    }
    values.update(fields)
    return plan_create(actor=preparer, learner=learner, semester=on_semester, **values)


def make_contract(actor, mentor, employer, on_semester=None, whole_year=False):
    import datetime

    from mentors.services import contract_create

    on_semester = on_semester or semester()
    return contract_create(
        actor=actor,
        mentor=mentor,
        employer=employer,
        school_year=on_semester.school_year,
        semester=None if whole_year else on_semester,
        contract_number="L-1",
        signed_on=datetime.date(2026, 8, 28),
        background_check_date=datetime.date(2026, 8, 20),
        background_check_by="Direktore I. Kalna",
        signed_file=pdf_upload("ligums.pdf"),
    )


def advance_plan(plan, *, preparer, mentor, to, approver=None, contract=None):
    """Walk a draft plan through the services up to `to`: accepted, ready, submitted, approved."""
    from iap import services

    invitation = services.invitation_send(actor=preparer, plan=plan, mentor=mentor)
    services.invitation_accept(actor=mentor.user, invitation=invitation)
    plan.refresh_from_db()
    if to == "accepted":
        return plan
    contract = contract or make_contract(preparer, mentor, plan.learner.institution, plan.semester)
    services.plan_attach_contract(actor=preparer, plan=plan, contract=contract)
    services.plan_upload_application(actor=preparer, plan=plan, file=pdf_upload("iesniegums.pdf"))
    services.plan_save_agreement(
        actor=preparer,
        plan=plan,
        situation="Kavē stundas",
        situation_plan="Tikšanās reizi nedēļā",
        provider_commits="Atbalstīt",
        learner_commits="Ierasties",
    )
    services.plan_upload_agreement_scan(
        actor=preparer, plan=plan, file=pdf_upload("vienosanas.pdf")
    )
    plan.refresh_from_db()
    if to == "ready":
        return plan
    services.plan_submit(actor=preparer, plan=plan)
    plan.refresh_from_db()
    if to == "submitted":
        return plan
    services.plan_approve(actor=approver, plan=plan)
    plan.refresh_from_db()
    return plan


def mentor_with_login(name):
    """A mentor with a login of their own, named `name` (the e-mail in lower case)."""
    user = UserFactory(email=f"{name.lower()}@example.lv")
    give_role(user, Role.MENTOR)
    return MentorFactory(user=user, email=user.email, last_name=name.capitalize())


def school_plan(cast, name, *, to="approved", mentor=None, contract=None, start=None):
    """A plan of this semester for the school's learner `name`, walked to `to` (draft: not
    walked at all), from `start` (default: 1 September 2026)."""
    import datetime

    learner = make_learner(cast.preparer, cast.school, first_name=name)
    plan = make_plan(cast.preparer, learner, start_date=start or datetime.date(2026, 9, 1))
    if to == "draft":
        return plan
    return advance_plan(
        plan,
        preparer=cast.preparer,
        mentor=mentor or mentor_with_login(name),
        to=to,
        approver=cast.approver,
        contract=contract,
    )


def spring_plan(cast, name, mentor=None):
    """An approved plan of semester II of 2025/2026: its period is over."""
    spring = semester("2025/2026", 2)
    mentor = mentor or mentor_with_login(name)
    return advance_plan(
        make_plan(
            cast.preparer,
            make_learner(cast.preparer, cast.school, first_name=name),
            on_semester=spring,
            start_date=spring.start_date,
        ),
        preparer=cast.preparer,
        mentor=mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, mentor, cast.school, on_semester=spring),
    )


def race(action, times=2):
    """Run `action` in `times` threads at once (each on its own database connection) and
    return what each returned or raised, for exactly-once checks on PostgreSQL."""
    import threading

    from django.db import connection

    results = []

    def run():
        try:
            results.append(action())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def month_end(month):
    """DIA-7: a month is confirmed from its last day on: the test clock moves to its noon."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from diary.services import month_confirmable_from

    noon = datetime.time(12, 0, tzinfo=ZoneInfo("Europe/Riga"))
    return time_machine.travel(
        datetime.datetime.combine(month_confirmable_from(month), noon), tick=True
    )


def confirm_month(plan, month, actor=None):
    """The mentor confirms `month` of `plan` on its last day, through the service."""
    from diary.services import month_confirm

    with month_end(month):
        return month_confirm(actor=actor or plan.mentor.user, plan=plan, month=month)


def on(day):
    """The test clock on `day` at noon in Riga."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=ZoneInfo("Europe/Riga")),
        tick=True,
    )
