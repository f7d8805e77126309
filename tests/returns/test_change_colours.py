"""Issue 16 item 25: the return page colours a change from last year by whether it is good news for the
indicator (communities/dashboard/changes.py, as the dashboard's headline), not by its sign."""

from django.urls import reverse


def test_the_return_page_colours_its_changes_the_same_way(client, reviewer, return_a_2024, return_a):
    # 2024 → 2025: 1,000 → 1,050 households (grey), 3 → 2 in post (bad), 1 → 0 left (good).
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[return_a.community_id, 2025]))
    rows = {row.label: row for row in response.context["rows"]}
    assert (rows["户数"].change_text, rows["户数"].change_state) == ("+5.0%", "neutral")
    assert (rows["年末在岗"].change_text, rows["年末在岗"].change_state) == ("-33.3%", "bad")
    assert rows["累计离职"].change_state == "good"
    html = response.content.decode()
    assert '<td class="num change bad">-33.3%</td>' in html
    assert '<td class="num change neutral">+5.0%</td>' in html
