"""gunicorn settings for Shequ: ``gunicorn -c config/gunicorn.conf.py`` (see README, "Deploying").

Every value can be set from the environment: GUNICORN_BIND, WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT,
GUNICORN_MAX_REQUESTS, GUNICORN_FORWARDED_ALLOW_IPS. Sync workers: one request at a time per worker, so a slow
request (a large workbook import) holds one worker, never the others.
"""

import multiprocessing
import os
import sys
from pathlib import Path

# The project folder, so that config.wsgi and config.logging import whatever the current directory is.
PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

wsgi_app = "config.wsgi:application"
chdir = str(PROJECT_DIR)

# Behind a reverse proxy on the same machine by default; "0.0.0.0:8000" to take requests from other machines.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Workers from the core count: the usual (2 × cores) + 1 for sync workers whose requests wait on PostgreSQL.
# Each worker keeps one database connection (CONN_MAX_AGE), so workers × servers < PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A worker silent for longer than this is killed and replaced by the master. Long enough for a county's workbook
# import (tens of seconds under load), short enough that a stuck worker comes back.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5

# Recycle each worker after this many requests (with jitter so they do not all restart at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10

# Load Django once in the master and fork the workers from it: less memory, and a killed worker is replaced in
# milliseconds. Django opens no database connection at import time, so nothing is shared across the fork.
# Consequence: new code needs a restart of the service (systemctl restart), not a HUP.
preload_app = True

# Heartbeat files in memory, not on a disk that may stall (the worker timeout relies on them).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Only the local proxy may say which scheme and client address a request came with.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No runtime control socket: several instances (tests, the load test) may run side by side.
control_socket_disable = True

# Access and error logs on stdout, one JSON object per line (config/logging.py), like Django's own logs.
accesslog = "-"
# The JSON formatter picks its fields from the atoms (config/logging.py); this format is what any other handler
# would print. Neither has the query string, the request line or the referer, which can carry an ID-card number.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(D)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
