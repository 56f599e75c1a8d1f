"""Upsell opportunities from the local engine: what counts, what does not, and what each one says."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conversations import ai
from conversations.ai.schema import UpsellOpportunity
from tests.conversations.ai.conftest import LOCAL, inputs, script


def upsells(
    segments: list[dict[str, Any]], catalog: list[dict[str, Any]], **context: Any
) -> list[UpsellOpportunity]:
    return ai.analyze_upsells(inputs(segments, catalog, **context), config=LOCAL).opportunities


def kinds(found: list[UpsellOpportunity]) -> list[str]:
    return [o.opportunity_type for o in found]


def test_an_old_pump_with_repeated_repairs_is_a_replacement_quoted_from_the_customer(
    catalog: list[dict[str, Any]],
) -> None:
    # given the spec's fire pump call
    segments = script(
        ("T", "Good morning, I'm John from ClaraHVAC, here for the annual fire pump inspection."),
        ("C", "This pump is about fifteen years old, and honestly it's been giving us trouble."),
        ("T", "What kind of trouble?"),
        ("C", "We've had to fix this pump three times this year.", 2.0),
    )
    # when analysed
    (opportunity,) = upsells(
        segments, catalog, customer_name="Phoenix Mills Ltd", job_title="Fire Pump Inspection"
    )
    # then it is a fire pump replacement, triggered by the customer's own words at their segment's time
    assert opportunity.opportunity_type == "equipment_replacement"
    assert opportunity.title == "Fire Pump Replacement"
    assert opportunity.trigger_phrase in {s["text"] for s in segments if s["speaker_type"] == "customer"}
    assert opportunity.timestamp_in_call == next(
        s["start_time"] for s in segments if s["segment_id"] == opportunity.segment_id
    )
    assert opportunity.status == "identified"
    # and the facts said are recorded and priced into the catalog's fire pump range
    facts = opportunity.equipment_facts
    assert (facts.equipment, facts.age_years, facts.repair_count, facts.repeated_repairs) == (
        "Fire Pump",
        15,
        3,
        True,
    )
    assert 20_000 <= opportunity.estimated_value <= 50_000
    assert opportunity.priority == "high"
    assert "15 years old" in opportunity.description and "3 repairs" in opportunity.description
    assert sorted(opportunity.supporting_segment_ids) == [2, 4]


@pytest.mark.parametrize(
    ("said", "why"),
    [
        ("We don't need a new furnace, it's only a few years old.", "declined"),
        ("No thanks, we're not interested in a new system right now.", "declined"),
        ("We replaced the furnace last year, so that's all new.", "past purchase"),
        ("We already have a maintenance plan with you guys.", "owned"),
        ("My neighbor replaced his whole system with a heat pump last year.", "someone else"),
        ("We're selling the house in the spring, so just keep the old furnace alive.", "no investment"),
    ],
)
def test_declines_past_purchases_and_other_peoples_stories_are_not_opportunities(
    said: str, why: str, catalog: list[dict[str, Any]]
) -> None:
    # given a customer who says only that
    segments = script(("T", "Hi, I'm Sam from ClaraHVAC."), ("C", said))
    # then nothing is an opportunity
    assert upsells(segments, catalog) == [], why


def test_the_technicians_own_words_are_never_an_opportunity(catalog: list[dict[str, Any]]) -> None:
    # given a technician who pitches everything and a customer who only listens
    segments = script(
        (
            "T",
            "Your system is eighteen years old and the bills must be high; we have a maintenance plan, UV lights and smart thermostats.",
        ),
        ("C", "Okay."),
    )
    # then no opportunity is reported
    assert upsells(segments, catalog) == []


def test_a_decline_in_one_clause_leaves_a_real_need_in_another(catalog: list[dict[str, Any]]) -> None:
    # given a sentence that declines one thing and voices another
    segments = script(
        ("T", "Anything else going on?"),
        (
            "C",
            "We replaced the AC last year, but the furnace is the original one, it's twenty-two years old.",
        ),
    )
    # when analysed
    (opportunity,) = upsells(segments, catalog)
    # then the furnace is the opportunity, not the AC
    assert opportunity.opportunity_type == "equipment_replacement"
    assert opportunity.title == "Furnace Replacement"
    assert opportunity.equipment_facts.age_years == 22


def test_several_opportunities_in_one_call_come_in_call_order(catalog: list[dict[str, Any]]) -> None:
    segments = script(
        ("T", "How's everything running?"),
        ("C", "That thermostat is ancient. I'd love something I can control from my phone."),
        ("T", "We can do that."),
        ("C", "Our electric bill was over four hundred dollars last month, which is crazy.", 5.0),
        ("T", "That's high."),
        ("C", "And I don't think the ducts have ever been cleaned.", 5.0),
    )
    found = upsells(segments, catalog)
    assert kinds(found) == ["thermostat", "efficiency_upgrade", "duct_cleaning"]
    assert [o.timestamp_in_call for o in found] == sorted(o.timestamp_in_call for o in found)


def test_interest_that_refers_back_to_the_technicians_offer_counts(catalog: list[dict[str, Any]]) -> None:
    # given a technician who mentions the plan and a customer who asks its price
    segments = script(
        ("T", "We have a maintenance plan where we come out twice a year."),
        ("C", "Oh, how much is that per year?"),
    )
    # then the plan is an opportunity, quoted from the customer's question, at lower confidence
    (opportunity,) = upsells(segments, catalog)
    assert opportunity.opportunity_type == "maintenance_plan"
    assert opportunity.trigger_phrase == "Oh, how much is that per year?"
    assert opportunity.cues == ["interest"]
    assert opportunity.confidence < 0.6


def test_a_hedged_interest_is_kept_at_low_priority_and_lower_value(catalog: list[dict[str, Any]]) -> None:
    firm = script(("C", "We want to replace the whole system, it's sixteen years old."))
    hedged = script(
        ("C", "Maybe someday we'll think about replacing the whole system, it's sixteen years old.")
    )
    (sure,) = upsells(firm, catalog)
    (unsure,) = upsells(hedged, catalog)
    assert unsure.priority == "low"
    assert unsure.estimated_value < sure.estimated_value
    assert unsure.confidence < sure.confidence


def test_an_amount_said_for_the_product_becomes_the_estimate(catalog: list[dict[str, Any]]) -> None:
    # given a customer quoting a competitor's price
    segments = script(
        ("C", "Another company told us we need a whole new system. They wanted twelve grand."),
        ("T", "Let me take a look before I say anything."),
    )
    (opportunity,) = upsells(segments, catalog, job_title="AC not cooling")
    assert opportunity.estimated_value == 12_000
    assert opportunity.equipment_facts.costs_mentioned_usd == [12_000]


def test_per_unit_products_scale_with_the_units_said(catalog: list[dict[str, Any]]) -> None:
    one = script(("C", "Honestly, nobody's touched this rooftop unit since we opened."))
    four = script(
        ("C", "Honestly, we have four of these rooftop units and nobody's touched them since we opened.")
    )
    (single,) = upsells(one, catalog)
    (several,) = upsells(four, catalog)
    assert several.equipment_facts.unit_count == 4
    assert several.estimated_value == pytest.approx(4 * single.estimated_value)


def test_an_install_year_becomes_an_age_only_with_the_call_date(catalog: list[dict[str, Any]]) -> None:
    segments = script(("C", "We put this unit in back in 2006. Is it even worth fixing at this point?"))
    (dated,) = upsells(segments, catalog, call_date="2024-07-01")
    (undated,) = upsells(segments, catalog)
    assert dated.equipment_facts.age_years == 18
    assert undated.equipment_facts.age_years is None


def test_the_catalog_is_input_edited_entries_change_what_is_found(catalog: list[dict[str, Any]]) -> None:
    # given a catalog edited in the admin: a new product, and the duct cleaning entry switched off
    edited = copy.deepcopy(catalog)
    for entry in edited:
        if entry["opportunity_type"] == "duct_cleaning":
            entry["is_active"] = False
    water_heater = copy.deepcopy(next(e for e in catalog if e["opportunity_type"] == "surge_protection"))
    water_heater.update(
        opportunity_type="water_heater",
        title="Water Heater Replacement",
        offer="a new water heater",
        cues=[{"label": "no hot water", "pattern": r"\b(?:no|run out of) hot water\b", "strength": 0.6}],
        topic_terms=["water heater"],
        price={"low": 1500, "high": 3500},
    )
    edited.append(water_heater)
    segments = script(
        ("C", "We always run out of hot water by the second shower."),
        ("C", "And I don't think the ducts have ever been cleaned."),
    )
    # then the shipped catalog finds the ducts, the edited one the water heater
    assert kinds(upsells(segments, catalog)) == ["duct_cleaning"]
    (found,) = upsells(segments, edited)
    assert (found.opportunity_type, found.title, found.estimated_value) == (
        "water_heater",
        "Water Heater Replacement",
        2500,
    )


def test_the_same_call_gives_the_same_result(catalog: list[dict[str, Any]]) -> None:
    segments = script(("C", "Our utility bills have been killing us every summer."), ("T", "Let's look."))
    assert upsells(segments, catalog) == upsells(segments, catalog)


def test_a_call_with_no_words_has_no_opportunities(catalog: list[dict[str, Any]]) -> None:
    assert upsells([], catalog) == []
