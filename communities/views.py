"""The home page: each role goes to where it works; the 403 page; the page for a refused form submission (CSRF)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from communities.access import ReturnLocked


@login_required
def home(request):
    if request.user.is_clerk:
        return redirect("returns:workspace")
    return redirect("dashboard:index")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF failure page is in English; this one says what to do. ``reason`` is not shown (it names the
    check that failed, which helps no user and is in the log)."""
    message = "页面已过期或表单来源无法确认，本次提交没有保存。请刷新页面（或重新登录）后再提交。"
    return render(request, "403.html", {"heading": "提交未被接受", "exception": message}, status=403)


def permission_denied(request, exception=None):
    """Django's 403 page with the project's template; a return locked by its status says so and links back to the
    return instead of home (it is not a missing permission)."""
    context = {"exception": str(exception) if exception is not None and str(exception) else ""}
    if isinstance(exception, ReturnLocked):
        survey_return = exception.survey_return
        context["heading"] = exception.heading
        context["back_url"] = reverse(
            "returns:detail", kwargs={"code": survey_return.community_id, "year": survey_return.year}
        )
        context["back_label"] = "返回该年度填报"
    return render(request, "403.html", context, status=403)
