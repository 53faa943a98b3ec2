"""Sessions end after 30 idle minutes, and 12 hours after login however active."""

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.utils import translation

from tests.conftest import TODAY

LOGGED_OUT = (
    "For safety, a login lasts a limited time even while you work, and yours has ended. "
    "Please log in again."
)


def _work_until(client, clock, hours):
    """A request every 20 minutes, so that the session is never idle for its 30 minutes."""
    for _ in range(hours * 3):
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get("/").status_code == 200


def test_an_active_session_ends_12_hours_after_login(cast, client_for):
    client = client_for(cast.preparer)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        _work_until(client, clock, hours=12)
        clock.shift(datetime.timedelta(minutes=1))
        response = client.get("/iap/")
        assert response.status_code == 302
        # The login page says that the session had ended (issue 11).
        assert response["Location"] == "/accounts/login/?next=/iap/&sesija=beigusies"
        with translation.override("lv"):
            assert [str(m) for m in get_messages(response.wsgi_request)] == [
                translation.gettext(LOGGED_OUT)
            ]
        assert "_auth_user_id" not in client.session
        # Logging in again starts a new 12 hours.
        client.force_login(cast.preparer)
        assert client.get("/").status_code == 200
        _work_until(client, clock, hours=1)


def test_the_absolute_session_age_is_configurable(cast, client_for, settings):
    settings.SESSION_ABSOLUTE_AGE = 60 * 60
    client = client_for(cast.preparer)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        _work_until(client, clock, hours=1)
        clock.shift(datetime.timedelta(minutes=1))
        assert client.get("/").status_code == 302


def test_an_idle_session_still_ends_after_30_minutes(cast, client_for):
    client = client_for(cast.preparer)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        assert client.get("/").status_code == 302
