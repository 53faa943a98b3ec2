"""Writes on learners and support plans. Each takes a required `actor`, runs in one
transaction and raises ValidationError with the rule ID as its code."""

import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentors.models import MAX_LEARNERS_PER_SEMESTER, Contract, Mentor
from mentors.services import allowed_employers
from skola_kopiena.accounts.models import Role, User
from skola_kopiena.schools.calendar import (
    MENTORING_FIRST_DAY,
    PROJECT_LAST_DAY,
    CalendarAnswer,
    mentoring_allowed,
    semester_dates,
)
from skola_kopiena.schools.models import Institution
from skola_kopiena.services import field_error, refused_by_constraint, service

from . import tasks
from .models import MIN_AGE, AuditGrant, Invitation, Learner, Plan, PlanRisk, SupportMeasure

# --- Learners -----------------------------------------------------------------------------


def _learner_fields(learner, *, first_name, last_name, birth_date, education, grade, course):
    learner.first_name = first_name.strip()
    learner.last_name = last_name.strip()
    learner.birth_date = birth_date
    learner.education = education
    # ELIG-2: a grade in general education, a course in vocational education, never both.
    learner.grade = grade if education == Learner.Education.GENERAL else None
    learner.course = course if education == Learner.Education.VOCATIONAL else None
    if education == Learner.Education.GENERAL and not grade:
        raise field_error(
            "grade",
            _("Enter the grade (1–12)."),
            "ELIG-2",
        )
    if education == Learner.Education.VOCATIONAL and not course:
        raise field_error(
            "course",
            _("Enter the course (1–4)."),
            "ELIG-2",
        )
    if birth_date > timezone.localdate():
        raise field_error("birth_date", _("The birth date is in the future."), "ELIG-1")
    # Compared in Python as well: SQLite's lower() leaves Latvian capitals (Ā, Č...) alone.
    # Data integrity guarding IAP-1: a child registered twice could get two plans a semester.
    same_birthday = Learner.objects.filter(
        institution=learner.institution, birth_date=birth_date
    ).exclude(pk=learner.pk)
    if any(
        (other.first_name.casefold(), other.last_name.casefold())
        == (learner.first_name.casefold(), learner.last_name.casefold())
        for other in same_birthday
    ):
        raise ValidationError(
            _("%(name)s, born %(date)s, is already registered at %(school)s.")
            % {
                "name": learner.full_name,
                "date": date_format(birth_date),
                "school": learner.institution,
            },
            code="IAP-1",
        )
    learner.full_clean()
    learner.save()
    return learner


@service
def learner_register(*, actor, institution, **fields):
    """Register a learner of the preparer's institution (no personal code: ACC-3)."""
    learner = Learner(institution=institution, created_by=actor)
    return _learner_fields(learner, **fields)


@service
def learner_update(*, actor, learner, **fields):
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    return _learner_fields(learner, **fields)


# --- Eligibility (ELIG) -------------------------------------------------------------------


def eligibility_problems(*, learner, start_date, module, category, risks):
    """Every reason the learner cannot get this plan, keyed by the form field it concerns."""
    problems = {}

    def refuse(field, message, code):
        problems.setdefault(field, []).append(ValidationError(message, code=code))

    age = learner.age_on(start_date)
    if age < MIN_AGE:
        # ELIG-1
        refuse(
            "start_date",
            _(
                "%(name)s is %(age)s on %(date)s. Mentoring is for learners aged 13 or more, "
                "so this learner cannot get a mentor yet."
            )
            % {"name": learner.full_name, "age": age, "date": date_format(start_date)},
            "ELIG-1",
        )
    if module == Plan.Module.EARLY_LEAVING:
        # ELIG-3: exactly one category, checked against the learner.
        if not category:
            refuse("category", _("Choose one category of module I."), "ELIG-3")
        elif category == Plan.Category.A and learner.grade != 9:
            refuse(
                "category",
                _("Category (a) is for learners repeating grade 9; %(name)s is in %(year)s.")
                % {"name": learner.full_name, "year": learner.year_label},
                "ELIG-3",
            )
        elif (
            category == Plan.Category.B and learner.institution.kind != Institution.Kind.VOCATIONAL
        ):
            refuse(
                "category", _("Category (b) is for learners of a vocational institution."), "ELIG-3"
            )
        elif category == Plan.Category.C and not (learner.grade and 7 <= learner.grade <= 9):
            refuse(
                "category",
                _("Category (c) is for learners in grades 7–9; %(name)s is in %(year)s.")
                % {"name": learner.full_name, "year": learner.year_label},
                "ELIG-3",
            )
    elif module == Plan.Module.SOCIAL_EXCLUSION:
        # ELIG-4: one or more risks; "other" is described.
        if not risks:
            refuse("risks", _("Choose at least one risk of module II."), "ELIG-4")
        for risk, description in risks:
            if risk == PlanRisk.Risk.OTHER and not description.strip():
                refuse("other_risk", _("Describe the other risk."), "ELIG-4")
    else:
        refuse("module", _("Choose module I or module II."), "ELIG-3")
    return problems


