"""The admin reads in Latvian, and the small things: the packages' catalogue, the favicon, the
login page's description, compressed pages.

The Latvian of Django's admin and validators, of django-simple-history and of allauth's MFA
screens lives in `locale_overrides/lv/` (first in LOCALE_PATHS): these tests read the pages as
a staff member sees them.
"""

import ast
import datetime
import gettext
import gzip
import html
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from diary.models import DiaryMonth
from iap.models import Plan
from skola_kopiena.compression import PortalGZipMiddleware
from skola_kopiena.notifications.models import SentEmail
from tests.factories import make_learner

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "locale_overrides" / "lv" / "LC_MESSAGES"
PROJECT = ROOT / "locale" / "lv" / "LC_MESSAGES"
RIGA = ZoneInfo("Europe/Riga")


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _lv(text):
    with translation.override("lv"):
        return str(text)


def test_the_admin_index_reads_in_latvian(cast, client_for):
    page = _page(client_for(cast.admin), "/admin/")
    assert "Divpakāpju autentifikācija" in page  # allauth's app "MFA"
    assert "Sadaļa “Mentoru reģistrs”" in page  # Django: "Modeļi Mentoru reģistrs lietotnē"
    assert "Uz portālu" in page
    for english in (">MFA<", "View site", "Models in the", "lietotnē"):
        assert english not in page


def test_a_list_is_headed_by_its_plural_with_latvian_search_filters_and_yes_no_icons(
    cast, client_for
):
    page = _page(client_for(cast.admin), "/admin/mentors/mentor/")
    assert "<h1>Mentori</h1>" in page  # not "Atlasīt mentors, lai izmainītu"
    assert '<img src="/static/admin/img/search.svg" alt="Meklēt">' in page
    assert 'alt="Jā"' in page  # the mentors are available
    assert 'alt="True"' not in page and 'alt="False"' not in page and 'alt="Search"' not in page
    assert re.search(r"<summary>\s*Reģions\s*</summary>", page)  # not "Pēc reģions"
    assert re.search(r"\d+ ieraks(ts|ti)\b", page)  # "21 ieraksts", never "21 mentori"


def test_an_add_page_and_a_change_page_say_what_they_do_with_the_name_after_a_colon(
    cast, client_for
):
    client = client_for(cast.admin)
    assert "<h1>Pievienot: likme</h1>" in _page(client, "/admin/payroll/rate/add/")
    page = _page(client, f"/admin/accounts/user/{cast.staff.pk}/change/")
    assert "<h1>Labot: lietotājs</h1>" in page
    # The roles' inline, its button's text in a JSON attribute.
    assert json.dumps("Pievienot vēl: Loma") in page


def test_a_history_page_shows_labels_names_and_riga_times_not_codes_utc_or_ids(
    cast, client_for, active_plan
):
    page = _page(client_for(cast.admin), f"/admin/iap/plan/{active_plan.pk}/history/")
    submitted, active = _lv(Plan.Status.SUBMITTED.label), _lv(Plan.Status.APPROVED.label)
    assert f"Vēsture: {active_plan}" in page
    for heading in ("Datums/laiks", "Darbība", "Mainīja", "Izmaiņas"):
        assert heading in page
    assert f"{submitted}\xa0→ {active}" in page
    assert f"—\xa0→ {cast.approver}" in page  # nobody decided yet, then the approver
    submitted_at = active_plan.submitted_at.astimezone(RIGA)
    assert f"—\xa0→ {submitted_at:%d.%m.%Y %H:%M}" in page
    assert "→ approved" not in page and "submitted →" not in page
    assert "+00:00" not in page and not re.search(r"\d\d:\d\d:\d\d\.\d+", page)
    assert "Labots" in page  # simple-history's "Changed"
    for english in ("View history", "Changed by", "Deleted", ">None<", "entries"):
        assert english not in page


def test_a_past_version_is_read_as_text_without_the_choices_of_other_regions(
    cast, client_for, active_plan
):
    make_learner(cast.other_preparer, cast.other_school, first_name="Vidzemniece")
    version = active_plan.history.earliest("history_date")
    client = client_for(cast.staff)
    page = _page(client, f"/admin/iap/plan/{active_plan.pk}/history/{version.history_id}/")
    assert f"Apskatīt: {active_plan}" in page
    assert "<select" not in page and "<textarea" not in page
    assert "Vidzemniece" not in page and cast.second_mentor.last_name not in page
    assert "Tavs laiks ir" not in page  # no date pickers


def test_a_past_version_of_an_account_keeps_the_password_hash_behind_its_widget(cast, client_for):
    version = cast.staff.history.earliest("history_date")
    url = f"/admin/accounts/user/{cast.staff.pk}/history/{version.history_id}/"
    page = _page(client_for(cast.admin), url)
    assert cast.staff.password and cast.staff.password not in page
    assert cast.staff.password.split("$")[-1] not in page


