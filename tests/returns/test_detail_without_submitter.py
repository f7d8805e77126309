"""The return page of a return handed in with no submitter recorded (an import, the demo data) shows the time
without a name instead of failing with an error page."""

from django.urls import reverse
from django.utils import timezone

from communities.models import ReturnStatus, SurveyReturn


def test_a_return_submitted_without_a_submitter_still_shows(client, reviewer, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(
        status=ReturnStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=None
    )
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[return_a.community_id, 2025]))
    assert response.status_code == 200
    assert "提交：" in response.content.decode() and "审核通过（锁定）" in response.content.decode()
