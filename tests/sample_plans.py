"""The samples' opportunities: what each team could do, from its story, with costs.

    python -m tests.sample_plans     # rewrites the samples' opportunities and cost units
    # then, for each sample: cx-mapper convert projects/NAME.json projects/NAME.cxmap --force

Each opportunity is the pain point or idea its story's notes tell, as a change to the
current journey: new satisfaction where the experience improves, and new transition
probabilities where customers would move differently. The graph, the segments and
every figure stay as they are (tests/test_samples.py pins them).
"""

from __future__ import annotations

from pathlib import Path

from cx_mapper.domain.journey import Transition
from cx_mapper.domain.opportunities import Changes, Opportunity, OpportunityStatus, PlanSettings
from cx_mapper.domain.project import Project
from cx_mapper.persistence.json_format import read_project, write_project

PROJECTS = Path(__file__).resolve().parents[1] / "projects"

#: id, title, description, owner, status, cost, {touchpoint: {field: value}},
#: [(from, to, probability)]
Plan = tuple[str, str, str, str, OpportunityStatus, float, dict[str, dict[str, float]],
             list[tuple[str, str, float]]]

RETAIL: list[Plan] = [
    ("live-stock", "Show live store stock on product pages",
     "4 in 10 calls to stores ask whether an item is in stock. Showing it online sends "
     "those customers to the store, or to checkout, without a call.",
     "E-commerce", "planned", 60.0,
     {"browse_site": {"satisfaction": 0.35}},
     [("browse_site", "stock_call", 0.03), ("browse_site", "store_visit", 0.17)]),
    ("guest-checkout", "Guest checkout with wallet payments",
     "Checkout asks for an account before payment. Guests pay with a wallet in two taps.",
     "Digital product", "idea", 35.0,
     {"web_checkout": {"satisfaction": 0.5}},
     [("browse_site", "web_checkout", 0.24)]),
    ("agent-rebook", "Let agents rebook the carrier and refund the fee in one step",
     "A late parcel means 25 minutes on hold and an agent who cannot act. One screen "
     "to rebook and refund ends most calls in the first contact.",
     "Customer service", "planned", 45.0,
     {"delivery_call": {"satisfaction": 0.2}},
     [("delivery_call", "social_complaint", 0.05), ("delivery_call", "loyalty_app", 0.45)]),
    ("social-care", "Answer public complaints within the hour, by name",
     "Public complaints get a copy-paste reply. A named person who solves it in public "
     "turns an audience of detractors into witnesses of good service.",
     "Social care team", "idea", 25.0,
     {"social_complaint": {"satisfaction": 0.1}},
     [("social_complaint", "loyalty_app", 0.3)]),
    ("delay-texts", "Text customers about a delay, with a rebook link",
     "Most delivery calls are about a delay the carrier already knows. A text with a "
     "new slot comes before the customer has to ask.",
     "Logistics", "idea", 50.0,
     {"delivery": {"satisfaction": 0.45}},
     [("delivery", "delivery_call", 0.06), ("delivery", "loyalty_app", 0.36)]),
    ("same-day", "Same-day delivery in the big cities",
     "Delivery on the day of the order in the five largest cities, with a courier "
     "partner. Costs more per parcel; an alternative to the delay texts.",
     "Logistics", "idea", 140.0,
     {"delivery": {"satisfaction": 0.6, "value": -9.0}},
     [("delivery", "delivery_call", 0.08), ("delivery", "loyalty_app", 0.34)]),
    ("review-ask", "Ask for a review with photos when the parcel arrives",
     "An email the day after delivery, with the order's photos ready to attach.",
     "CRM", "planned", 10.0,
     {},
     [("delivery", "review_post", 0.15)]),
]

HOTEL: list[Plan] = [
    ("price-match", "Match the travel site's price for direct bookings",
     "Guests see a lower price on the travel site until its fees show. A price match on "
     "our own site keeps the booking, and its commission, with us.",
     "Revenue manager", "planned", 20.0,
     {"book_direct": {"value": 105.0}},
     [("hotel_site", "book_direct", 0.4)]),
    ("ac-checks", "Test each room's air conditioning between stays",
     "Weekly checks miss units that fail mid-week. Housekeeping tests it at each turnover.",
     "Maintenance", "planned", 15.0,
     {},
     [("breakfast", "ac_fails", 0.05), ("breakfast", "check_out", 0.75),
      ("concierge", "ac_fails", 0.03), ("concierge", "check_out", 0.92)]),
    ("night-engineer", "An engineer on call at night",
     "When the air conditioning fails at night, nobody can fix it before morning.",
     "Maintenance", "idea", 40.0,
     {"ac_fails": {"satisfaction": 0.0}},
     []),
    ("app-invoice", "Put the invoice in the app at check-out",
     "Business guests need the invoice for their expense report the same day.",
     "Guest app", "in_progress", 8.0,
     {"check_out": {"satisfaction": 0.5}},
     []),
    ("offer-timing", "Time the member offer to the guest's usual month of travel",
     "Offers go out on the first of each month to every member.",
     "CRM", "idea", 6.0,
     {},
     [("member_offer", "book_direct", 0.4)]),
    ("review-nudge", "Ask for a review at check-out, in the app",
     "Few guests review once they are home; the moment to ask is the happy goodbye.",
     "Guest app", "idea", 5.0,
     {},
     [("thanks_email", "review_post", 0.2)]),
]

