"""Django settings, every deployment knob read from the environment (see sclerocell.config).

SQLite in the data directory by default; PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sclerocell.config import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_visit_schedule,
)
from sclerocell.followup.schedule import DEFAULT_SCHEDULE
from sclerocell.web.accounts.roles import Role

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SCLEROCELL_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SCLEROCELL_DEBUG", False)
_DEV_SECRET = "insecure-development-key-only-for-the-synthetic-demo"  # noqa: S105
SECRET_KEY = env_str("SCLEROCELL_SECRET_KEY", _DEV_SECRET)
if SECRET_KEY == _DEV_SECRET and env_bool("SCLEROCELL_PRODUCTION", False):
    raise ConfigError("SCLEROCELL_SECRET_KEY must be set when SCLEROCELL_PRODUCTION is on")
ALLOWED_HOSTS = env_list("SCLEROCELL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    # Django's admin, with the administrators-only site as `admin.site` (accounts/admin_site.py).
    "sclerocell.web.accounts.admin_apps.SclerocellAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "sclerocell.web.accounts",
    "sclerocell.web.audit",
    "sclerocell.web.trial",
    "sclerocell.web.safety",
    "sclerocell.web.followup",
    "sclerocell.web.product",
    "sclerocell.web.screening",
    "sclerocell.web.warehouse",
    "sclerocell.web.report",
    "sclerocell.web.exports",
    "sclerocell.web.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A session that still owes its TOTP code stays on the second-factor pages.
    "sclerocell.web.accounts.middleware.SecondFactorMiddleware",
    # A wrong password at an electronic signature counts toward the login lockout.
    "sclerocell.web.accounts.signing.SigningRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sclerocell.web.audit.middleware.AuditRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sclerocell.web.urls"
WSGI_APPLICATION = "sclerocell.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sclerocell.sqlite3'}"),
        conn_max_age=env_int("SCLEROCELL_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server and a CLI command share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
    }
if env_bool("SCLEROCELL_REQUIRE_POSTGRES", False) and (
    DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
):
    raise ConfigError("SCLEROCELL_REQUIRE_POSTGRES is on but DATABASE_URL is not PostgreSQL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SCLEROCELL_PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "shell:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("SCLEROCELL_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SCLEROCELL_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Each attempt during a lockout starts the cool-off again: "try again in N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# axes.W006 asks to lock by address too. A hospital puts hundreds of staff behind one address:
# one person's typos would lock out a whole site. Failures are counted per username across
# every address and browser (tests/web/accounts/test_login_lockout.py shows it).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The lockout page says, translated, when to try again and whom to ask.
AXES_LOCKOUT_CALLABLE = "sclerocell.web.accounts.views.locked_out"

# Roles that must use a TOTP second factor.
SCLEROCELL_TOTP_REQUIRED_ROLES = env_list(
    "SCLEROCELL_TOTP_REQUIRED_ROLES", ["investigator", "data_manager", "administrator"]
)
if _unknown_roles := set(SCLEROCELL_TOTP_REQUIRED_ROLES) - {role.value for role in Role}:
    raise ConfigError(
        f"SCLEROCELL_TOTP_REQUIRED_ROLES: unknown role(s) {sorted(_unknown_roles)}; "
        f"expected some of {[role.value for role in Role]}"
    )
OTP_TOTP_ISSUER = "sclerocell"

# The follow-up visits after the infusion and their windows (a protocol setting; format in
# sclerocell.config.DEFAULT_VISIT_SCHEDULE). Validated here: a malformed value stops start-up.
# Codes are those the visit table knows (its CHECK constraint): a new code needs a migration.
SCLEROCELL_VISIT_SCHEDULE = env_visit_schedule(
    "SCLEROCELL_VISIT_SCHEDULE", known_codes=[v.code for v in DEFAULT_SCHEDULE.visits]
)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Inactivity timeout: the session expires after this many idle seconds. Every request saves the
# session, which moves its server-side expiry forward; the cookie itself dies with the browser.
SESSION_COOKIE_AGE = env_int("SCLEROCELL_IDLE_TIMEOUT_SECONDS", 15 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers -----------------------------------------------------------------------
_HTTPS = env_bool("SCLEROCELL_HTTPS", False)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SECURE_SSL_REDIRECT = _HTTPS
SECURE_HSTS_SECONDS = 31536000 if _HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}
MIDDLEWARE.insert(1, "django.middleware.csp.ContentSecurityPolicyMiddleware")

# --- Internationalisation: French by default, English on request --------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Mail (safety alerts): printed on the console unless a deployment configures a real mailer.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "SCLEROCELL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = env_str("SCLEROCELL_EMAIL_FROM", "sclerocell@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SCLEROCELL_LOG_LEVEL", "WARNING")},
}
