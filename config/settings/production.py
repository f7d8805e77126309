"""Production: DEBUG off, a real secret key required, secure cookies, PostgreSQL with persistent connections,
static files collected, compressed and cache-busted, served by the application itself (WhiteNoise),
one JSON object per log line on stdout.

Started by gunicorn with ``config/gunicorn.conf.py`` (see README, "Deploying"). Every value below can be set from
the environment; the defaults are the safe ones.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: production refuses to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # no default either: the host names the server answers to

# PostgreSQL with persistent connections: each gunicorn worker keeps its connection for ten minutes and checks it
# before reusing it after a request (CONN_HEALTH_CHECKS), so a restarted database costs one failed check, not a 500.
# Every worker holds one connection: workers × servers must stay below PostgreSQL's max_connections.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    # A connection attempt that hangs must not hold a worker until gunicorn's timeout kills it.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))  # noqa: F405

# Static files: collectstatic writes compressed (gzip + brotli), content-hashed copies to STATIC_ROOT; WhiteNoise
# serves them from the application with a far-future, immutable Cache-Control, so a deploy busts every cache.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# HTTPS: the reverse proxy terminates TLS and sets X-Forwarded-Proto (and must strip it from clients' requests).
# SECURE_SSL_REDIRECT and the secure cookie flags may be switched off only for a plain-HTTP test on loopback
# (loadtest/run.py does that); never on a server people use.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: sent over HTTPS only, never readable by scripts (the session), not sent on cross-site requests.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way commitment to browsers' preload lists; an intranet host name is never on them.
    "security.W021",
]

# Logs: one JSON object per line on stdout (gunicorn's access and error logs too, see config/gunicorn.conf.py).
LOGGING["formatters"]["json"] = {"()": "config.logging.JsonFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
LOGGING["handlers"]["console"]["stream"] = "ext://sys.stdout"  # noqa: F405
LOGGING["loggers"]["django.request"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["django.security"] = {"level": "WARNING"}  # noqa: F405