def plan_default_dates(learner, semester):
    """CAL-2: the semester's dates for this learner; mentoring never starts before CAL-1."""
    start, end = semester_dates(semester, learner.institution, learner.grade)
    return max(start, MENTORING_FIRST_DAY, min(timezone.localdate(), end)), end


def _plan_content(plan, *, module, category, risks, start_date, **fields):
    problems = eligibility_problems(
        learner=plan.learner, start_date=start_date, module=module, category=category, risks=risks
    )
    semester_start, semester_end = semester_dates(
        plan.semester, plan.learner.institution, plan.learner.grade
    )
    if not semester_start <= start_date <= semester_end:
        problems.setdefault("start_date", []).append(
            ValidationError(
                _("The start date must be within the semester (%(start)s – %(end)s).")
                % {"start": date_format(semester_start), "end": date_format(semester_end)},
                code="CAL-2",
            )
        )
    elif start_date < MENTORING_FIRST_DAY:
        problems.setdefault("start_date", []).append(
            ValidationError(
                _("Mentoring starts on %(date)s.") % {"date": date_format(MENTORING_FIRST_DAY)},
                code="CAL-1",
            )
        )
    if problems:
        raise ValidationError(problems)
    plan.module = module
    plan.category = category if module == Plan.Module.EARLY_LEAVING else ""
    plan.start_date = start_date
    plan.end_date = semester_end
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    plan.risks.all().delete()
    if module == Plan.Module.SOCIAL_EXCLUSION:
        for risk, description in risks:
            PlanRisk.objects.create(
                plan=plan,
                risk=risk,
                description=description.strip() if risk == PlanRisk.Risk.OTHER else "",
            )
    return plan


def _has_plan(learner, semester):
    return Plan.objects.filter(learner=learner, semester=semester).exists()


def _second_plan_refusal(learner, semester):
    return field_error(
        "semester",
        _("%(name)s already has a plan for %(semester)s.")
        % {"name": learner.full_name, "semester": semester},
        "IAP-1",
    )


@service
def plan_create(*, actor, learner, semester, module, category="", risks=(), start_date, **fields):
    """IAP-1, IAP-2: the preparer opens the learner's plan for a semester."""
    if _has_plan(learner, semester):
        raise _second_plan_refusal(learner, semester)
    plan = Plan(
        learner=learner,
        institution_id=learner.institution_id,
        semester=semester,
        created_by=actor,
        start_date=start_date,
        end_date=start_date,
    )
    # IAP-1 in the database: the same plan created twice at once gets the same refusal.
    with refused_by_constraint(
        "plan_one_per_learner_per_semester", lambda: _second_plan_refusal(learner, semester)
    ):
        return _plan_content(
            plan,
            module=module,
            category=category,
            risks=list(risks),
            start_date=start_date,
            **fields,
        )


def _lock(plan):
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("learner__institution", "semester", "mentor")
        .get(pk=plan.pk)
    )


def _require_editable(plan):
    if not plan.is_editable:
        raise ValidationError(
            _("The plan is %(status)s and can no longer be edited.")
            % {"status": plan.get_status_display()},
            code="IAP-5",
        )


@service
def plan_update(*, actor, plan, module, category="", risks=(), start_date, **fields):
    plan = _lock(plan)
    _require_editable(plan)
    return _plan_content(
        plan, module=module, category=category, risks=list(risks), start_date=start_date, **fields
    )


@service
def measure_add(*, actor, plan, kind, provider, description=""):
    """IAP-4: another support measure and its provider."""
    plan = _lock(plan)
    _require_editable(plan)
    measure = SupportMeasure(
        plan=plan, kind=kind, provider=provider.strip(), description=description.strip()
    )
    measure.full_clean()
    measure.save()
    return measure


@service
def measure_remove(*, actor, measure):
    plan = _lock(measure.plan)
    _require_editable(plan)
    measure.delete()


# --- Mentors and invitations (IAP-3, CAP-1) -----------------------------------------------