SOFTWARE: list[Plan] = [
    ("team-price", "One price per team, with a calculator",
     "Per-seat prices with add-ons are hard to compare; one team price with a calculator "
     "answers the question in the page.",
     "Pricing", "planned", 8.0,
     {"pricing": {"satisfaction": 0.3}},
     [("pricing", "subscribe", 0.45)]),
    ("sync-banner", "A banner when sync fails, with the workaround",
     "Users find out from lost work. A banner says what happened and how to go on.",
     "Sync team", "in_progress", 5.0,
     {"bug": {"satisfaction": -0.3}},
     [("bug", "help_centre", 0.6), ("bug", "complaint", 0.08)]),
    ("fix-sync", "Fix the sync bug at its root",
     "Rewrite the conflict handling that causes most sync failures.",
     "Sync team", "idea", 21.0,
     {},
     [("monthly_use", "bug", 0.04), ("monthly_use", "renewal", 0.95)]),
    ("help-screens", "Refresh the help centre's screenshots",
     "Articles show the previous version's screens, so users open a ticket instead.",
     "Documentation", "idea", 3.0,
     {"help_centre": {"satisfaction": 0.1}},
     [("help_centre", "monthly_use", 0.6), ("help_centre", "ticket", 0.25)]),
    ("callback", "An engineer calls back within the hour after a public complaint",
     "A canned \"please DM us\" makes a public complaint worse. A call from an engineer "
     "solves it and often turns into praise.",
     "Support", "idea", 13.0,
     {"social_reply": {"satisfaction": 0.2}},
     [("social_reply", "ticket", 0.8)]),
    ("first-reply", "First reply to a ticket within four hours",
     "The first reply comes after two working days; by then a third of users complain "
     "in public.",
     "Support", "planned", 13.0,
     {"ticket": {"satisfaction": 0.1}},
     [("ticket", "complaint", 0.12), ("ticket", "fix", 0.78)]),
    ("share-fix", "Invite customers whose problem was fixed to share the fix",
     "A short note after a fix, with a link to share it.",
     "Community", "idea", 2.0,
     {},
     [("fix", "praise", 0.1)]),
]

#: sample: (the journey its opportunities change, the cost unit, the opportunities,
#: the plan the team asked for)
PLANS: dict[str, tuple[str, str, list[Plan], PlanSettings]] = {
    "retail-omnichannel": ("current", "k€", RETAIL, PlanSettings(120.0, {"loyalty_index": 1.0})),
    "hotel-stay": ("stay", "k€", HOTEL, PlanSettings(40.0, {"value": 1.0})),
    "software-support": ("current", "points", SOFTWARE, PlanSettings(30.0, {"value": 1.0})),
}


def plan_opportunities(project: Project, journey_id: str, unit: str, plans: list[Plan],
                       settings: PlanSettings) -> None:
    """Replace a journey's opportunities with `plans` and its plan settings, and set the
    project's cost unit."""
    project.cost_unit = unit
    journey = project.journey(journey_id)
    journey.opportunities.clear()
    journey.plan = settings
    for oid, title, description, owner, status, cost, fields, moves in plans:
        linked = dict.fromkeys([*fields, *(end for move in moves for end in move[:2])])
        journey.add_opportunity(Opportunity(
            oid, title, description, owner, status, cost, tuple(linked),
            Changes(touchpoints=fields,
                    transitions=tuple(Transition(a, b, p) for a, b, p in moves))))


def main() -> None:
    for name, (journey_id, unit, plans, settings) in PLANS.items():
        path = PROJECTS / f"{name}.json"
        project = read_project(path)
        plan_opportunities(project, journey_id, unit, plans, settings)
        write_project(project, path)


if __name__ == "__main__":
    main()
