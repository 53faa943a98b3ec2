"""On the quick start's SQLite, two writes at once queue instead of failing."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's locking; PostgreSQL locks rows"
)


def test_the_settings_make_sqlite_take_the_write_lock_first_and_wait_for_it():
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 20


def test_two_approvals_of_one_month_at_once_both_get_a_clean_answer(db, tmp_path):
    # A database file of its own with the portal's settings: the test database is in memory,
    # shared by one connection, where two writers cannot meet.
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "race.sqlite3")}
    setup = DatabaseWrapper(settings_dict, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE month (id INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("INSERT INTO month VALUES (1, 'confirmed')")
    setup.close()
    start = threading.Barrier(2)
    answers = []

    def approve():
        # Read, think, then write: as month_approve reads the month before it changes it.
        connections["race"] = DatabaseWrapper(settings_dict, alias="race")
        try:
            start.wait()
            with transaction.atomic(using="race"), connections["race"].cursor() as cursor:
                cursor.execute("SELECT status FROM month WHERE id = 1")
                (status,) = cursor.fetchone()
                time.sleep(0.3)
                if status != "confirmed":
                    answers.append("already approved")
                    return
                cursor.execute("UPDATE month SET status = 'approved' WHERE id = 1")
                answers.append("approved")
        except Exception as error:
            answers.append(error)
        finally:
            connections["race"].close()
            del connections["race"]

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers, key=str) == ["already approved", "approved"]
