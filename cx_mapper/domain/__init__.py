"""The nouns of a journey map and their rules. Plain Python: no Qt, no numpy, no database."""

from cx_mapper.domain.content import Lane, Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    Channel,
    Journey,
    RemovedTouchpoint,
    Stage,
    Touchpoint,
    Transition,
)
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import (
    ALL_CONSUMERS,
    PARAMETER_SOURCES,
    PRESETS,
    SOCIAL_MEDIA_USERS,
    Project,
    Segment,
)
from cx_mapper.domain.validation import Problem, Severity, validate_journey, validate_project

__all__ = [
    "ALL_CONSUMERS",
    "DEFAULT_DISCOUNT_RATE",
    "DEFAULT_HORIZON",
    "PARAMETER_SOURCES",
    "PRESETS",
    "SOCIAL_MEDIA_USERS",
    "Channel",
    "Image",
    "Journey",
    "Lane",
    "Note",
    "Persona",
    "Problem",
    "Project",
    "RemovedTouchpoint",
    "Segment",
    "Severity",
    "Stage",
    "Touchpoint",
    "Transition",
    "validate_journey",
    "validate_project",
]
