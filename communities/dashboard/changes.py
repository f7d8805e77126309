"""Whether a change from last year is good or bad news, one definition per indicator.

More money, space, staff in post or pay is good; more workers lost or seconded, more households per worker, a
larger shortfall is bad; a change in how many households or residents a community has, its age or the party share
is neither (grey). Pages colour a change by this, never by its sign alone.
"""

from __future__ import annotations

# +1: more is better; -1: more is worse. Indicators not listed are neutral.
BETTER: dict[str, int] = {
    **dict.fromkeys(
        [
            # staff
            "workers_in_post",
            "workers_on_duty",
            "workers_per_10k_residents",
            "certified_social_workers",
            "college_educated",
            "college_educated_share",
            # space
            "office_area",
            "service_area",
            "facility_area",
            "facility_area_per_100_households",
            "facility_compliance_rate",
            "facility_compliant_communities",
            "service_area_per_community",
            "facility_area_per_community",
            "office_area_per_community",
            # pay
            "avg_monthly_pay",
            "avg_monthly_net_pay",
            "avg_monthly_base_pay",
            "avg_monthly_allowance",
            "leader_annual_pay",
            "staff_annual_pay",
            "leader_avg_monthly_pay",
            "staff_avg_monthly_pay",
            "leader_pay_vs_village_head",
            "staff_pay_vs_village_deputy",
            # money
            "funding_budget",
            "funding_received",
            "funding_received_rate",
            "funding_per_household",
            "work_funds_per_household",
            "public_funds_per_worker",
            "funding_budget_county_township",
            # services
            "service_programs",
            "service_beneficiaries",
            "service_volunteer_visits",
            "service_funds",
            "volunteers",
            "social_organizations",
        ],
        1,
    ),
    **dict.fromkeys(
        [
            "workers_left",
            "workers_left_in_year",
            "worker_loss_rate",
            "worker_turnover_rate",
            "workers_seconded",
            "worker_secondment_rate",
            "households_per_worker",
            "facility_shortfall_area",
        ],
        -1,
    ),
}

LABELS = {"good": "向好", "bad": "需关注", "neutral": ""}


def change_state(indicator_id: str, change) -> str:
    """ "good", "bad" or "neutral" (no change, no figure, or an indicator whose direction is neither)."""
    if not change:
        return "neutral"
    direction = BETTER.get(indicator_id, 0)
    if direction == 0:
        return "neutral"
    return "good" if (change > 0) == (direction > 0) else "bad"
