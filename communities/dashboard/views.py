from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    return render(request, "placeholder.html", {"title": "统计看板", "issue": "指标与看板"})
