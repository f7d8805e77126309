"""The submission rules on their own: required parts, and jumps against last year with their thresholds."""

from decimal import Decimal

from communities.returns import rules

COMPLETE = {
    "households": Decimal(1000),
    "population": Decimal(2800),
    "workers_roster": Decimal(10),
    "total_area": Decimal(400),
    "funding_budget": Decimal(50000),
}


def test_a_complete_return_with_no_previous_year_passes():
    problems, blocking = rules.check_return(figures=COMPLETE, previous=None, explanation="")
    assert problems == blocking == []


def test_each_missing_part_blocks():
    figures = {**COMPLETE, "workers_roster": Decimal(0), "funding_budget": Decimal(0)}
    _problems, blocking = rules.check_return(figures=figures, previous=None, explanation="说明也不行")
    assert [p.code for p in blocking] == ["missing_workers_roster", "missing_funding_budget"]


def test_jumps_beyond_the_thresholds_need_an_explanation():
    now = {**COMPLETE, "households": Decimal(1301), "total_area": Decimal(601), "workers_roster": Decimal(15)}
    problems, blocking = rules.check_return(figures=now, previous=COMPLETE, explanation="", previous_year=2024)
    # households +30.1% (over 30%), area +50.25% (over 50%); roster +50% exactly is within the threshold
    assert [p.code for p in problems] == ["jump_households", "jump_total_area"]
    assert blocking == problems
    assert problems[0].message.startswith("户数较2024年变化 +30%（1000 → 1301）")
    _problems, blocking = rules.check_return(
        figures=now, previous=COMPLETE, explanation="新小区交付", previous_year=2024
    )
    assert blocking == []


def test_a_fall_counts_like_a_rise_and_a_zero_base_is_not_compared():
    now = {**COMPLETE, "population": Decimal(1900)}  # -32%
    before = {**COMPLETE, "total_area": Decimal(0)}
    problems, _blocking = rules.check_return(figures=now, previous=before, explanation="")
    assert [p.code for p in problems] == ["jump_population"]
    assert "-32%" in problems[0].message
