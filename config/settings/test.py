"""Settings for the test suite: the database still comes from DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/shequ-test-media")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOAD_DIVISIONS_ON_MIGRATE = False  # the suite builds its own region trees (tests/divisions load the list)
