from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skola_kopiena.accounts import permissions
from skola_kopiena.accounts.permissions import can_export_records
from skola_kopiena.forms import add_service_errors, show_refusal

from . import policies, selectors, services
from .forms import (
    ChangeRequestDecisionForm,
    ChangeRequestForm,
    RegistryImportForm,
    RegistrySearchForm,
)
from .models import ChangeRequest, RegistryImport

PAGE_SIZE = 50


@require_GET
def registry(request):
    """REG-2: search the registry by municipality, region or name."""
    if not policies.can_search_registry(request.acting):
        raise PermissionDenied
    form = RegistrySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    mentors = selectors.registry_search(
        request.acting,
        municipality=filters.get("municipality"),
        region=filters.get("region"),
        name=filters.get("name", ""),
        ready=filters.get("gatavi", False),
        learners=filters.get("skoleni"),
    )
    page = Paginator(mentors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mentors/registry.html",
        {
            "form": form,
            "page": page,
            "capacity": selectors.learner_capacity(),
            "sees_status": policies.sees_registry_status(request.acting),
        },
    )


@require_GET
def mentor_detail(request, pk):
    if not policies.can_search_registry(request.acting):
        raise PermissionDenied
    mentor = policies.get_mentor_for(request.acting, pk)
    return render(
        request,
        "mentors/mentor_detail.html",
        {
            "mentor": mentor,
            "sees_status": policies.sees_registry_status(request.acting),
            "can_export_record": can_export_records(request.acting),
            "capacity": selectors.learner_capacity(),
        },
    )


@require_GET
def my_entry(request):
    """REG-3: the mentor's own registry entry, with their change requests."""
    mentor = policies.own_mentor_entry(request.acting)
    return render(
        request,
        "mentors/my_entry.html",
        {
            "mentor": mentor,
            "pending": mentor.change_requests.filter(status=ChangeRequest.Status.PENDING)
            .select_related("region")
            .prefetch_related("municipalities")
            .first(),
            "decided": mentor.change_requests.exclude(
                status=ChangeRequest.Status.PENDING
            ).select_related("region")[:10],
        },
    )


@require_http_methods(["GET", "POST"])
def change_request_new(request):
    mentor = policies.own_mentor_entry(request.acting)
    initial = {
        "email": mentor.email,
        "phone": mentor.phone,
        "region": mentor.region_id,
        "municipalities": list(mentor.municipalities.values_list("pk", flat=True)),
    }
    form = ChangeRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_request_submit(
                actor=request.user,
                mentor=mentor,
                email=data["email"],
                phone=data["phone"],
                region=data["region"],
                municipalities=list(data["municipalities"]),
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request has been sent to the regional coordinator."))
            return redirect("mentors:my_entry")
    return render(request, "mentors/change_request_form.html", {"form": form, "mentor": mentor})


@require_POST
def my_visibility(request):
    """REG-3: hide from the search, or come back."""
    mentor = policies.own_mentor_entry(request.acting)
    hidden = request.POST.get("hidden") == "1"
    services.mentor_set_hidden(actor=request.user, mentor=mentor, hidden=hidden)
    if hidden:
        messages.success(request, _("Schools no longer find you in the registry search."))
    else:
        messages.success(request, _("Schools can find you in the registry search again."))
    return redirect("mentors:my_entry")


@require_GET
def change_request_list(request):
    permissions.require_role(request.acting, *policies.REGISTRY_MANAGERS)
    return render(
        request,
        "mentors/change_request_list.html",
        {
            "pending": selectors.change_requests_pending(request.acting),
            "decided": selectors.change_requests_decided(request.acting),
        },
    )


@require_http_methods(["GET", "POST"])
def change_request_decide(request, pk):
    change_request = policies.get_change_request_for(request.acting, pk)
    form = ChangeRequestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.change_request_apply
            if form.cleaned_data["decision"] == "apply"
            else services.change_request_reject
        )
        try:
            decide(
                actor=request.user,
                change_request=change_request,
                note=form.cleaned_data["decision_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["decision"] == "apply":
                messages.success(request, _("The change has been applied to the registry."))
            else:
                messages.success(request, _("The request has been rejected."))
            return redirect("mentors:change_requests")
    return render(
        request,
        "mentors/change_request_decide.html",
        {"change_request": change_request, "form": form},
    )


@require_http_methods(["GET", "POST"])
def registry_import_new(request):
    permissions.require_role(request.acting, *policies.REGISTRY_MANAGERS)
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            registry_import = services.registry_import_preview(
                actor=request.user, acting=request.acting, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentors:import_preview", pk=registry_import.pk)
    return render(
        request,
        "mentors/import_form.html",
        {
            "form": form,
            "imports": policies.registry_imports_for(request.acting)[:10],
            "max_rows": services.REGISTRY_IMPORT_MAX_ROWS,
        },
    )


@require_http_methods(["GET", "POST"])
def registry_import_preview(request, pk):
    registry_import = policies.get_registry_import_for(request.acting, pk)
    if request.method == "POST":
        try:
            registry_import = services.registry_import_confirm(
                actor=request.user, acting=request.acting, registry_import=registry_import
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            if registry_import.status == RegistryImport.Status.IMPORTING:
                return redirect("mentors:import_preview", pk=registry_import.pk)
            messages.success(
                request,
                _("%(count)s mentors have been added to the registry.")
                % {"count": len(registry_import.rows)},
            )
            return redirect("mentors:registry")
        registry_import.refresh_from_db()
    context = {"import": registry_import}
    if registry_import.status == RegistryImport.Status.IMPORTING:
        context["imported_so_far"] = cache.get(
            services.registry_import_progress_key(registry_import), 0
        )
    return render(request, "mentors/import_preview.html", context)
