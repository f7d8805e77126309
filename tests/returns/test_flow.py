"""The review flow around one return: the review box at the top, approve and open the next submitted return,
no 提交审核 for the reviewer, and the clerk's withdrawal (撤回) of a submitted return nobody has reviewed."""

from django.urls import reverse

from communities.models import ReturnStatus, SurveyReturn


def submit(survey_return):
    SurveyReturn.objects.filter(pk=survey_return.pk).update(status=ReturnStatus.SUBMITTED)
    survey_return.refresh_from_db()
    return survey_return


def url(name, survey_return):
    return reverse(name, args=[survey_return.community_id, survey_return.year])


def test_the_review_box_is_at_the_top_and_approving_asks_first(client, reviewer, return_a):
    submit(return_a)
    client.force_login(reviewer)
    page = client.get(url("returns:detail", return_a)).content.decode()
    assert page.index('id="review"') < page.index("填报说明") < page.index("<table")
    assert "确定审核通过吗" in page and "审核通过并打开下一份" in page


def test_approve_and_open_the_next_submitted_return(client, reviewer, return_a, return_b):
    first, second = sorted([submit(return_a), submit(return_b)], key=lambda r: r.community_id)
    client.force_login(reviewer)
    response = client.post(url("returns:approve", first), {"comment": "", "version": first.version, "next": "1"})
    assert response.status_code == 302 and response.url == url("returns:detail", second)
    response = client.post(url("returns:approve", second), {"comment": "", "version": second.version, "next": "1"})
    assert response.url == reverse("returns:queue") + f"?year={second.year}"
    assert "2025 年已没有待审核的填报。" in client.get(response.url).content.decode()
    assert set(SurveyReturn.objects.values_list("status", flat=True)) == {ReturnStatus.APPROVED}


def test_a_refused_approval_stays_on_the_return(client, reviewer, return_a, return_b):
    submit(return_a), submit(return_b)
    client.force_login(reviewer)
    response = client.post(url("returns:approve", return_a), {"comment": "", "version": 999, "next": "1"})
    assert response.url == url("returns:detail", return_a)
    assert set(SurveyReturn.objects.values_list("status", flat=True)) == {ReturnStatus.SUBMITTED}


def test_the_reviewer_is_not_offered_submission_of_a_returned_return(client, reviewer, clerk_a, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.RETURNED, review_comment="请补充经费")
    client.force_login(reviewer)
    assert "提交审核</button>" not in client.get(url("returns:detail", return_a)).content.decode()
    client.force_login(clerk_a)
    assert "提交审核</button>" in client.get(url("returns:detail", return_a)).content.decode()


def test_the_clerk_withdraws_a_submitted_return(client, clerk_a, return_a):
    submit(return_a)
    client.force_login(clerk_a)
    page = client.get(url("returns:detail", return_a)).content.decode()
    assert "撤回</button>" in page
    response = client.post(url("returns:withdraw", return_a), {"version": return_a.version})
    assert response.status_code == 302 and response.url == url("returns:edit", return_a)
    return_a.refresh_from_db()
    assert (return_a.status, return_a.submitted_at) == (ReturnStatus.DRAFT, None)
    assert return_a.history.latest().history_user == clerk_a
    assert client.get(url("returns:edit", return_a)).status_code == 200


def test_withdrawal_is_refused_once_reviewed_or_on_a_stale_page(client, clerk_a, reviewer, return_a):
    submit(return_a)
    version = return_a.version
    client.force_login(reviewer)
    assert "撤回</button>" not in client.get(url("returns:detail", return_a)).content.decode()
    assert client.post(url("returns:withdraw", return_a), {"version": version}).status_code == 403
    client.post(url("returns:approve", return_a), {"comment": "", "version": version})
    client.force_login(clerk_a)
    response = client.post(url("returns:withdraw", return_a), {"version": version}, follow=True)
    assert "请刷新页面后再操作" in response.content.decode()
    return_a.refresh_from_db()
    response = client.post(url("returns:withdraw", return_a), {"version": return_a.version}, follow=True)
    assert "只有已提交、尚未审核的填报可以撤回。" in response.content.decode()
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.APPROVED


def test_withdraw_needs_a_post_and_the_region(client, clerk_b, return_a):
    submit(return_a)
    client.force_login(clerk_b)
    assert client.get(url("returns:withdraw", return_a)).status_code == 405
    assert client.post(url("returns:withdraw", return_a), {"version": return_a.version}).status_code == 404
