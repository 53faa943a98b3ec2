"""The project staff's overview ("Pārskats"): their regions side by side for a semester or a
school year, each figure with its numbers in a table and a link to the list behind it."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation.models import CLOSED_QUESTIONS, Answer, Evaluation
from iap import policies as iap_policies
from iap.models import Plan, PlanRisk
from mentors import policies as mentors_policies
from mentors.models import MAX_LEARNERS_PER_SEMESTER
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.permissions import can_export_records, can_use_admin
from skola_kopiena.accounts.services import access_log_record
from skola_kopiena.forms import add_service_errors
from skola_kopiena.paging import page_of

from . import charts, policies, records, selectors, services
from .forms import AccessLogExportForm, AnswerFilterForm, ReportExportForm
from .models import AccessLogExport, ReportExport


@dataclass
class Row:
    """A row of a table with a column per region: each cell a number and its list."""

    label: str
    cells: list  # [(n, link, region)] in the order of the regions
    total: int
    link: str
    level: int = 0  # 1: a part of the row above (a module's category)
    note: str = ""


@dataclass
class Regions:
    """The regions shown and the links into the lists behind the figures."""

    regions: list
    period: selectors.Period
    # The registry counts the mentors' load in the current semester: a figure of another
    # semester has no list there to open.
    registry_current: bool

    def plans(self, region=None, **params):
        """The plan list, filtered as a figure counts."""
        if len(self.period.semesters) == 1:
            params["semestris"] = self.period.semesters[0].pk
        else:
            params["gads"] = self.period.semesters[0].school_year_id
        if region is not None:
            params["regions"] = region.pk
        return f"{reverse('iap:plans')}?{urlencode(params)}"

    def registry(self, region=None, **params):
        """The registry, filtered as a figure counts; "" (no link) for another semester."""
        if not self.registry_current:
            return ""
        if region is not None:
            params = {"region": region.pk, **params}
        return f"{reverse('mentors:registry')}?{urlencode(params)}"

    def answers(self, region, question, answer):
        """The plans whose evaluation gave `answer` to `question`, in the period shown."""
        params = {"periods": self.period.value, "jautajums": question, "atbilde": answer}
        if region is not None:
            params["regions"] = region.pk
        return f"{reverse('overview:answers')}?{urlencode(params)}"

    def row(self, label, counts, link, **extra):
        """A row from `counts` ({region id: n}), each cell linked by `link(region)`."""
        cells = [(counts.get(region.pk, 0), link(region), region) for region in self.regions]
        return Row(label, cells, sum(cell[0] for cell in cells), link(None), **extra)


def _sum(counts, match):
    """{region: n} summed over the keys of `counts` ((region, …): n) that `match` accepts."""
    totals = {}
    for key, n in counts.items():
        if match(key[1:]):
            totals[key[0]] = totals.get(key[0], 0) + n
    return totals


@require_GET
def overview(request):
    acting = request.acting
    if not policies.can_see_overview(acting):
        raise PermissionDenied
    today = timezone.localdate()
    choice = selectors.period_choice(request.GET.get("periods"), today)
    period = choice.chosen
    region_ids = policies.overview_region_ids(acting)
    semester = period.semester_on(today)
    municipalities = selectors.supply_and_demand(region_ids, semester)
    regions = list({m.region_id: m.region for m in municipalities}.values())
    view = Regions(regions, period, registry_current=semester == choice.current)

    plans = selectors.plan_counts(region_ids, period)
    status_rows = [
        view.row(
            label,
            _sum(plans, lambda key, status=status: key[0] == status),
            lambda region, status=status: view.plans(region, statuss=status),
        )
        for status, label in Plan.Status.choices
    ]
    module_rows = []
    for module, label in Plan.Module.choices:
        module_rows.append(
            view.row(
                label,
                _sum(plans, lambda key, module=module: key[1] == module),
                lambda region, module=module: view.plans(region, modulis=module),
            )
        )
        if module == Plan.Module.EARLY_LEAVING:
            module_rows.extend(
                view.row(
                    category_label,
                    _sum(plans, lambda key, category=category: key[2] == category),
                    lambda region, category=category: view.plans(
                        region, modulis=Plan.Module.EARLY_LEAVING, kategorija=category
                    ),
                    level=1,
                )
                for category, category_label in Plan.Category.choices
            )
    risks = selectors.risk_counts(region_ids, period)
    risk_rows = [
        view.row(
            label,
            _sum(risks, lambda key, risk=risk: key[0] == risk),
            lambda region, risk=risk: view.plans(region, risks=risk),
        )
        for risk, label in PlanRisk.Risk.choices
    ]

    mentoring = selectors.mentoring_in_period(region_ids, period)
    people_rows = [
        view.row(
            _("Learners supported"),
            {region: m["learners"] for region, m in mentoring.items()},
            lambda region: view.plans(region, notika="on"),
        ),
        # The plans under which they mentored, each with its mentor.
        view.row(
            _("Mentors who supported them"),
            {region: m["mentors"] for region, m in mentoring.items()},
            lambda region: view.plans(region, notika="on"),
        ),
    ]
    load = selectors.mentor_load(region_ids, semester)
    load_rows = [
        view.row(
            _("%(n)s of %(max)s learners") % {"n": n, "max": MAX_LEARNERS_PER_SEMESTER},
            _sum(load, lambda key, n=n: key[0] == n),
            lambda region, n=n: view.registry(region, skoleni=n),
        )
        for n in range(1, MAX_LEARNERS_PER_SEMESTER + 1)
    ]

    hours = _hours(region_ids, period, mentoring, regions, view)
    evaluations = selectors.evaluation_answers(region_ids, period)
    evaluation_rows, evaluation_chart = _evaluations(evaluations, view)

    status_chart = charts.grouped_bars(
        [(row.label, [row.total]) for row in status_rows], [_("Plans")]
    )
    return render(
        request,
        "overview/index.html",
        {
            "choice": choice,
            "period": period,
            "regions": regions,
            "status_rows": status_rows,
            "plans_in_period": sum(row.total for row in status_rows),
            "status_chart": status_chart,
            "module_rows": module_rows,
            "risk_rows": risk_rows,
            "people_rows": people_rows,
            "load_rows": load_rows,
            "hours": hours,
            "waiting": _waiting(
                selectors.months_waiting_by_employer(region_ids, today),
                request.GET.get("darba_deveji") == "visi",
            ),
            "evaluation_rows": evaluation_rows,
            "evaluation_chart": evaluation_chart,
            "evaluations_counted": sum(evaluations.values()) // len(CLOSED_QUESTIONS),
            "municipalities": municipalities,
            "semester": semester,
            "registry_current": view.registry_current,
            "capacity": MAX_LEARNERS_PER_SEMESTER,
            "today": today,
            "export_form": ReportExportForm(
                initial={"periods": period.value}, regions=regions if len(regions) > 1 else []
            ),
        },
    )


@require_GET
def answer_plans(request):
    """EVA-3: the plans behind a figure of the evaluations' answers: those whose submitted
    evaluation gave this answer, in the regions and the period the overview showed. Each
    evaluation itself is read on its plan's page, where the read is logged (ACC-1)."""
    acting = request.acting
    if not policies.can_see_overview(acting):
        raise PermissionDenied
    region_ids = policies.overview_region_ids(acting)
    regions = policies.overview_regions(acting)
    form = AnswerFilterForm(request.GET, regions=regions)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    period = selectors.period_choice(request.GET.get("periods"), timezone.localdate()).chosen
    region = regions.get(pk=data["regions"]) if data["regions"] else None
    plans = selectors.plans_with_answer(
        [region.pk] if region else region_ids, period, data["jautajums"], data["atbilde"]
    )
    question = Evaluation._meta.get_field(data["jautajums"]).verbose_name
    return render(
        request,
        "overview/answer_plans.html",
        {
            "page": page_of(plans, request.GET.get("page"), ANSWER_PAGE_SIZE),
            "question": question,
            "answer": Answer(data["atbilde"]).label,
            "period": period,
            "region": region,
        },
    )


