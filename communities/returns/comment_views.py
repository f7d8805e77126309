"""Adding a comment (批注) to a figure or a row of a return, from its review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import access

from . import comments


@login_required
@require_POST
def comment(request, code: str, year: int):
    survey_return = access.get_return_for_user(request.user, code, year)
    try:
        added = comments.comment_add(
            survey_return=survey_return,
            user=request.user,
            target=request.POST.get("target", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已添加对“{added.target_label}”的批注。")
    return redirect(reverse("returns:detail", kwargs={"code": code, "year": year}) + "#comments")