def mentor_learner_count(mentor, semester):
    """CAP-1: the learners a mentor has agreed to support in a semester."""
    return Plan.objects.filter(mentor=mentor, semester=semester).count()


def _require_capacity(mentor, semester):
    if mentor_learner_count(mentor, semester) >= MAX_LEARNERS_PER_SEMESTER:
        raise ValidationError(
            _(
                "%(mentor)s already supports %(max)s learners in %(semester)s: a mentor supports "
                "at most six learners in one semester."
            )
            % {"mentor": mentor, "max": MAX_LEARNERS_PER_SEMESTER, "semester": semester},
            code="CAP-1",
        )


@service
def invitation_send(*, actor, plan, mentor, message=""):
    """IAP-3: ask a mentor from the registry to support the learner."""
    plan = _lock(plan)
    _require_editable(plan)
    if plan.invitations.filter(
        status__in=[Invitation.Status.PENDING, Invitation.Status.ACCEPTED]
    ).exists():
        raise ValidationError(
            _(
                "The plan already has a mentor or is waiting for an answer. Withdraw that "
                "invitation first."
            ),
            code="IAP-3",
        )
    if not mentor.is_searchable:
        raise ValidationError(_("This mentor is not available at the moment."), code="REG-3")
    _require_capacity(mentor, plan.semester)
    invitation = Invitation(plan=plan, mentor=mentor, message=message.strip(), invited_by=actor)
    invitation.full_clean()
    invitation.save()
    transaction.on_commit(lambda: tasks.notify_invitation.delay(invitation.pk))
    return invitation


@service
def invitation_withdraw(*, actor, invitation):
    """The preparer asks another mentor instead (only while the plan is a draft)."""
    plan = _lock(invitation.plan)
    _require_editable(plan)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.ACCEPTED):
        raise ValidationError(_("This invitation is no longer open."), code="IAP-3")
    invitation.status = Invitation.Status.WITHDRAWN
    invitation.answered_at = invitation.answered_at or timezone.now()
    invitation.save()
    if plan.mentor_id == invitation.mentor_id:
        plan.mentor = None
        plan.contract = None
        plan.save()
    return invitation


def _lock_pending_invitation(invitation, actor):
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("plan", "mentor")
        .get(pk=invitation.pk)
    )
    if invitation.mentor.user_id != actor.pk:
        raise ValidationError(_("This invitation is for another mentor."), code="IAP-3")
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("You have already answered this invitation (%(status)s).")
            % {"status": invitation.get_status_display()},
            code="IAP-3",
        )
    return invitation


@service
def invitation_accept(*, actor, invitation, reason=""):
    """IAP-3, CAP-1: the mentor agrees to support the learner."""
    # Lock the mentor first: two acceptances at once cannot both take the sixth place.
    Mentor.objects.select_for_update().get(pk=invitation.mentor_id)
    invitation = _lock_pending_invitation(invitation, actor)
    plan = _lock(invitation.plan)
    _require_editable(plan)
    _require_capacity(invitation.mentor, plan.semester)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.answer_reason = reason.strip()
    invitation.answered_at = timezone.now()
    invitation.save()
    plan.mentor = invitation.mentor
    plan.save()
    transaction.on_commit(lambda: tasks.notify_invitation_answer.delay(invitation.pk))
    return invitation


@service
def invitation_decline(*, actor, invitation, reason=""):
    """IAP-3: a decline is recorded, not an error."""
    invitation = _lock_pending_invitation(invitation, actor)
    invitation.status = Invitation.Status.DECLINED
    invitation.answer_reason = reason.strip()
    invitation.answered_at = timezone.now()
    invitation.save()
    transaction.on_commit(lambda: tasks.notify_invitation_answer.delay(invitation.pk))
    return invitation


# --- Contract and documents (CON, AGR) ----------------------------------------------------