def test_a_list_shows_a_status_by_its_label_and_a_month_as_a_month(
    cast, client_for, active_plan, meet
):
    meet(active_plan, datetime.date(2026, 11, 25), datetime.time(8), datetime.time(9))
    month = DiaryMonth.objects.get(plan=active_plan, month=datetime.date(2026, 11, 1))
    page = _page(client_for(cast.admin), "/admin/diary/diarymonth/")
    assert f'<td class="field-status">{_lv(month.get_status_display())}</td>' in page
    assert f'<td class="field-status">{month.status}</td>' not in page
    assert '<td class="field-month_label">11.2026</td>' in page


def test_a_moment_in_a_list_is_in_riga_time_without_seconds(cast, client_for):
    confirmed = datetime.datetime(2026, 11, 2, 10, 0, 0, 2173, tzinfo=datetime.UTC)
    SentEmail.objects.create(
        key=f"diary-month:44:confirmed:{confirmed.isoformat()}:10",
        recipient="apstiprinatajs@example.lv",
        subject="Mēnesis noslēgts",
    )
    page = _page(client_for(cast.admin), "/admin/notifications/sentemail/")
    assert "diary-month:44:confirmed:02.11.2026 12:00:10" in page
    assert "25.11.2026 10:30" in page  # sent, by the frozen clock
    assert "+00:00" not in page and ".002173" not in page and "2026-11-02" not in page


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (MaxValueValidator(20), 21, "Ne vairāk kā 20."),
        (MinValueValidator(1), 0, "Vismaz 1."),
    ],
)
def test_djangos_messages_for_a_number_limit_speak_the_houses_words(validator, value, message):
    with translation.override("lv"), pytest.raises(ValidationError) as error:
        validator(value)
    assert error.value.messages == [message]  # Django's own says "jabūt" (sic) for a maximum


def _read_po(path):
    """A .po file as gettext's catalogue: msgid → msgstr, (msgid, n) → msgstr[n]; no header,
    no untranslated or fuzzy entry."""
    catalogue = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, text = line.partition(" ")
                entry[key] = ast.literal_eval(text)
        if fuzzy or not entry.get("msgid"):
            continue
        if "msgid_plural" in entry:
            for name, text in entry.items():
                if name.startswith("msgstr[") and text:
                    catalogue[(entry["msgid"], int(name[7:-1]))] = text
        elif entry.get("msgstr"):
            catalogue[entry["msgid"]] = entry["msgstr"]
    return catalogue


def _read_mo(path):
    with path.open("rb") as f:
        catalogue = dict(gettext.GNUTranslations(f)._catalog)
    catalogue.pop("", None)
    return catalogue


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogue_of_the_packages_latvian_is_compiled_from_its_source(domain):
    assert _read_mo(OVERRIDES / f"{domain}.mo") == _read_po(OVERRIDES / f"{domain}.po"), (
        "run `make messages` and commit the .mo"
    )


def test_a_word_in_both_catalogues_is_translated_the_same_in_both():
    packages, project = _read_mo(OVERRIDES / "django.mo"), _read_mo(PROJECT / "django.mo")
    differ = {key for key in packages.keys() & project.keys() if packages[key] != project[key]}
    assert not differ, "locale_overrides/ wins: translate these the same in both, or in one"
    assert settings.LOCALE_PATHS[0] == ROOT / "locale_overrides"


def test_the_favicon_answers_without_a_login_and_every_page_names_it(db):
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("favicon.ico")
    assert client.get(response["Location"]).status_code == 200
    page = _page(client, "/accounts/login/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_the_admin_names_the_favicon_too(cast, client_for):
    assert 'rel="icon" href="/static/favicon.svg"' in _page(client_for(cast.admin), "/admin/")


def test_the_login_page_has_a_description_for_search_engines_and_link_previews(db):
    page = _page(Client(), "/accounts/login/")
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description and "Skola – kopienā" in description.group(1)


def test_a_page_the_portal_asked_for_is_compressed_when_the_browser_accepts_gzip(db):
    response = Client().get(
        "/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, br", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response["Content-Encoding"] == "gzip"
    assert b'<html lang="lv">' in gzip.decompress(response.content)
    assert "Sec-Fetch-Site" in response["Vary"]


@pytest.mark.parametrize("sec_fetch_site", ["cross-site", "same-site", None])
def test_a_page_another_site_asked_for_is_never_compressed_against_breach(db, sec_fetch_site):
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"}
    if sec_fetch_site:
        headers["HTTP_SEC_FETCH_SITE"] = sec_fetch_site
    response = Client().get("/accounts/login/", **headers)
    assert not response.has_header("Content-Encoding")
    assert "Sec-Fetch-Site" in response["Vary"]


def test_files_that_are_compressed_already_are_not_compressed_again():
    request = RequestFactory().get(
        "/", HTTP_ACCEPT_ENCODING="gzip", HTTP_SEC_FETCH_SITE="same-origin"
    )
    pdf = PortalGZipMiddleware(lambda r: HttpResponse(b"%PDF-1.7" * 100, "application/pdf"))
    csv = PortalGZipMiddleware(lambda r: HttpResponse(b"a;b\n" * 100, "text/csv"))
    assert not pdf(request).has_header("Content-Encoding")
    assert csv(request)["Content-Encoding"] == "gzip"