ANSWER_PAGE_SIZE = 50


@require_POST
def report_export(request):
    """Plans, hours per month or mentors of the period shown, made in the background; learners
    by plan number and year of birth only (ACC-3)."""
    acting = request.acting
    if not policies.can_see_overview(acting):
        raise PermissionDenied
    regions = policies.overview_regions(acting)
    form = ReportExportForm(request.POST, regions=regions)
    if not form.is_valid():
        raise Http404
    period = selectors.period_choice(form.cleaned_data["periods"], timezone.localdate()).chosen
    region = regions.get(pk=form.cleaned_data["region"]) if form.cleaned_data["region"] else None
    if region is None and len(regions) == 1:
        region = regions[0]  # a coordinator of one region: the file says which
    export = services.report_export_request(
        actor=request.user,
        acting=acting,
        kind=form.cleaned_data["kind"],
        file_format=form.cleaned_data["file_format"],
        school_year=period.semesters[0].school_year,
        semester=period.semesters[0] if len(period.semesters) == 1 else None,
        region=region,
    )
    return redirect("overview:export", export.pk)


@require_GET
def export_detail(request, pk):
    """The report export's progress; the file once it is ready."""
    export = policies.get_report_export_for(request.acting, pk)
    return render(
        request,
        "overview/export.html",
        {
            "export": export,
            "title": _("Export for reporting: %(kind)s") % {"kind": export.get_kind_display()},
            "back_url": reverse("overview:index"),
            "back_label": _("Overview"),
            "earlier": policies.earlier_exports(
                # What each file's name says, read with it.
                ReportExport.objects.select_related("region", "school_year"),
                request.acting,
                export,
            ),
            "detail": "overview:export",
        },
    )