def contract_problems(plan, contract):
    """CON-1..4: why this contract cannot cover the plan's mentoring, each refusal with its
    rule ID (empty: it can)."""
    problems = []
    if contract.mentor_id != plan.mentor_id:
        problems.append(ValidationError(_("The contract is with another mentor."), code="CON-1"))
    if not contract.covers(plan.semester):
        problems.append(
            ValidationError(
                _("The contract does not run in %(semester)s.") % {"semester": plan.semester},
                code="CON-3",
            )
        )
    if not allowed_employers(plan.learner.institution).filter(pk=contract.employer_id).exists():
        if plan.learner.institution.kind == Institution.Kind.VOCATIONAL:
            message = _(
                "A learner of a vocational institution can only be supported under "
                "a contract with that institution."
            )
        else:
            message = _(
                "The employer must be the learner's institution or a youth centre "
                "of its municipality."
            )
        problems.append(ValidationError(message, code="CON-2"))
    # CON-4: six learners of the employer in each semester; a year contract's learner who
    # continues into the second semester is the same learner, not a seventh.
    others = (
        contract.plans.filter(semester=plan.semester)
        .exclude(learner=plan.learner)
        .values("learner")
        .distinct()
        .count()
    )
    if others >= MAX_LEARNERS_PER_SEMESTER:
        problems.append(
            ValidationError(
                _(
                    "The contract already covers six learners in %(semester)s; one contract "
                    "covers at most six learners of the employer in a semester."
                )
                % {"semester": plan.semester},
                code="CON-4",
            )
        )
    return problems


@service
def plan_attach_contract(*, actor, plan, contract):
    """CON-6: the preparer attaches the mentor's signed contract to the plan."""
    plan = _lock(plan)
    _require_editable(plan)
    if plan.mentor_id is None:
        raise ValidationError(_("Attach the contract after the mentor has accepted."), code="CON-1")
    Contract.objects.select_for_update().get(pk=contract.pk)  # CON-4: count under a lock
    problems = contract_problems(plan, contract)
    if problems:
        raise ValidationError({"contract": problems})
    plan.contract = contract
    plan.save()
    return plan


@service
def plan_upload_application(*, actor, plan, file):
    """AGR-1: the parent's or guardian's application, or the adult learner's own."""
    plan = _lock(plan)
    _require_editable(plan)
    plan.application_file = file
    plan.save()
    return plan


@service
def plan_save_agreement(
    *, actor, plan, situation, situation_plan, provider_commits, learner_commits
):
    """AGR-2: the four fields of the provider–learner agreement."""
    plan = _lock(plan)
    _require_editable(plan)
    plan.situation = situation.strip()
    plan.situation_plan = situation_plan.strip()
    plan.provider_commits = provider_commits.strip()
    plan.learner_commits = learner_commits.strip()
    plan.save()
    return plan


@service
def plan_upload_agreement_scan(*, actor, plan, file):
    """AGR-2, AGR-3: the hand-signed agreement, scanned."""
    plan = _lock(plan)
    _require_editable(plan)
    if not agreement_is_complete(plan):
        raise field_error(
            "file",
            _("Fill in the four fields of the agreement and print it first."),
            "AGR-2",
        )
    plan.agreement_scan = file
    plan.save()
    return plan


def agreement_is_complete(plan):
    return all((plan.situation, plan.situation_plan, plan.provider_commits, plan.learner_commits))


# --- Submitting and approving (IAP-4, IAP-5) ----------------------------------------------


def plan_problems(plan):
    """IAP-4, AGR-3, CON-1: what is still missing before the plan can be submitted, each
    refusal with the ID of the rule that asks for it."""
    missing = []
    if plan.mentor_id is None:
        if plan.invitations.filter(status=Invitation.Status.PENDING).exists():
            message = _("The mentor has not answered the invitation yet.")
        else:
            message = _("Invite a mentor and wait for them to accept.")
        missing.append(ValidationError(message, code="IAP-4"))  # every provider has agreed
    if plan.contract_id is None:
        missing.append(
            ValidationError(
                _("Attach the mentor's signed contract with the employer."), code="CON-1"
            )
        )
    else:
        missing.extend(contract_problems(plan, plan.contract))
    if not plan.application_file:
        if plan.learner_is_adult:
            message = _("Upload the learner's own application.")
        else:
            message = _("Upload the parent's or guardian's application.")
        missing.append(ValidationError(message, code="AGR-3"))  # uploaded before finishing
    if not agreement_is_complete(plan):
        missing.append(
            ValidationError(
                _("Fill in the four fields of the provider–learner agreement."), code="AGR-2"
            )
        )
    if not plan.agreement_scan:
        missing.append(
            ValidationError(
                _("Upload the scan of the signed provider–learner agreement."), code="AGR-3"
            )
        )
    risks = [(r.risk, r.description) for r in plan.risks.all()]
    for problems in eligibility_problems(
        learner=plan.learner,
        start_date=plan.start_date,
        module=plan.module,
        category=plan.category,
        risks=risks,
    ).values():
        missing.extend(problems)
    return missing


