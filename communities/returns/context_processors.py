"""What the top bar counts for a clerk: unread reminders and returns sent back (``progress.unread_count``).

A callable, so that the two queries run only where the template shows the count (a clerk's pages)."""

from __future__ import annotations

from . import progress


def todo(request) -> dict:
    user = getattr(request, "user", None)
    return {"todo_count": lambda: progress.unread_count(user) if user is not None else 0}
