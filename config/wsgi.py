"""The WSGI application gunicorn serves (config/gunicorn.conf.py), with the production settings by default."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Import every URLconf and view now, not on each worker's first request: gunicorn loads this module once in its
# master (preload_app), so every worker it forks, a replacement for a killed one included, starts with the same
# code already in memory and answers its first request at full speed.
get_resolver().url_patterns  # noqa: B018
