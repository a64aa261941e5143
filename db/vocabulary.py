"""ACLED's coding vocabulary (codebook 2023+), in one place for the extractor, the form and checks.

The event types and their sub-event types, the actor types (`inter1`/`inter2`), and the two
columns ACLED derives rather than codes: `disorder_type` (from the event type, and for riots and
excessive force from the sub-event type) and `interaction` (from the two actor types). The
extractor proposes with these words, the incident form offers them, validation checks them.
"""

from __future__ import annotations

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
"""The six event types, each with its sub-event types in the codebook's order."""

DISORDER_TYPES: tuple[str, ...] = (
    "Political violence",
    "Demonstrations",
    "Political violence; Demonstrations",
    "Strategic developments",
)

INTER_TYPES: tuple[str, ...] = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)
"""Actor types, as the 2023+ exports write `inter1` and `inter2`."""

_SOLE: dict[str, str] = {
    "State forces": "Sole state forces action",
    "Rebel group": "Sole rebel group action",
    "Political militia": "Sole political militia action",
    "Identity militia": "Sole identity militia action",
    "Rioters": "Sole rioter action",
    "Protesters": "Sole protester action",
    "Civilians": "Sole civilian action",
    "External/Other forces": "Sole external/other forces action",
}

CIVILIAN_TARGETING = "Civilian targeting"
"""The one value of `civilian_targeting` (otherwise empty)."""

TIME_PRECISIONS: dict[int, str] = {1: "exact day", 2: "within a week", 3: "within a month"}
GEO_PRECISIONS: dict[int, str] = {
    1: "the place itself",
    2: "near it / part of a region",
    3: "a larger region",
}

SOURCE_SCALES: tuple[str, ...] = (
    "Local partner",
    "Subnational",
    "National",
    "Regional",
    "International",
    "New media",
    "Other",
    "Subnational-National",
    "National-Regional",
    "National-International",
    "Regional-International",
    "New media-National",
    "New media-International",
    "Local partner-Other",
    "Other-National",
    "Other-International",
)
"""`source_scale`: the codebook's scales and the combinations ACLED exports most often."""

REGIONS: dict[str, str] = {
    "Mali": "Western Africa",
    "Burkina Faso": "Western Africa",
    "Niger": "Western Africa",
    "Mauritania": "Western Africa",
    "Senegal": "Western Africa",
    "Guinea": "Western Africa",
    "Ivory Coast": "Western Africa",
    "Nigeria": "Western Africa",
    "Benin": "Western Africa",
    "Togo": "Western Africa",
    "Ghana": "Western Africa",
    "Algeria": "Northern Africa",
    "Libya": "Northern Africa",
    "Morocco": "Northern Africa",
    "Sudan": "Northern Africa",
    "Chad": "Middle Africa",
    "Cameroon": "Middle Africa",
}
"""ACLED's `region` of the countries the gazetteer knows."""


def sub_event_types(event_type: str | None) -> tuple[str, ...]:
    """The sub-event types an event type allows (none for an unknown type)."""
    return EVENT_TYPES.get(event_type or "", ())


def disorder_type(event_type: str | None, sub_event_type: str | None = None) -> str | None:
    """ACLED's disorder type: mob violence is political violence, excessive force both."""
    if not event_type:
        return None
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Mob violence":
        return "Political violence"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def interaction(inter1: str | None, inter2: str | None) -> str | None:
    """`Rebel group-State forces`, or `Sole rebel group action` when there is no second actor."""
    if inter1 is None:
        return None
    if inter2 is None:
        return _SOLE.get(inter1)
    return f"{inter1}-{inter2}"
