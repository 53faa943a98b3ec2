"""Settings shared by every environment, read from environment variables.

Every variable is documented in `.env.example`. Defaults are safe for development:
SQLite, eager Celery tasks, console email.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "skola_kopiena.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "simple_history",
    "skola_kopiena.accounts",
    "skola_kopiena.schools",
    "skola_kopiena.files",
    "skola_kopiena.notifications",
    "mentors",
    "iap",
    "diary",
    "timesheets",
    "payroll",
    "supervision",
    "evaluation",
    "overview",
    "skola_kopiena.demo",
    "skola_kopiena.scale",
    "skola_kopiena.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for pages the portal itself asked for, after WhiteNoise's pre-compressed static
    # files; why that is safe against BREACH: skola_kopiena/compression.py.
    "skola_kopiena.compression.PortalGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skola_kopiena.accounts.middleware.LatvianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's LoginRequiredMiddleware, telling the login page when a session had ended.
    "skola_kopiena.accounts.middleware.SessionEndedLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After AuthenticationMiddleware, and after MessageMiddleware to say why it logs out.
    "skola_kopiena.accounts.middleware.AbsoluteSessionAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "skola_kopiena.accounts.middleware.ActiveRoleMiddleware",
    "skola_kopiena.accounts.middleware.AuditorReadLogMiddleware",
    "skola_kopiena.accounts.middleware.StaffMfaMiddleware",
    "skola_kopiena.accounts.middleware.NoStoreMiddleware",
    # Innermost: the page it renders has the request's role and session, as the view's would.
    "skola_kopiena.method_not_allowed.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "skola_kopiena.urls"
WSGI_APPLICATION = "skola_kopiena.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skola_kopiena.accounts.context_processors.roles",
                "skola_kopiena.accounts.context_processors.session_timer",
            ],
            "libraries": {"portal_admin": "skola_kopiena.admin_tags"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start: a transaction takes SQLite's write lock when it begins, so that two
    # writers at once (two approvals of one month) queue for up to 20 seconds instead of one
    # failing with "database is locked" when both, having read, try to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits of failed logins live in this cache: use Redis outside development.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email login, no public sign-up (accounts are created by project staff).
ACCOUNT_ADAPTER = "skola_kopiena.accounts.adapters.NoSignupAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Repeated wrong passwords are slowed down: allauth's rate limits need a shared cache (Redis).
# The "key" of failed logins is account and address together (see the adapter): five wrong
# passwords lock that account at that address for 15 minutes (the login form says so), and
# 100 failures from one address, plenty for a whole school behind one router, stop guessing
# across accounts. The key rate comes first, so that a locked-out person's retries do not use
# up the address's allowance. The other limits count per minute and answer with 429.html.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/15m/key,100/15m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
# Behind the TLS proxy every request comes from the proxy: trust that many proxies' entries
# in X-Forwarded-For to find the client's own address, which the rate limits count by.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Skola – kopienā"
# Staff and administrators must have a TOTP second factor before they may act.
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=True)

# Sessions end after 30 minutes without a request, with the browser, and 12 hours after login
# however active (AbsoluteSessionAgeMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=12 * 60 * 60)

GUARDIAN_RAISE_403 = False
# A past version is read in the admin, never restored: a restore would bypass the services.
SIMPLE_HISTORY_REVERT_DISABLED = True
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
# First: the Latvian of the packages' own msgids (Django's admin and validators, allauth,
# simple-history), which `makemessages` never touches; then the project's catalogue.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["skola_kopiena.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads are private: kept outside any served path, downloaded only through a view that
# asks the permission module (ACC-2). There is deliberately no MEDIA_URL route.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
FILE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Skola – kopienā <noreply@skola-kopiena.lv>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker, tasks run eagerly in the web process (development, tests).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The portal's public address, for links in emails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# The covering indexes and unique constraints (INCLUDE columns) are for PostgreSQL; SQLite,
# for development only, builds them on their key columns, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]
