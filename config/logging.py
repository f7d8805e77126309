"""One JSON object per log line on stdout, for the server's log collector.

Used by Django's logging (config/settings/production.py) and by gunicorn's access and error logs
(config/gunicorn.conf.py), so every line the service prints is JSON with the same keys:
time, level, logger, message, and where they are known method, path, status_code, duration_ms, remote_addr.
"""

import contextlib
import json
import logging
from datetime import UTC, datetime

# gunicorn passes its access-log atoms as the record's args (a dict): h remote address, m method, U path (without
# the query string), s status, b response length, D duration in microseconds, a user agent. Never the query string
# (q), the request line (r) or the referer (f): a query string can carry an ID-card number (an admin filter, a
# search), and ID numbers are never written to logs.
GUNICORN_ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "status_code": "s",
    "bytes": "b",
    "user_agent": "a",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(self._access_fields(record.args))
            entry["message"] = f"{entry.get('method', '')} {entry.get('path', '')} {entry.get('status_code', '')}"
        else:
            entry["message"] = record.getMessage()
        for key in ("status_code", "method", "path"):
            if key not in entry and hasattr(record, key):
                entry[key] = getattr(record, key)
        request = getattr(record, "request", None)  # django.request and django.security put the request here
        if request is not None and hasattr(request, "method"):
            entry.setdefault("method", request.method)
            entry.setdefault("path", getattr(request, "path", ""))
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                entry["user"] = user.get_username()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def _access_fields(atoms: dict) -> dict:
        fields = {}
        for key, atom in GUNICORN_ACCESS_FIELDS.items():
            value = atoms.get(atom)
            if value not in (None, "", "-"):
                fields[key] = value
        for key in ("status_code", "bytes"):
            if key in fields:
                with contextlib.suppress(TypeError, ValueError):
                    fields[key] = int(fields[key])
        duration_us = atoms.get("D")
        if duration_us not in (None, "", "-"):
            fields["duration_ms"] = round(int(duration_us) / 1000, 1)
        return fields
