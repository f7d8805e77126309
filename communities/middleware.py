"""A page in Chinese where Django answers with an empty body."""

from __future__ import annotations

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """``require_POST`` and its kin answer a wrong method with an empty 405. A person gets there by opening an
    action's address directly — most often when the login page sends them back to it after their session ran out —
    so pages (not the JSON API) answer with a page that says what happened; the status and Allow header stay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
