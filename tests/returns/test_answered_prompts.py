"""Issue 16 item 11: a jump prompt that the clerk has answered in 填报说明 shows as answered (muted, "已说明：…"),
not as an open request; without an explanation it stays a request."""

from decimal import Decimal

from django.urls import reverse

from communities.models import SurveyReturn
from communities.returns import rules

from .test_rules import COMPLETE

REQUEST = "请在“填报说明”中说明原因。"


def test_the_rule_marks_a_jump_explained_once_there_is_an_explanation():
    now = {**COMPLETE, "households": Decimal(1630)}
    problems, blocking = rules.check_return(figures=now, previous=COMPLETE, explanation="", previous_year=2024)
    assert [(p.code, p.explained) for p in problems] == [("jump_households", False)]
    assert problems[0].text == f"户数较2024年变化 +63%（1000 → 1630），超过 ±30%，{REQUEST}" and blocking == problems
    problems, blocking = rules.check_return(
        figures=now, previous=COMPLETE, explanation="2025年新建小区交付入住，户数增加。", previous_year=2024
    )
    assert [(p.code, p.explained) for p in problems] == [("jump_households", True)] and blocking == []
    assert problems[0].text == "已说明：户数较2024年变化 +63%（1000 → 1630），超过 ±30%，原因见“填报说明”。"


def test_an_explanation_does_not_answer_a_missing_part():
    figures = {**COMPLETE, "funding_budget": Decimal(0)}
    problems, blocking = rules.check_return(figures=figures, previous=None, explanation="说明")
    assert problems == blocking and not problems[0].explained and problems[0].text == problems[0].message


def _page(client, code):
    return client.get(reverse("returns:detail", args=[code, 2025])).content.decode()


def test_the_return_page_shows_the_answered_prompt_muted(client, clerk_a, return_a_2024, return_a):
    code = return_a.community_id
    SurveyReturn.objects.filter(pk=return_a.pk).update(households=1630)  # +63% on 2024's 1000
    client.force_login(clerk_a)
    page = _page(client, code)
    assert f'<li class="warn">户数较2024年变化 +63%（1000 → 1630），超过 ±30%，{REQUEST}</li>' in page
    SurveyReturn.objects.filter(pk=return_a.pk).update(explanation="2025年新建小区交付入住，户数增加。")
    page = _page(client, code)
    assert "2025年新建小区交付入住，户数增加。" in page
    assert '<li class="muted">已说明：户数较2024年变化 +63%（1000 → 1630），超过 ±30%，原因见“填报说明”。</li>' in page
    assert REQUEST not in page
