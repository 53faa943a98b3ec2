from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skola_kopiena import parsing

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