def plan_missing(plan):
    """The messages of `plan_problems`, for the plan page's checklist."""
    return [problem.message for problem in plan_problems(plan)]


@service
def plan_submit(*, actor, plan):
    plan = _lock(plan)
    _require_editable(plan)
    missing = plan_problems(plan)
    if missing:
        raise ValidationError(missing)
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save()
    return plan


def _lock_submitted(plan):
    plan = _lock(plan)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(
            _("The plan is %(status)s: there is nothing to decide.")
            % {"status": plan.get_status_display()},
            code="IAP-5",
        )
    return plan


@service
def plan_approve(*, actor, plan):
    """IAP-5: only an approved plan is active for the mentor."""
    plan = _lock_submitted(plan)
    missing = plan_problems(plan)
    if missing:
        raise ValidationError(missing)
    plan.status = Plan.Status.APPROVED
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.return_reason = ""
    plan.save()
    return plan


@service
def plan_return(*, actor, plan, reason):
    plan = _lock_submitted(plan)
    if not reason.strip():
        raise field_error(
            "reason",
            _("Say what must be corrected: the preparer will see it."),
            "IAP-5",
        )
    plan.status = Plan.Status.RETURNED
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.return_reason = reason.strip()
    plan.save()
    decided_at = plan.decided_at.isoformat()
    transaction.on_commit(lambda: tasks.notify_plan_returned.delay(plan.pk, decided_at))
    return plan


@service
def plan_continue(*, actor, plan):
    """IAP-8 (**Choice**): "continue next semester" copies the plan into a new draft."""
    from skola_kopiena.schools.models import Semester

    if not plan.ran:
        raise ValidationError(_("Only an approved plan can be continued."), code="IAP-8")
    following = (
        Semester.objects.filter(start_date__gt=plan.semester.start_date)
        .order_by("start_date")
        .first()
    )
    if following is None:
        raise ValidationError(
            _("The next semester is not in the calendar yet: project staff add it."),
            code="IAP-8",
        )
    copy = plan_create(
        actor=actor,
        learner=plan.learner,
        semester=following,
        module=plan.module,
        category=plan.category,
        risks=[(r.risk, r.description) for r in plan.risks.all()],
        start_date=plan_default_dates(plan.learner, following)[0],
        strengths=plan.strengths,
        interests=plan.interests,
        desired_results=plan.desired_results,
        monthly_hours=plan.monthly_hours,
        meeting_times=plan.meeting_times,
    )
    for measure in plan.measures.all():
        SupportMeasure.objects.create(
            plan=copy, kind=measure.kind, provider=measure.provider, description=measure.description
        )
    return copy


# --- During the semester (IAP-6, IAP-7, CAL-4) --------------------------------------------


def _lock_active(plan, code):
    """The plan, locked, if it is active and its period still runs; else the refusal of the
    rule (`code`) the change would have served."""
    plan = _lock(plan)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Only an active plan can be changed this way."), code=code)
    if plan.has_ended:
        raise ValidationError(
            _("The plan's period ended on %(date)s: it can no longer be changed.")
            % {"date": date_format(plan.last_mentoring_day)},
            code=code,
        )
    return plan


@service
def plan_change_hours(*, actor, plan, monthly_hours, reason):
    """IAP-6: the preparer changes the monthly hours with a justification (kept in history)."""
    plan = _lock_active(plan, "IAP-6")
    if not reason.strip():
        raise field_error(
            "reason",
            _("Justify the change."),
            "IAP-6",
        )
    if monthly_hours == plan.monthly_hours:
        raise field_error(
            "monthly_hours",
            _("The hours are already %(n)s.") % {"n": monthly_hours},
            "IAP-6",
        )
    plan.monthly_hours = monthly_hours
    plan.hours_change_reason = reason.strip()
    plan.full_clean()
    plan.save()
    return plan


@service
def plan_terminate(*, actor, plan, terminated_on, reason):
    """IAP-7: ended early for a serious reason; the reason is recorded."""
    plan = _lock_active(plan, "IAP-7")
    if not reason.strip():
        raise field_error(
            "reason",
            _("State the reason for the termination."),
            "IAP-7",
        )
    if not plan.start_date <= terminated_on <= plan.last_mentoring_day:
        raise field_error(
            "terminated_on",
            _("The date must be within the plan (%(start)s – %(end)s).")
            % {
                "start": date_format(plan.start_date),
                "end": date_format(plan.last_mentoring_day),
            },
            "IAP-7",
        )
    plan.status = Plan.Status.TERMINATED
    plan.terminated_on = terminated_on
    plan.termination_reason = reason.strip()
    plan.save()
    return plan


