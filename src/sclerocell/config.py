"""Typed settings read from environment variables; a bad value stops start-up with its name.

Every knob of the deployment is an environment variable read through these helpers, so that a
typo fails loudly at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping

from sclerocell.followup.messages import Message
from sclerocell.followup.schedule import DEFAULT_SCHEDULE, ScheduleSettings, VisitDefinition

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable holds a value the application cannot use."""


def _raw(name: str, env: Mapping[str, str] | None) -> str | None:
    return (os.environ if env is None else env).get(name)


def env_str(name: str, default: str, *, env: Mapping[str, str] | None = None) -> str:
    value = _raw(name, env)
    return default if value is None else value


def env_bool(name: str, default: bool, *, env: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, env)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r}: expected one of {sorted(_TRUE | _FALSE - {''})}")


def _parsed[T](
    name: str, default: T, parse: Callable[[str], T], kind: str, env: Mapping[str, str] | None
) -> T:
    value = _raw(name, env)
    if value is None:
        return default
    try:
        return parse(value.strip())
    except ValueError as exc:
        raise ConfigError(f"{name}={value!r}: expected {kind}") from exc


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    value = _parsed(name, default, int, "an integer", env)
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value}: must be at least {minimum}")
    return value


def env_list(name: str, default: list[str], *, env: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, env)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: set[str], *, env: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, env=env)
    if value not in choices:
        raise ConfigError(f"{name}={value!r}: expected one of {sorted(choices)}")
    return value


# --- The visit schedule of the follow-up (a protocol setting) ------------------------------------

#: SCLEROCELL_VISIT_SCHEDULE: comma-separated visits, in order, each ``CODE=OFFSET WINDOW``:
#: OFFSET is ``<n>d`` (days after the infusion) or ``<n>m`` (calendar months after it), WINDOW is
#: ``±<n>`` (or ``+-<n>``) days on both sides, or ``-<before>+<after>``. The default, the
#: protocol's (CRITERIA.md study frame):
DEFAULT_VISIT_SCHEDULE = (
    "D10=10d±3, M1=1m±7, M3=3m±14, M6=6m±14, M9=9m±14, M12=12m±14, M18=18m±30, M24=24m±30"
)
_VISIT = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]{0,7})=(?P<n>\d{1,4})(?P<unit>[dm])\s*"
    r"(?:(?:±|\+-)(?P<both>\d{1,3})|-(?P<before>\d{1,3})\+(?P<after>\d{1,3}))$"
)


def parse_visit_schedule(
    text: str, *, name: str = "SCLEROCELL_VISIT_SCHEDULE", known_codes: Collection[str] = ()
) -> ScheduleSettings:
    """The schedule a setting describes (format above), validated: a malformed item, a repeated
    code, a code outside ``known_codes`` (when given) or windows that overlap raise
    :class:`ConfigError` naming the setting and what is wrong."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name}: no visit given (expected e.g. {DEFAULT_VISIT_SCHEDULE!r})")
    visits = []
    for item in items:
        match = _VISIT.match(item)
        if match is None:
            raise ConfigError(
                f"{name}: {item!r} is not CODE=<n>d|<n>m±<days> (or -<before>+<after>), "
                f"e.g. 'M3=3m±14'"
            )
        code, n = match["code"], int(match["n"])
        if known_codes and code not in known_codes:
            raise ConfigError(
                f"{name}: visit code {code!r} is not one the database knows "
                f"({', '.join(known_codes)}); a new code needs a migration"
            )
        before = int(match["both"] if match["both"] is not None else match["before"])
        after = int(match["both"] if match["both"] is not None else match["after"])
        in_days = match["unit"] == "d"
        visits.append(
            VisitDefinition(
                code,
                Message(f"Jour {n}", f"Day {n}") if in_days else Message(f"Mois {n}", f"Month {n}"),
                days=n if in_days else 0,
                months=0 if in_days else n,
                window_before_days=before,
                window_after_days=after,
            )
        )
    definitions = tuple(visits)
    version = (
        DEFAULT_SCHEDULE.version
        if _canonical(definitions) == _canonical(DEFAULT_SCHEDULE.visits)
        else f"{name} {_digest(definitions)}"
    )
    try:
        return ScheduleSettings(version=version, visits=definitions)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def _canonical(visits: Iterable[VisitDefinition]) -> str:
    return ";".join(
        f"{v.code}:{v.months}m{v.days}d:-{v.window_before_days}+{v.window_after_days}"
        for v in visits
    )


def _digest(visits: Iterable[VisitDefinition]) -> str:
    return hashlib.sha256(_canonical(visits).encode()).hexdigest()[:12]


def format_visit_schedule(schedule: ScheduleSettings) -> str:
    """A schedule in the setting's format (what a deployment would write to get it)."""

    def window(v: VisitDefinition) -> str:
        if v.window_before_days == v.window_after_days:
            return f"±{v.window_before_days}"
        return f"-{v.window_before_days}+{v.window_after_days}"

    def offset(v: VisitDefinition) -> str:
        return f"{v.months}m" if v.months else f"{v.days}d"

    return ", ".join(f"{v.code}={offset(v)}{window(v)}" for v in schedule.visits)


def visit_schedule_hash(schedule: ScheduleSettings) -> str:
    """12 hex digits identifying a schedule's visits and windows (as the protocol settings')."""
    return _digest(schedule.visits)


def env_visit_schedule(
    name: str,
    default: str = DEFAULT_VISIT_SCHEDULE,
    *,
    known_codes: Collection[str] = (),
    env: Mapping[str, str] | None = None,
) -> ScheduleSettings:
    value = _raw(name, env)
    return parse_visit_schedule(
        default if value is None else value, name=name, known_codes=known_codes
    )
