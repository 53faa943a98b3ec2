from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skola_kopiena import parsing

from .middleware import session_seconds_left
from .services import active_role_choose


@require_POST
def choose_role(request):
    membership_id = parsing.id_param(request.POST, "membership")
    active_role_choose(acting=request.acting, session=request.session, membership_id=membership_id)
    chosen = next(m for m in request.acting.memberships if m.id == membership_id)
    messages.info(request, _("You now act as %(role)s.") % {"role": chosen})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@require_POST
def keep_alive(request):
    """The idle warning's "Stay logged in" (static/js/drafts.js): the session's idle time starts
    again, and nothing else changes. A session past SESSION_ABSOLUTE_AGE never gets here
    (AbsoluteSessionAgeMiddleware has logged it out), and the header says how long this one now
    lasts: the idle age, or less when the absolute age ends it sooner."""
    request.session.modified = True
    response = HttpResponse(status=204)
    response["X-Session-Seconds"] = str(session_seconds_left(request))
    return response