@service
def plan_extend(*, actor, plan, extended_until, order_file):
    """CAL-4: into the summer, until the end of the extra learning measures, with the head's
    order attached."""
    plan = _lock_active(plan, "CAL-4")
    if plan.semester.number != 2:
        raise ValidationError(
            _("Only a plan of the second semester can be extended into the summer."), code="CAL-4"
        )
    summer_end = min(plan.semester.school_year.end_date, PROJECT_LAST_DAY)
    if not plan.end_date < extended_until <= summer_end:
        raise field_error(
            "extended_until",
            _(
                "The end of the extra learning measures must be after %(end)s "
                "and no later than %(last)s."
            )
            % {"end": date_format(plan.end_date), "last": date_format(summer_end)},
            "CAL-4",
        )
    if not order_file:
        raise field_error(
            "order_file", _("Attach a copy of the head's order on the extension."), "CAL-4"
        )
    plan.extended_until = extended_until
    plan.extension_order = order_file
    plan.save()
    return plan


def plan_allows_mentoring(plan, day: datetime.date):
    """CAL-3, CAL-4, IAP-5, IAP-7: may this plan's mentor meet the learner on `day`?"""
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.TERMINATED):
        return CalendarAnswer(False, _("The plan is not approved yet."), "IAP-5")
    if plan.terminated_on and day > plan.terminated_on:
        return CalendarAnswer(
            False,
            _("The plan was terminated on %(date)s.") % {"date": date_format(plan.terminated_on)},
            "IAP-7",
        )
    if plan.start_date <= day <= plan.end_date:
        return mentoring_allowed(
            day=day, institution=plan.learner.institution, grade=plan.learner.grade
        )
    if plan.extended_until and plan.end_date < day <= plan.extended_until:
        return CalendarAnswer(True, "", "CAL-4", plan.semester)
    if day < plan.start_date:
        return CalendarAnswer(
            False,
            _("The plan starts on %(date)s.") % {"date": date_format(plan.start_date)},
            "CAL-3",
        )
    if plan.extended_until:
        reason = _("The extension ends on %(date)s.") % {"date": date_format(plan.extended_until)}
        return CalendarAnswer(False, reason, "CAL-4")
    return CalendarAnswer(
        False,
        _("The plan ends with the semester on %(date)s; there is no mentoring between semesters.")
        % {"date": date_format(plan.end_date)},
        "CAL-3",
    )


# --- On-the-spot checks: an auditor's access to one plan ----------------------------------

# A grant is for a check, not a standing role: a year at most, then granted again.
AUDIT_GRANT_MAX_DAYS = 366


def auditors():
    """The accounts that may be granted a plan: those with an active auditor role."""
    return User.objects.filter(
        is_active=True, memberships__role=Role.AUDITOR, memberships__is_active=True
    ).distinct()


@service
def audit_grant_give(*, actor, plan, auditor, until):
    """Give an auditor the plan (its learner, diary, scans, approvals, evaluation) to read
    until `until`, through django-guardian's per-object permission `iap.audit_plan`. A plan
    granted again to the same auditor keeps one grant with the new end date."""
    today = timezone.localdate()
    if until < today:
        raise field_error("until", _("The end date cannot be in the past."), "grant_past")
    if (until - today).days > AUDIT_GRANT_MAX_DAYS:
        raise field_error(
            "until",
            _("A plan is granted for %(n)s days at most: grant it again later.")
            % {"n": AUDIT_GRANT_MAX_DAYS},
            "grant_length",
        )
    if not auditors().filter(pk=auditor.pk).exists():
        raise field_error("auditor", _("Choose a person with the auditor's role."), "not_auditor")
    permission = Permission.objects.get(codename="audit_plan", content_type__app_label="iap")
    grant = (
        AuditGrant.objects.select_for_update()
        .filter(user=auditor, permission=permission, content_object=plan)
        .first()
    ) or AuditGrant(user=auditor, permission=permission, content_object=plan)
    grant.until = until
    grant.granted_by = actor
    grant.full_clean(exclude=["granted_by"])
    grant.save()
    return grant


@service
def audit_grant_end(*, actor, grant):
    """End the grant at once: its end date becomes yesterday, so that the auditor's next
    request no longer reads the plan; the grant and its history (who ended it) stay."""
    grant = AuditGrant.objects.select_for_update().get(pk=grant.pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if grant.until > yesterday:
        grant.until = yesterday
        grant.save()
    return grant
