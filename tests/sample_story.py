"""The samples' stories: their lanes and notes, a persona per segment with a drawn
portrait, and pictures on touchpoints, written into projects/*.json.

    python -m tests.sample_story     # rewrites the samples' lanes, notes, personas, images
    # then, for each sample: cx-mapper convert projects/NAME.json projects/NAME.cxmap --force

The graph, the segments and every figure stay as they are (tests/test_samples.py pins
them); only the story around them is replaced. Every journey of a sample gets the
same lanes; a note marked for one journey only ("current" or "future") tells what the
future state changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cx_mapper.domain.content import LANE_KINDS, Lane, LaneKind, Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import Project
from cx_mapper.persistence.json_format import read_project, write_project
from tests.sample_pictures import (
    Face,
    app_checkout_screen,
    hotel_checkout_screen,
    portrait,
    sync_failed_screen,
)

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "projects"


@dataclass(frozen=True)
class Story:
    """One sample's lanes (the first `above` over the touchpoints), notes, personas and
    touchpoint pictures."""

    lanes: tuple[LaneKind, ...]
    above: int
    #: (lane, stage, text, touchpoints it is about, only in this journey or None)
    notes: tuple[tuple[LaneKind, str, str, tuple[str, ...], str | None], ...]
    #: (segment, name, quote, goals, needs, frustrations, face)
    personas: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                          Face], ...]
    #: touchpoint id -> (image id, how to draw it)
    pictures: dict[str, tuple[str, str]] = field(default_factory=dict)


SCREENS = {"app-checkout": app_checkout_screen, "hotel-checkout": hotel_checkout_screen,
           "sync-failed": sync_failed_screen}

RETAIL = Story(
    lanes=("actions", "thoughts", "frontstage", "backstage", "support", "pain_points",
           "opportunities"),
    above=2,
    notes=(
        ("actions", "aware", "Sees a friend's photo of the rain jacket and taps through",
         ("friend_post",), None),
        ("actions", "consider", "Checks the size guide, then phones the store to ask if "
         "it has a medium", ("browse_site", "stock_call"), None),
        ("actions", "purchase", "Buys in the app with the saved card", ("app_checkout",),
         None),
        ("actions", "service", "Follows the parcel from the shipping email",
         ("order_email",), None),
        ("thoughts", "consider", "“Is it in my size at the store near me, or do I wait "
         "for delivery?”", ("stock_call",), None),
        ("thoughts", "purchase", "“Why do I need an account just to pay?”",
         ("web_checkout",), None),
        ("thoughts", "service", "“It said Tuesday. Where is it, and why can't anyone "
         "tell me?”", ("delivery_call",), "current"),
        ("thoughts", "service", "“They booked a new slot while I was on the phone.”",
         ("delivery_call",), "future"),
        ("thoughts", "loyalty", "“The points add up: free delivery next time.”",
         ("loyalty_app",), None),
        ("frontstage", "consider", "Store staff look up stock on a handheld",
         ("store_visit",), None),
        ("frontstage", "purchase", "Till staff offer the app and an e-receipt",
         ("store_purchase",), None),
        ("frontstage", "service", "Contact centre agents take delivery calls",
         ("delivery_call",), None),
        ("frontstage", "service", "Social care team replies in public within two hours",
         ("social_complaint",), None),
        ("backstage", "purchase", "Order system reserves stock and picks from the nearest "
         "store", ("web_checkout", "app_checkout"), None),
        ("backstage", "service", "Only the logistics team can rebook the carrier, by email "
         "the next day", ("delivery_call",), "current"),
        ("backstage", "service", "Agents rebook the carrier in the order screen during "
         "the call", ("delivery_call",), "future"),
        ("backstage", "service", "Returns are checked and back on sale the same day",
         ("store_return",), None),
        ("support", "consider", "Store stock feed refreshed once a night", (), None),
        ("support", "purchase", "Payment provider and fraud checks", (), None),
        ("support", "service", "Carrier API: tracking only, no rebooking", ("delivery",),
         None),
        ("support", "loyalty", "CRM sends the newsletter and member offers",
         ("newsletter", "loyalty_app"), None),
        ("pain_points", "consider", "Store stock is not shown online, so 4 in 10 calls "
         "are stock checks", ("stock_call",), None),
        ("pain_points", "purchase", "Web checkout asks for an account before payment",
         ("web_checkout",), None),
        ("pain_points", "service", "Late parcel: 25 minutes on hold, and the agent cannot "
         "rebook the carrier", ("delivery_call",), "current"),
        ("pain_points", "service", "Complaints in public get a copy-paste reply",
         ("social_complaint",), None),
        ("opportunities", "consider", "Show live store stock on product pages",
         ("browse_site", "stock_call"), None),
        ("opportunities", "purchase", "Guest checkout with wallet payments",
         ("web_checkout",), None),
        ("opportunities", "service", "Let agents rebook the carrier and refund the fee in "
         "one step", ("delivery_call",), "current"),
        ("opportunities", "loyalty", "Ask for a review with photos when the parcel arrives",
         ("review_post",), None),
    ),
    personas=(
        ("all", "Priya Shah", "If the website says it's in stock, I want to trust it. "
         "And I want my Saturday back.",
         ("Get the right size the first time", "Pick up on the way home from work",
          "Keep delivery costs down"),
         ("Honest stock and delivery dates", "A checkout that remembers her",
          "Easy returns in store"),
         ("Phoning to ask if something is in stock", "Making an account just to pay",
          "Waiting on hold about a late parcel"),
         Face("#cfe3f1", "#c68642", "#2b1d14", "#0072b2", "long", earrings=True)),
        ("social", "Jordan Lee", "I'll tag you. If you fix it fast, I'll tell everyone "
         "that too.",
         ("Sort problems out without a phone call", "Find new drops before friends do",
          "Share good finds with followers"),
         ("Replies from a person, where they already are", "Tracking that is right"),
         ("“Please DM us” replies", "Giving the order number three times", "Hold music"),
         Face("#f6d5c3", "#f1c27d", "#3b2a20", "#009e73", "side", glasses=True)),
    ),
    pictures={"app_checkout": ("app-checkout", "app-checkout")},
)

HOTEL = Story(
    lanes=("actions", "thoughts", "pain_points", "opportunities"),
    above=1,
    notes=(
        ("actions", "plan", "Reads recent reviews, sorted by business travellers",
         ("travel_reviews",), None),
        ("actions", "book", "Compares the travel site's price, then books direct",
         ("book_direct", "book_ota"), None),
        ("actions", "stay", "Asks the concierge for a table within walking distance",
         ("concierge",), None),
        ("actions", "depart", "Checks out in the app on the way to the lift",
         ("check_out",), None),
        ("thoughts", "plan", "“Is it really quiet? Two reviews mention the tram.”",
         ("travel_reviews",), None),
        ("thoughts", "stay", "“They knew my name. That was a nice start.”",
         ("check_in",), None),
        ("thoughts", "stay", "“A hot room at 2 a.m. At least they moved me quickly.”",
         ("ac_fails",), None),
        ("thoughts", "between", "“I'd come back, and I'll say so in the review.”",
         ("review_post",), None),
        ("pain_points", "book", "The travel site's price looks lower until the fees show "
         "at the end", ("book_ota",), None),
        ("pain_points", "stay", "Air conditioning fails on night 2; no engineer at night",
         ("ac_fails",), None),
        ("pain_points", "depart", "The invoice comes a day later, too late for the "
         "expense report", ("thanks_email",), None),
        ("opportunities", "book", "Match the travel site's price for direct bookings",
         ("book_direct",), None),
        ("opportunities", "stay", "Test each room's air conditioning between stays, not "
         "weekly", ("ac_fails",), None),
        ("opportunities", "depart", "Put the invoice in the app at check-out",
         ("check_out",), None),
        ("opportunities", "between", "Time the member offer to the guest's usual month "
         "of travel", ("member_offer",), None),
    ),
    personas=(
        ("all", "Elena Rossi", "A quiet room, a proper breakfast, and an invoice I can "
         "file before my train.",
         ("Sleep well before a client meeting", "Stay close to the office district",
          "Keep within the company's hotel budget"),
         ("A quiet room with a desk", "An invoice on the day she leaves",
          "Fast check-in after a late flight"),
         ("Hidden booking fees", "Noisy rooms over the street", "Chasing invoices"),
         Face("#e4dcf1", "#e0ac69", "#6b4226", "#cc79a7", "bun")),
        ("social", "Marcus Bell", "The little touches make the post. The glitches make "
         "the thread.",
         ("Find stays worth writing about", "Get photos of breakfast and the view",
          "Earn points towards a free night"),
         ("Staff who fix things on the spot", "Good light and fast Wi-Fi"),
         ("Broken air conditioning", "Slow replies to a direct message",
          "Upsells at the desk"),
         Face("#d9ecd9", "#8d5524", "#1b1b1b", "#e69f00", "bald", beard=True)),
    ),
    pictures={"check_out": ("hotel-checkout", "hotel-checkout")},
)

SOFTWARE = Story(
    lanes=("actions", "thoughts", "pain_points", "opportunities"),
    above=1,
    notes=(
        ("actions", "discover", "Sees a colleague's post about the app and clicks through",
         ("colleague_post",), None),
        ("actions", "buy", "Starts a free trial with three teammates", ("trial",), None),
        ("actions", "use", "Syncs the team's boards every morning before standup",
         ("monthly_use",), None),
        ("actions", "support", "Opens a ticket, then tags the company in a public post",
         ("ticket", "complaint"), None),
        ("thoughts", "buy", "“Which plan do we need? What's an add-on seat?”",
         ("pricing",), None),
        ("thoughts", "use", "“The update broke sync again, and standup is in ten "
         "minutes.”", ("bug",), None),
        ("thoughts", "support", "“Two days for a first reply? I'll ask in public.”",
         ("ticket", "complaint"), None),
        ("thoughts", "support", "“‘Please DM us’? I already gave them everything.”",
         ("social_reply",), "current"),
        ("thoughts", "renew", "“An engineer called me and fixed it. Fair enough.”",
         ("praise",), "future"),
        ("pain_points", "buy", "Per-seat prices with add-ons are hard to compare",
         ("pricing",), None),
        ("pain_points", "use", "Help centre articles show the previous version's screens",
         ("help_centre",), None),
        ("pain_points", "support", "First reply to a ticket after two working days",
         ("ticket",), None),
        ("pain_points", "support", "A public complaint gets a canned “please DM us”",
         ("social_reply",), "current"),
        ("opportunities", "buy", "One price per team, with a calculator", ("pricing",),
         None),
        ("opportunities", "use", "A banner when sync fails, with the workaround",
         ("bug",), None),
        ("opportunities", "support", "An engineer calls back within the hour after a "
         "public complaint", ("complaint", "social_reply"), "current"),
        ("opportunities", "renew", "Invite customers whose problem was fixed to share "
         "the fix", ("praise",), None),
    ),
    personas=(
        ("all", "Dana Okafor", "I don't need it to be clever. I need it to sync before "
         "standup.",
         ("Keep a 40-person agency's projects on track", "Spend less time chasing status",
          "Justify the tool to the finance team"),
         ("Sync that works after every update", "A reply from support the same day",
          "A price she can explain"),
         ("Updates that break sync", "Tickets that wait two days",
          "Help articles for the old version"),
         Face("#fbe7c6", "#ffdbac", "#b5651d", "#56779c", "curly", glasses=True)),
        ("social", "Leo Park", "If I have to post about it to get an answer, everyone "
         "will see the answer too.",
         ("Automate the team's boring work", "Try new features first",
          "Share setups that work"),
         ("A public changelog", "Engineers who answer, not scripts"),
         ("Canned replies", "Being asked to DM what he already posted",
          "Silent bug fixes"),
         Face("#dde3ea", "#a86b3c", "#111111", "#d55e00", "short")),
    ),
    pictures={"bug": ("sync-failed", "sync-failed")},
)

STORIES = {"retail-omnichannel": RETAIL, "hotel-stay": HOTEL, "software-support": SOFTWARE}


def tell(project: Project, story: Story) -> None:
    """Replace the project's lanes, notes, personas and images with the story's."""
    project.personas.clear()
    project.images.clear()
    for journey in project.journeys:
        for lane in list(journey.lanes):
            journey.remove_lane(lane.id)
        for touchpoint in journey.touchpoints.values():
            if touchpoint.image is not None:
                journey.update_touchpoint(touchpoint.id, image=None)
    for touchpoint_id, (image_id, drawing) in story.pictures.items():
        project.add_image(Image(image_id, "image/png", SCREENS[drawing]()))
        for journey in project.journeys:
            journey.update_touchpoint(touchpoint_id, image=image_id)
    for journey in project.journeys:
        for kind in story.lanes:
            journey.add_lane(Lane(kind, kind, LANE_KINDS[kind]))
        journey.lanes_above = story.above
        for kind, stage, text, touchpoints, only in story.notes:
            if only is None or only == journey.id:
                journey.add_note(Note(journey.new_note_id(kind), kind, stage, text,
                                      touchpoints))
    for segment, name, quote, goals, needs, frustrations, face in story.personas:
        image_id = name.split()[0].lower()
        project.add_image(Image(image_id, "image/png", portrait(face)))
        project.add_persona(Persona(segment, segment, name, quote, goals, needs,
                                    frustrations, image_id))


def main() -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    for name, story in STORIES.items():
        path = PROJECTS / f"{name}.json"
        project = read_project(path)
        tell(project, story)
        write_project(project, path)
    del app


if __name__ == "__main__":
    main()