# The national list of employers with months waiting runs into hundreds: the latest first on
# the overview, the rest one click away (`?darba_deveji=visi`).
EMPLOYERS_SHOWN = 20


@dataclass
class Waiting:
    employers: list  # the ones shown, the latest first
    total: int
    late: int


def _waiting(employers, show_all):
    shown = employers if show_all else employers[:EMPLOYERS_SHOWN]
    return Waiting(shown, len(employers), sum(1 for e in employers if e.days_late))


def _hours(region_ids, period, mentoring, regions, view):
    """Academic hours per month: planned by the plans, confirmed by the mentors, approved by
    the employers and paid in closed payroll runs; the plot, its table, and per region."""
    months = selectors.month_hours(region_ids, period)
    paid = selectors.paid_hours(region_ids, period)
    labels = [
        pgettext("hours", "planned"),
        pgettext("hours", "confirmed"),
        pgettext("hours", "approved"),
        pgettext("hours", "paid"),
    ]
    # The months behind the figures, in the portal's hours check (APR-4), which staff,
    # auditors and administrators all open.
    checks = reverse("timesheets:verification")
    rows, groups, per_region = [], [], {region.pk: [0, 0, 0, 0] for region in regions}
    for month in period.months:
        values = [0, 0, 0, 0]
        for region in regions:
            confirmed, approved = months.get((region.pk, month), (0, 0))
            in_region = [
                mentoring.get(region.pk, {}).get("planned", {}).get(month, 0),
                confirmed,
                approved,
                paid.get((region.pk, month), 0),
            ]
            values = [a + b for a, b in zip(values, in_region, strict=True)]
            per_region[region.pk] = [
                a + b for a, b in zip(per_region[region.pk], in_region, strict=True)
            ]
        of_month = f"{checks}?{urlencode({'menesis': month.isoformat()})}"
        links = [
            view.plans(notika="on", menesis=f"{month:%Y-%m}"),
            of_month,
            f"{of_month}&statuss=approved",
            reverse("payroll:overview", args=[month.year, month.month]),
        ]
        label = date_format(month, "M Y")
        rows.append(
            {"month": month, "label": label, "values": list(zip(values, links, strict=True))}
        )
        groups.append((label, values))
    return {
        "series": labels,
        "rows": rows,
        "chart": charts.grouped_bars(groups, labels),
        "per_region": [(region, per_region[region.pk]) for region in regions],
        "totals": [sum(row["values"][n][0] for row in rows) for n in range(4)],
    }


