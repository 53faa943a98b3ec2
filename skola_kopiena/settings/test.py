"""Tests: fast hashing, local memory cache, in-memory email, a throw-away private media root."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("REQUIRE_STAFF_MFA", "true")

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sk-private-"))  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="sk-static-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# With a real Redis (CI), each pytest-xdist worker gets its own database, so that clearing the
# cache between tests (rate limits) never touches another worker's keys.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    _base = CACHES["default"]["LOCATION"].rsplit("/", 1)[0]  # noqa: F405
    CACHES["default"]["LOCATION"] = f"{_base}/{10 + int(_worker)}"  # noqa: F405
