"""Bilingual texts: every criterion, evidence sentence and "what would decide it" exists in French
and in English, and a text is rendered in one of them at the edge (screen, CLI, export).

:class:`Text` is the one bilingual text type of the core: the product chain's, the follow-up's and
the analysis's messages (``Message``) are this class under the name their modules use.

This module has no dependency, so that the fact vocabulary can label its codes with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in both languages: one language cannot be blank while the other is not (blank
    fragments such as separators are allowed)."""

    fr: str
    en: str

    def __post_init__(self) -> None:
        if bool(self.fr.strip()) != bool(self.en.strip()):
            raise ValueError(f"a text needs both languages: fr={self.fr!r}, en={self.en!r}")

    def render(self, lang: Lang) -> str:
        return self.fr if lang == "fr" else self.en

    def to_dict(self) -> dict[str, str]:
        """``{"fr": ..., "en": ...}``, the shape the UI, the HTTP API and the JSON files use."""
        return {"fr": self.fr, "en": self.en}

    as_dict = to_dict

    def __str__(self) -> str:
        return self.en

    def __add__(self, other: Text) -> Text:
        return Text(self.fr + other.fr, self.en + other.en)

    def join(self, parts: list[Text]) -> Text:
        """``parts`` joined with this text as the separator (like ``str.join``)."""
        if not parts:
            raise ValueError("nothing to join")
        return Text(self.fr.join(p.fr for p in parts), self.en.join(p.en for p in parts))


def num(value: float, lang: Lang) -> str:
    """A number as a clinician writes it: no useless decimals, a decimal comma in French."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = f"{value:.4g}" if abs(value) < 1e6 else f"{value:.6g}"
    return text.replace(".", ",") if lang == "fr" else text


OPERATORS: dict[str, str] = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
NEGATED: dict[str, str] = {"lt": "≥", "le": ">", "gt": "≤", "ge": "<"}