def _evaluations(counts, view):
    """EVA-3: per closed question the answers Jā / Daļēji / Nē, per region and in all."""
    answers = [Answer.YES, Answer.PARTLY, Answer.NO]
    rows, groups = [], []
    for question, _comment in CLOSED_QUESTIONS:
        label = Evaluation._meta.get_field(question).verbose_name
        totals = []
        for answer in answers:
            row = view.row(
                f"{label}: {answer.label}",
                _sum(counts, lambda key, q=question, a=answer: key == (q, a)),
                lambda region, q=question, a=answer: view.answers(region, q, a),
                note=answer.label,
            )
            rows.append(row)
            totals.append(row.total)
        groups.append((label, totals))
    return rows, charts.grouped_bars(groups, [answer.label for answer in answers])


def _record_response(request, obj, record, name):
    # ACC-1: producing a person's complete record is itself logged.
    access_log_record(acting=request.acting, action=AccessLog.Action.RECORD_EXPORT, obj=obj)
    response = HttpResponse(record.zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def learner_record(request, pk):
    """A learner's complete record as one ZIP (ACC-3: for the data-protection request)."""
    learner = iap_policies.get_record_learner_for(request.acting, pk)
    record = records.learner_record(learner, request.user)
    return _record_response(request, learner, record, f"izglitojamais-{learner.pk}.zip")


@require_POST
def mentor_record(request, pk):
    """A mentor's complete record as one ZIP."""
    if not can_export_records(request.acting):
        raise PermissionDenied
    mentor = mentors_policies.get_mentor_for(request.acting, pk)
    record = records.mentor_record(mentor, request.user)
    return _record_response(request, mentor, record, f"mentors-{mentor.pk}.zip")


@require_http_methods(["GET", "POST"])
def access_log_export(request):
    """ACC-1: the access log of the staff member's regions between two days, as a file."""
    acting = request.acting
    if not policies.can_see_overview(acting):
        raise PermissionDenied
    today = timezone.localdate()
    form = AccessLogExportForm(
        request.POST or None,
        initial={"since": today - datetime.timedelta(days=30), "until": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            export = services.access_log_export_request(
                actor=request.user, acting=acting, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("overview:access_log_export", export.pk)
    # Offered only to those the administration lets in (auditors read the log as a file).
    admin_log_url = (
        reverse("admin:accounts_accesslog_changelist") if can_use_admin(request) else None
    )
    return render(
        request,
        "overview/access_log_export.html",
        {
            "form": form,
            "admin_log_url": admin_log_url,
            "earlier": policies.earlier_exports(AccessLogExport.objects.all(), acting),
            "detail": "overview:access_log_export",
        },
    )


@require_GET
def access_log_export_detail(request, pk):
    export = policies.get_access_log_export_for(request.acting, pk)
    return render(
        request,
        "overview/export.html",
        {
            "export": export,
            "title": _("Access log export"),
            "back_url": reverse("overview:access_log"),
            "back_label": _("Access log"),
            "earlier": policies.earlier_exports(
                AccessLogExport.objects.all(), request.acting, export
            ),
            "detail": "overview:access_log_export",
        },
    )
