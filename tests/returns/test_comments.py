"""Comments on one figure or one row of a return (issue 13): a thread between clerk and reviewer, shown beside the
figure and kept with the history; refused with a Chinese message when empty or on a target that does not exist."""

import pytest
from django.urls import reverse

from communities.models import FigureComment


def _comment(client, survey_return, target, text):
    url = reverse("returns:comment", args=[survey_return.community_id, survey_return.year])
    return client.post(url, {"target": target, "text": text}, follow=True)


def test_a_clerk_and_a_reviewer_keep_a_thread_on_a_figure(client, clerk_a, reviewer, return_a):
    client.force_login(clerk_a)
    _comment(client, return_a, "figure:households", "新小区交付，户数增加")
    client.force_login(reviewer)
    response = _comment(client, return_a, "figure:households", "请附上交付文件")
    page = response.content.decode()
    assert "已添加对“户数”的批注。" in page
    assert page.index("新小区交付，户数增加") < page.index("请附上交付文件")
    assert '<a href="#comments" class="muted small">批注 2</a>' in page  # beside the figure
    thread = list(FigureComment.objects.order_by("pk").values_list("author__username", "target_label"))
    assert thread == [("clerk_a", "户数"), ("reviewer", "户数")]
    assert FigureComment.history.filter(history_type="+").count() == 2
    assert FigureComment.history.order_by("history_id").first().history_user == clerk_a


def test_a_comment_on_a_row_keeps_its_name_after_the_row_is_removed(client, reviewer, return_a):
    worker = return_a.workers.order_by("pk").first()
    client.force_login(reviewer)
    _comment(client, return_a, f"worker:{worker.pk}", "学历与证书不符")
    worker.delete()
    page = client.get(reverse("returns:detail", args=[return_a.community_id, 2025])).content.decode()
    assert f"社区工作者 {worker.name}（已删除）" in page and "学历与证书不符" in page


@pytest.mark.parametrize(
    ("target", "text", "message"),
    [
        ("figure:households", "  ", "请填写批注内容。"),
        ("worker:999999", "看看", "批注对象不存在（该行可能已被删除），请刷新页面后重新选择。"),
        ("figure:households", "长" * 1001, "批注内容不能超过 1000 字。"),
    ],
)
def test_bad_comments_are_refused_and_nothing_is_kept(client, clerk_a, return_a, target, text, message):
    client.force_login(clerk_a)
    assert message in _comment(client, return_a, target, text).content.decode()
    assert not FigureComment.objects.exists()


def test_another_streets_clerk_cannot_comment(client, clerk_b, return_a):
    client.force_login(clerk_b)
    url = reverse("returns:comment", args=[return_a.community_id, 2025])
    assert client.post(url, {"target": "return", "text": "x"}).status_code == 404
    assert not FigureComment.objects.exists()
