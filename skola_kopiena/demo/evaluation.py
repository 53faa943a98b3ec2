"""Plans at their end in `manage.py demo`: evaluations, decisions and closing, through the
services (EVA-1..6, IAP-8, IAP-9, TS-5).

Each step goes through `evaluation.services` as the person who takes it (the school's preparer
starts the evaluation, records the decision and closes the plan; the plan's mentor fills in the
evaluation), on the day it would have happened (`_on_day`): the preparer starts an evaluation
on the first working day after the plan's last mentoring day (at once after a termination), the
mentor submits it within the week, the decision follows, and the plan is closed once its last
month is approved. Days still ahead are taken as today.

The demo's plans at their end (plans.py builds them, diary.py their months, all approved but
Paula's last two):
- Matīss Upenieks (Anna, last spring): evaluated, "end", closed;
- Dāvis Ziemelis (Līga Kalniņa, last spring): evaluated, "end", every month approved: ready
  for the preparer to close;
- Alise Grīnberga (Anna, last spring): started by the preparer last week, waiting for Anna;
- Paula Krastiņa (Anna, last spring, extended into June): evaluated, "continue": her plan of
  the next semester is the one plans.py built (see `_record_continue`);
- Toms Vilks (Ilze Ābele, terminated this semester): evaluated with the reasons for the
  termination (EVA-4), "end";
- Elza Jaunzeme (Anna, last spring): ended, its evaluation not started yet: for the preparer
  to start (and for tests/e2e/test_evaluation.py).

Idempotent: each step is taken only if it has not been taken yet (on an earlier run, or in the
browser since), and a plan that is not where its step expects is left as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from diary.models import DiaryMonth
from evaluation import services
from evaluation.models import Decision, Evaluation
from iap.models import Plan
from skola_kopiena.accounts.models import User
from skola_kopiena.demo.plans import RIGA_SCHOOL, _on_day
from skola_kopiena.schools.calendar import current_semester, nth_working_day
from skola_kopiena.schools.models import Semester

STEPS = ["started", "submitted", "decided", "closed"]
PREPARER = "preparer@demo.lv"


@dataclass
class EvaluationSpec:
    institution: str
    learner: tuple  # first and last name
    semester: tuple | None  # (school year, number); None: the current semester
    step: str  # how far the plan's end has gone: one of STEPS
    answers: dict = field(default_factory=dict)  # EVA-3, EVA-4, as the mentor submits them
    outcome: str = ""  # EVA-5: "continue" or "end"
    # The working day, counted from the day the evaluation opens (EVA-6), on which the
    # preparer starts it (0: that day, or the next working day); None: `started_days_ago`
    # calendar days before today.
    start_after: int | None = 0
    started_days_ago: int = 0
    submit_after: int = 4  # working days after the start
    decide_after: int = 2  # working days after the submission
    close_after: int = 3  # working days after the last month's approval (or the decision)


EVALUATIONS = [
    EvaluationSpec(
        RIGA_SCHOOL,
        ("Matīss", "Upenieks"),
        ("2025/2026", 2),
        step="closed",
        answers={
            "risks_reduced": "yes",
            "confidence_strengthened": "yes",
            "development_promoted": "partly",
            "development_promoted_comment": "Grupā un komandas darbā Matīss vēl jūtas "
            "nedroši; to var turpināt stiprināt robotikas pulciņā.",
            "result_achieved": "Rezultāts sasniegts. Otrajā semestrī Matīss nokavēja "
            "ievērojami mazāk pirmo stundu nekā pirmajā, mājasdarbus nodeva laikā, un "
            "matemātikas vērtējums semestra beigās uzlabojās. Nedēļas plānu viņš tagad sastāda "
            "pats un zina, pie kā vērsties, ja kaut kas nav skaidrs.",
            "recommendations": "Mentorings nākamajā semestrī nav nepieciešams: Matīss ar "
            "mācībām tiek galā patstāvīgi. Ieteicams turpināt robotikas pulciņu un "
            "matemātikas konsultācijas; klases audzinātājai rudenī pārrunāt ar viņu, kā "
            "veicas ar kavējumiem.",
        },
        outcome=Decision.Outcome.END,
    ),
    EvaluationSpec(
        RIGA_SCHOOL,
        ("Dāvis", "Ziemelis"),
        ("2025/2026", 2),
        step="decided",
        answers={
            "risks_reduced": "yes",
            "confidence_strengthened": "partly",
            "confidence_strengthened_comment": "Stundās Dāvis vēl kautrējas uzdot "
            "jautājumus, bet pamazām iedrošinās.",
            "development_promoted": "yes",
            "result_achieved": "Rezultāts sasniegts: Dāvis regulāri apmeklēja stundas un "
            "noslēdza 10. klasi bez nepietiekamiem vērtējumiem. Viņš iekļuva skolas basketbola "
            "komandā un iemācījās plānot laiku tā, lai paspētu gan mācības, gan treniņus.",
            "recommendations": "Mentorings nav jāturpina: Dāvis mācības plāno pats. Ieteicams "
            "rudenī piedāvāt viņam karjeras konsultantes nodarbības, jo vēl jāizvēlas, kur "
            "mācīties pēc 12. klases.",
        },
        outcome=Decision.Outcome.END,
        submit_after=6,
    ),
    EvaluationSpec(
        RIGA_SCHOOL,
        ("Alise", "Grīnberga"),
        ("2025/2026", 2),
        step="started",
        start_after=None,
        started_days_ago=6,
    ),
    EvaluationSpec(
        RIGA_SCHOOL,
        ("Paula", "Krastiņa"),
        ("2025/2026", 2),
        step="decided",
        answers={
            "risks_reduced": "partly",
            "risks_reduced_comment": "Matemātikā sekmes uzlabojās, taču mācību ieradumi vēl "
            "nav noturīgi, un grūtības ar matemātiku saglabājas.",
            "confidence_strengthened": "yes",
            "development_promoted": "yes",
            "result_achieved": "Plānotais rezultāts lielā mērā sasniegts: Paula sekmīgi "
            "noslēdza 10. klasi un jūnijā nokārtoja pārcelšanas pārbaudījumu matemātikā. Viņa "
            "regulāri apmeklēja konsultācijas, pati plānoja mācību nedēļu un mājasdarbus "
            "nodeva laikā. Vēl nav skaidrs, ko viņa vēlas darīt pēc vidusskolas.",
            "recommendations": "Ieteicams turpināt mentoringu 11. klasē, reizi nedēļā (ap 10 "
            "stundām mēnesī): nostiprināt mācību ieradumus un kopā izzināt studiju un "
            "profesiju iespējas. Matemātikas konsultācijas turpināt arī rudenī.",
        },
        outcome=Decision.Outcome.CONTINUE,
    ),
    EvaluationSpec(
        RIGA_SCHOOL,
        ("Toms", "Vilks"),
        None,
        step="decided",
        answers={
            "termination_reasons": "Toms kopā ar ģimeni pārcēlās uz citu pilsētu un turpina "
            "mācības citā skolā, tāpēc tikties klātienē vairs nav iespējams, un mentorings "
            "notiek tikai klātienē. Pārtraukšana saskaņota ar skolu un ar Tomu.",
            "risks_reduced": "partly",
            "risks_reduced_comment": "Līdz pārcelšanās brīdim kavējumu bija mazāk, taču tik "
            "īsā laikā pārmaiņas nav nostiprinājušās.",
            "confidence_strengthened": "yes",
            "development_promoted": "partly",
            "development_promoted_comment": "Sadarbība ilga divus mēnešus; uzsāktais "
            "jāturpina jaunajā skolā.",
            "result_achieved": "Rezultāts sasniegts daļēji. Divos mēnešos Toms regulāri "
            "ieradās uz tikšanām jauniešu centrā, kopā sastādījām plānu gatavošanās "
            "eksāmeniem, un viņš pats sāka sekot saviem kavējumiem. Plāns pārtraukts pirms "
            "semestra beigām, tāpēc mērķis sekmīgi beigt 12. klasi vēl priekšā.",
            "recommendations": "Ieteicams jaunajā skolā turpināt atbalstu līdz 12. klases "
            "beigām, piemēram, ar mentora palīdzību. Toms zina, kā pašam vērsties pēc "
            "atbalsta, un viņam ir sastādīts plāns gatavošanās eksāmeniem.",
        },
        outcome=Decision.Outcome.END,
    ),
    # Elza Jaunzeme's plan (last spring, ended) is left for the preparer to start.
]


def _plan(spec):
    first_name, last_name = spec.learner
    if spec.semester:
        year, number = spec.semester
        semester = Semester.objects.filter(school_year__name=year, number=number).first()
    else:
        semester = current_semester()
    return (
        Plan.objects.filter(
            learner__institution__name=spec.institution,
            learner__first_name=first_name,
            learner__last_name=last_name,
            semester=semester,
        )
        .select_related("learner__institution", "semester", "mentor__user")
        .first()
    )


def _working_day(day, after):
    """The `after`-th working day after `day` (0: `day`, or the next working day)."""
    return nth_working_day(day, after)


class DemoEnd:
    def __init__(self, spec, plan, preparer):
        self.spec = spec
        self.plan = plan
        self.preparer = preparer
        self.today = timezone.localdate()

    def run(self):
        spec, plan = self.spec, self.plan
        step = STEPS.index(spec.step)
        evaluation = Evaluation.objects.filter(plan=plan, mentor=plan.mentor).first()
        if evaluation is None:
            evaluation = self.start()
            if evaluation is None:
                return
        if step < STEPS.index("submitted"):
            return
        if not evaluation.is_submitted:
            if evaluation.saved_at is not None:
                return  # a draft written in the browser since: left to the mentor
            evaluation = self.submit(evaluation)
        if step < STEPS.index("decided"):
            return
        decision = Decision.objects.filter(plan=plan).first()
        if decision is None:
            decision = self.decide(evaluation)
        if step < STEPS.index("closed") or plan.status == Plan.Status.CLOSED:
            return
        self.close(decision)

    def start(self):
        """EVA-2, EVA-6: the preparer opens the evaluation once the plan's mentoring is over."""
        opens_on = services.evaluation_opens_on(self.plan)
        if opens_on > self.today:
            return None  # the plan still runs on this day of the project
        if self.spec.start_after is None:
            day = max(opens_on, self.today - datetime.timedelta(days=self.spec.started_days_ago))
            day = min(_working_day(day, 0), self.today)
        else:
            day = _working_day(opens_on, self.spec.start_after)
        with _on_day(day):
            evaluation, _started = services.evaluation_start(actor=self.preparer, plan=self.plan)
        return evaluation

    def submit(self, evaluation):
        """EVA-3, EVA-4: the mentor answers the five questions and submits once."""
        day = _working_day(timezone.localdate(evaluation.started_at), self.spec.submit_after)
        with _on_day(day):
            return services.evaluation_save(
                actor=self.plan.mentor.user,
                evaluation=evaluation,
                answers=self.spec.answers,
                submit=True,
            )

    def decide(self, evaluation):
        """EVA-5, IAP-8: what the preparer, the mentor and the learner agreed."""
        day = _working_day(timezone.localdate(evaluation.submitted_at), self.spec.decide_after)
        with _on_day(day):
            if self.spec.outcome == Decision.Outcome.CONTINUE:
                return self._record_continue()
            decision, _refusal = services.decision_record(
                actor=self.preparer, plan=self.plan, outcome=self.spec.outcome
            )
            return decision

    def _record_continue(self):
        """IAP-8: "continue" makes the next semester's draft and invites the same mentor
        (`decision_record`). Where plans.py has already built the learner's next plan (Paula's
        plan of this semester, approved since, with the same mentor), the service would refuse
        on IAP-1: the decision is then recorded as the service records it, pointing at that
        plan, which stands for the draft the decision made and the preparer completed."""
        next_plan = (
            Plan.objects.filter(
                learner=self.plan.learner, semester__start_date__gt=self.plan.semester.start_date
            )
            .order_by("semester__start_date")
            .first()
        )
        if next_plan is None:
            decision, _refusal = services.decision_record(
                actor=self.preparer, plan=self.plan, outcome=Decision.Outcome.CONTINUE
            )
            return decision
        # The service's preconditions (EVA-5), then its record.
        evaluation = Evaluation.objects.get(plan=self.plan, mentor=self.plan.mentor)
        if not evaluation.is_submitted or next_plan.mentor_id != self.plan.mentor_id:
            raise ValidationError(f"{next_plan} is not the plan this decision would make.")
        return Decision.objects.create(
            plan=self.plan,
            outcome=Decision.Outcome.CONTINUE,
            next_plan=next_plan,
            decided_by=self.preparer,
            decided_at=timezone.now(),
        )

    def close(self, decision):
        """IAP-9, TS-5: closed once every month is approved and the paper timesheets are in."""
        if services.closing_problems(self.plan):
            return  # a month still waits for approval on this day of the project
        months = DiaryMonth.objects.filter(plan=self.plan)
        approved = months.aggregate(last=Max("decided_at"))["last"]
        after = max(
            timezone.localdate(decision.decided_at),
            timezone.localdate(approved) if approved else self.plan.last_mentoring_day,
        )
        with _on_day(_working_day(after, self.spec.close_after)):
            services.plan_close(actor=self.preparer, plan=self.plan, timesheets_received=True)


def create_evaluations(*, warn):
    preparer = User.objects.filter(email=PREPARER).first()
    if preparer is None:
        return
    for spec in EVALUATIONS:
        plan = _plan(spec)
        if plan is None or plan.mentor is None or plan.mentor.user_id is None:
            continue
        if plan.status not in (Plan.Status.APPROVED, Plan.Status.TERMINATED, Plan.Status.CLOSED):
            continue
        try:
            with transaction.atomic():
                DemoEnd(spec, plan, preparer).run()
        except ValidationError as error:
            warn(f"Demo evaluation of {plan.learner} ({plan.semester}) skipped: {error}")
