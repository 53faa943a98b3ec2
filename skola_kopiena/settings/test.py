"""Tests: fast hashing, local memory cache, in-memory email, a throw-away private media root."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")  # noqa: S105 - test default
os.environ.setdefault("REQUIRE_STAFF_MFA", "true")

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sk-private-"))  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="sk-static-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
