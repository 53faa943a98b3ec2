"""Development: the quick start (`make run`). DEBUG on; SQLite unless DATABASE_URL is set."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("REQUIRE_STAFF_MFA", "false")

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
