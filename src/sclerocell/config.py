"""Typed settings read from environment variables; a bad value stops start-up with its name.

Every knob of the deployment is an environment variable read through these helpers, so that a
typo fails loudly at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

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
