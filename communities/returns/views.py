from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def workspace(request):
    return render(request, "placeholder.html", {"title": "年度填报", "issue": "填报与审核"})
