"""The home page: each role goes to where it works."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    if request.user.is_clerk:
        return redirect("returns:workspace")
    return redirect("dashboard:index")
