from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skola_kopiena.forms import add_service_errors, show_refusal

from . import policies, selectors, services
from .forms import AttendanceForm, SessionForm
from .models import Session

PAGE_SIZE = 25


@require_GET
def session_list(request):
    """SUP-1 "Supervīzijas": staff see their region's sessions, upcoming first; a mentor the
    upcoming sessions of their region and target group, and their own sign-ups."""
    acting = request.acting
    if policies.sees_sessions(acting):
        sessions = selectors.staff_session_list(acting)
        page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "supervision/staff_list.html",
            {"page": page, "can_run": policies.runs_sessions(acting)},
        )
    mentor = policies.get_mentor_for(acting)
    groups = policies.mentor_target_groups(mentor)
    return render(
        request,
        "supervision/mentor_list.html",
        {
            "mentor": mentor,
            "groups": [label for value, label in Session.TargetGroup.choices if value in groups],
            "sessions": selectors.mentor_offered_sessions(mentor, groups),
            "signups": selectors.mentor_signups(mentor),
        },
    )


@require_http_methods(["GET", "POST"])
def session_new(request):
    """SUP-1: project staff plan a session of their region."""
    acting = request.acting
    if not policies.runs_sessions(acting):
        raise PermissionDenied
    form = SessionForm(request.POST or None, regions=policies.session_regions(acting))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, acting=acting, **form.session_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The supervision session of %(date)s is planned: mentors can sign up.")
                % {"date": date_format(session.date)},
            )
            return redirect("supervision:detail", session.pk)
    return render(request, "supervision/session_form.html", {"form": form})


@require_GET
def session_detail(request, pk):
    """SUP-1: staff see who signed up and, from the start on, keep the attendance; a mentor
    sees the session and their own sign-up."""
    session, mentor = policies.get_session_for(request.acting, pk)
    if mentor is None:
        return _staff_detail(request, session)
    signup = policies.own_signups(mentor).filter(session=session).first()
    return render(
        request,
        "supervision/session_detail.html",
        {"session": session, "signup": signup, "own_view": True},
    )


def _staff_detail(request, session, form=None, signups=None):
    """Staff keep the attendance from the start on; an auditor reads it."""
    can_run = policies.runs_sessions(request.acting)
    if signups is None:
        signups = list(selectors.session_signups(session))
    if form is None and session.has_started and can_run:
        form = AttendanceForm(signups=signups)
    return render(
        request,
        "supervision/session_detail.html",
        {"session": session, "signups": signups, "attendance_form": form, "can_run": can_run},
    )


def _mentor_session(request, pk):
    session, mentor = policies.get_session_for(request.acting, pk)
    if mentor is None:
        raise PermissionDenied  # project staff do not sign up
    return session, mentor


@require_POST
def signup_create(request, pk):
    """SUP-1: "Pieteikties"."""
    session, mentor = _mentor_session(request, pk)
    try:
        services.signup_create(actor=request.user, mentor=mentor, session=session)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("You are signed up for the supervision of %(date)s at %(start)s.")
            % {
                "date": date_format(session.date),
                "start": timezone.localtime(session.starts_at).strftime("%H:%M"),
            },
        )
    return redirect("supervision:list")


@require_POST
def signup_cancel(request, pk):
    """SUP-1: "Atteikt dalību", until the day before the session."""
    session, mentor = _mentor_session(request, pk)
    try:
        services.signup_cancel(actor=request.user, mentor=mentor, session=session)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Your sign-up for %(date)s is cancelled: the place is free for another mentor.")
            % {"date": date_format(session.date)},
        )
    return redirect("supervision:list")


@require_POST
def attendance_mark(request, pk):
    """SUP-1: staff of the region mark who attended, from the session's start on."""
    acting = request.acting
    session = policies.get_staff_session_for(acting, pk)
    signups = list(selectors.session_signups(session))
    form = AttendanceForm(request.POST, signups=signups)
    if form.is_valid():
        try:
            services.attendance_mark(
                actor=request.user, acting=acting, session=session, attended=form.marks()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("supervision:detail", session.pk)
    return _staff_detail(request, session, form=form, signups=signups)
