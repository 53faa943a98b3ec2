"""Demo data for the quick start: `python manage.py demo` (idempotent, refuses without DEBUG)."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from mentors.models import ChangeRequest, Mentor
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.demo.diary import create_diaries
from skola_kopiena.demo.evaluation import create_evaluations
from skola_kopiena.demo.payroll import create_payroll
from skola_kopiena.demo.plans import create_plans
from skola_kopiena.demo.supervision import create_supervision
from skola_kopiena.schools.models import (
    Institution,
    InstitutionSemester,
    Municipality,
    Region,
    Semester,
)

PASSWORD = "demo-parole"  # noqa: S105 - the documented demo password, DEBUG only
QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"

INSTITUTIONS = [
    # name, kind, municipality, approval day
    ("Rīgas 64. vidusskola", "general", "Rīga", 10),
    ("Jūrmalas pamatskola", "general", "Jūrmala", 8),
    ("Ogres tehnikums", "vocational", "Ogres novads", 12),
    ("Cēsu Valsts ģimnāzija", "general", "Cēsu novads", 10),
    ("Valmieras pamatskola Nr. 2", "general", "Valmieras novads", 7),
    ("Liepājas 8. vidusskola", "general", "Liepāja", 10),
    ("Kuldīgas tehnoloģiju un tūrisma tehnikums", "vocational", "Kuldīgas novads", 15),
    ("Jelgavas 4. sākumskola un pamatskola", "general", "Jelgava", 9),
    ("Bauskas 2. vidusskola", "general", "Bauskas novads", 10),
    ("Daugavpils 13. vidusskola", "general", "Daugavpils", 10),
    ("Rēzeknes jauniešu centrs „Pārupe”", "youth_centre", "Rēzekne", 11),
    ("Ogres jauniešu centrs „Bāka”", "youth_centre", "Ogres novads", 10),
    ("Rīgas jauniešu centrs „Kaņieris”", "youth_centre", "Rīga", 10),
]

MENTORS = [
    # first, last, region code, municipalities
    ("Anna", "Bērziņa", "riga", ["Rīga", "Jūrmala", "Mārupes novads"]),
    ("Jānis", "Ozols", "riga", ["Rīga", "Ķekavas novads"]),
    ("Līga", "Kalniņa", "riga", ["Jūrmala", "Rīga"]),
    ("Mārtiņš", "Liepiņš", "riga", ["Ādažu novads", "Siguldas novads"]),
    ("Ilze", "Ābele", "riga", ["Salaspils novads", "Ropažu novads", "Rīga"]),
    ("Edgars", "Čaklais", "vidzeme", ["Ogres novads", "Cēsu novads"]),
    ("Dace", "Krūmiņa", "vidzeme", ["Valmieras novads", "Cēsu novads"]),
    ("Raimonds", "Šmits", "vidzeme", ["Ogres novads"]),
    ("Zane", "Žagare", "vidzeme", ["Madonas novads", "Gulbenes novads"]),
    ("Kristaps", "Eglītis", "kurzeme", ["Liepāja", "Dienvidkurzemes novads"]),
    ("Sanita", "Lāce", "kurzeme", ["Kuldīgas novads", "Saldus novads"]),
    ("Guntis", "Vītols", "kurzeme", ["Ventspils", "Talsu novads"]),
    ("Inese", "Zariņa", "zemgale", ["Jelgava", "Jelgavas novads"]),
    ("Artūrs", "Priede", "zemgale", ["Bauskas novads", "Jelgava"]),
    ("Laura", "Ķemere", "zemgale", ["Dobeles novads", "Aizkraukles novads"]),
    ("Oskars", "Grants", "latgale", ["Daugavpils", "Augšdaugavas novads"]),
    ("Evija", "Ņikiforova", "latgale", ["Rēzekne", "Rēzeknes novads"]),
    ("Valdis", "Pētersons", "latgale", ["Ludzas novads", "Balvu novads"]),
    ("Agnese", "Jansone", "latgale", ["Preiļu novads", "Līvānu novads"]),
    ("Roberts", "Kļaviņš", "riga", ["Olaines novads", "Rīga"]),
]


@contextmanager
def _quiet_task_logs():
    """Without a broker the email tasks run at once; their log lines are noise here."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _ensure(model, lookup, **values):
    """get_or_create, then save only what differs: a second run writes no history rows."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj


class Command(BaseCommand):
    help = "Create or refresh the demo data and the demo logins (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo data is for development only: DEBUG is off.")
        # The services email mentors and preparers (after commit): not for demo people.
        with (
            _quiet_task_logs(),
            override_settings(EMAIL_BACKEND=QUIET_EMAIL),
            transaction.atomic(),
        ):
            institutions = self._institutions()
            mentors = self._mentors()
            self._logins(institutions, mentors)
            # Learners and plans in every state, through the services (skola_kopiena/demo/plans.py).
            create_plans(institutions=institutions, mentors=mentors, warn=self.stderr.write)
            # Their diaries: meetings, confirmed months and the employers' decisions.
            create_diaries(warn=self.stderr.write)
            self._diary_reads()
            self._rate()
            # The months the demo school has closed for payroll; last month is left open.
            create_payroll(warn=self.stderr.write)
            # The plans' end: evaluations, decisions, a closed plan (EVA, IAP-8, IAP-9).
            create_evaluations(warn=self.stderr.write)
            # Two supervision sessions after the diaries, at a time free of Anna's meetings.
            create_supervision(warn=self.stderr.write)
            self._audit()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Logins (password demo-parole):"))
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<20} {role}")

    def _rate(self):
        """PAY-2: a rate for the project's time, named as the demo's own: the real rate comes
        from the methodology, and project staff enter it."""
        import datetime
        from decimal import Decimal

        from payroll.models import Rate
        from payroll.services import rate_save

        if Rate.objects.exists():
            return
        rate_save(
            actor=User.objects.get(email="admin@demo.lv"),
            rate=Rate(
                valid_from=datetime.date(2026, 1, 1),
                amount=Decimal("14.20"),
                salary=Decimal("10.70"),
                holiday_pay=Decimal("0.93"),
                social_contributions=Decimal("2.57"),
                legal_basis="DEMONSTRĀCIJAS LIKME, nav īsta: vienas vienības izmaksu standarta "
                "likmes aprēķina un piemērošanas metodika mentoru atlīdzībai",
            ),
        )

    def _diary_reads(self):
        """ACC-1: the access log a coordinator finds: their checks of approved months
        against the full diary (APR-4), and the approver's reads of the hours to approve."""
        from diary.models import DiaryMonth
        from skola_kopiena.accounts.models import AccessLog
        from skola_kopiena.accounts.permissions import acting_for
        from skola_kopiena.accounts.services import access_log_record
        from timesheets.services import month_verify

        staff = User.objects.get(email="staff@demo.lv")
        if AccessLog.objects.filter(user=staff).exists():
            return
        approved = DiaryMonth.objects.filter(
            status=DiaryMonth.Status.APPROVED,
            plan__learner__institution__municipality__region__code="riga",
        ).select_related("plan__learner__institution__municipality", "plan__mentor")
        for number, diary_month in enumerate(approved.order_by("-month", "pk")[:6]):
            access_log_record(
                acting=acting_for(staff),
                action=AccessLog.Action.READ_DIARY,
                obj=diary_month.plan,
                month=diary_month.month,
            )
            # APR-4: what the coordinator found: the hours match, but for one month.
            month_verify(
                actor=staff,
                diary_month=diary_month,
                outcome="finding" if number == 2 else "verified",
                finding="Grafikā vienai tikšanās reizei trūkst izglītojamā paraksta; "
                "mentoram lūgts iesniegt parakstītu grafiku."
                if number == 2
                else "",
            )

    def _audit(self):
        """An on-the-spot check: the national team granted the auditor two plans of other
        regions until the end of next month, and ended a third grant early; the auditor has
        read a Rīga diary, which Rīga's coordinator finds in the access log (ACC-1)."""
        import datetime

        from diary.models import DiaryMonth
        from iap.models import AuditGrant, Plan
        from iap.services import audit_grant_end, audit_grant_give
        from skola_kopiena.accounts.models import AccessLog
        from skola_kopiena.accounts.permissions import acting_for
        from skola_kopiena.accounts.services import access_log_record

        auditor = User.objects.get(email="auditor@demo.lv")
        if AuditGrant.objects.filter(user=auditor).exists():
            return
        national = User.objects.get(email="national@demo.lv")
        today = timezone.localdate()
        until = (today.replace(day=1) + datetime.timedelta(days=62)).replace(
            day=1
        ) - datetime.timedelta(days=1)
        elsewhere = (
            Plan.objects.exclude(status=Plan.Status.DRAFT)
            .exclude(learner__institution__municipality__region__code="riga")
            .order_by("status", "pk")[:3]
        )
        for number, plan in enumerate(elsewhere):
            grant = audit_grant_give(actor=national, plan=plan, auditor=auditor, until=until)
            if number == 2:
                audit_grant_end(actor=national, grant=grant)
        month = (
            DiaryMonth.objects.filter(
                status=DiaryMonth.Status.APPROVED,
                plan__learner__institution__municipality__region__code="riga",
            )
            .select_related("plan")
            .order_by("-month", "pk")
            .first()
        )
        if month is not None:
            access_log_record(
                acting=acting_for(auditor),
                action=AccessLog.Action.READ_DIARY,
                obj=month.plan,
                month=month.month,
            )

    def _institutions(self):
        municipalities = {m.name: m for m in Municipality.objects.all()}
        result = {}
        for name, kind, municipality, day in INSTITUTIONS:
            result[name] = _ensure(
                Institution,
                {"name": name, "municipality": municipalities[municipality]},
                kind=kind,
                hours_approval_day=day,
            )
        # CAL-2: the vocational schools set their own second-semester dates.
        for semester in Semester.objects.filter(number=2):
            for name in ("Ogres tehnikums", "Kuldīgas tehnoloģiju un tūrisma tehnikums"):
                InstitutionSemester.objects.get_or_create(
                    institution=result[name],
                    semester=semester,
                    defaults={
                        "start_date": semester.start_date,
                        "end_date": semester.latest_end_date,
                    },
                )
        return result

    def _mentors(self):
        regions = {r.code: r for r in Region.objects.all()}
        municipalities = {m.name: m for m in Municipality.objects.all()}
        mentors = []
        for number, (first, last, region, places) in enumerate(MENTORS, start=1):
            email = "mentor@demo.lv" if number == 1 else f"mentors{number:02d}@demo.lv"
            mentor = _ensure(
                Mentor,
                {"certificate_number": f"SK-2025-{number:04d}"},
                first_name=first,
                last_name=last,
                email=email,
                phone=f"+371 2{number:03d} {4000 + number * 7:04d}",
                region=regions[region],
            )
            wanted = {municipalities[p] for p in places}
            if set(mentor.municipalities.all()) != wanted:
                mentor.municipalities.set(wanted)
            mentors.append(mentor)
        # A lived-in registry: one mentor is away for now, one asked to be hidden.
        mentors[18] = _ensure(Mentor, {"pk": mentors[18].pk}, is_available=False)
        mentors[19] = _ensure(Mentor, {"pk": mentors[19].pk}, hidden_from_search=True)
        return mentors

    def _user(self, email, first, last):
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save()
        return user

    def _logins(self, institutions, mentors):
        school = institutions["Rīgas 64. vidusskola"]
        riga = Region.objects.get(code="riga")

        mentor_user = self._user("mentor@demo.lv", "Anna", "Bērziņa")
        RoleMembership.objects.get_or_create(user=mentor_user, role=Role.MENTOR)
        mentors[0] = _ensure(Mentor, {"pk": mentors[0].pk}, user=mentor_user)

        preparer = self._user("preparer@demo.lv", "Baiba", "Sproģe")
        RoleMembership.objects.get_or_create(user=preparer, role=Role.PREPARER, institution=school)
        approver = self._user("approver@demo.lv", "Uldis", "Rozenbergs")
        RoleMembership.objects.get_or_create(user=approver, role=Role.APPROVER, institution=school)
        staff = self._user("staff@demo.lv", "Vineta", "Ķirse")
        RoleMembership.objects.get_or_create(user=staff, role=Role.STAFF, region=riga)
        # National staff: a staff role with no region sees every region.
        national = self._user("national@demo.lv", "Ilze", "Valste")
        RoleMembership.objects.get_or_create(user=national, role=Role.STAFF, region=None)
        admin = self._user("admin@demo.lv", "Pēteris", "Admins")
        RoleMembership.objects.get_or_create(user=admin, role=Role.ADMIN)
        # The managing authority's auditor: reads the Rīga region, changes nothing.
        auditor = self._user("auditor@demo.lv", "Kārlis", "Revidents")
        RoleMembership.objects.get_or_create(user=auditor, role=Role.AUDITOR, region=riga)

        # Something for staff to decide: the second mentor wants to work in Mārupe too.
        second = mentors[1]
        if not ChangeRequest.objects.filter(mentor=second).exists():
            second_user = self._user(second.email, second.first_name, second.last_name)
            RoleMembership.objects.get_or_create(user=second_user, role=Role.MENTOR)
            second.user = second_user
            second.save()
            request = ChangeRequest.objects.create(
                mentor=second,
                phone="+371 2655 1234",
                change_municipalities=True,
                note="Pārcēlos uz Mārupi, varu strādāt arī tur.",
                requested_by=second_user,
            )
            request.municipalities.set(
                Municipality.objects.filter(name__in=["Rīga", "Ķekavas novads", "Mārupes novads"])
            )


DEMO_LOGINS = [
    ("mentor@demo.lv", "mentors (Anna Bērziņa)"),
    ("preparer@demo.lv", "IAP sagatavotājs, Rīgas 64. vidusskola"),
    ("approver@demo.lv", "apstiprinātājs, Rīgas 64. vidusskola"),
    ("staff@demo.lv", "projekta darbinieks, Rīgas reģions"),
    ("national@demo.lv", "projekta darbinieks, visa valsts"),
    ("auditor@demo.lv", "revidents, Rīgas reģions (un divi IAP pārbaudei uz vietas)"),
    ("admin@demo.lv", "administrators"),
]
