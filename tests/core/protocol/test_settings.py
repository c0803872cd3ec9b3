"""Protocol settings: versioned by hash, validated, recorded with every evaluation."""

from __future__ import annotations

import pytest

from sclerocell.protocol.screen import screen
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings, SettingsError

from .build import D, recipient


def test_it_names_the_protocol_version_with_the_settings_hash() -> None:
    assert DEFAULT.version == f"MSC-SSc protocol v1 + settings {DEFAULT.hash}"
    assert len(DEFAULT.hash) == 12
    assert ProtocolSettings().hash == DEFAULT.hash


def test_it_changes_the_hash_with_any_setting() -> None:
    assert ProtocolSettings(r_v1b_change="absolute").hash != DEFAULT.hash
    assert ProtocolSettings(donor_priority=("spouse", "sibling")).hash != DEFAULT.hash


def test_it_refuses_an_unknown_reading() -> None:
    with pytest.raises(SettingsError, match="r_v1a_fvc_comparison"):
        ProtocolSettings(r_v1a_fvc_comparison="approximately")  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="unknown setting"):
        ProtocolSettings.from_mapping({"r_i1_bound": "strict"})
    with pytest.raises(SettingsError, match="relationship"):
        ProtocolSettings(donor_priority=("neighbour",))


def test_it_round_trips_settings_through_a_mapping() -> None:
    custom = ProtocolSettings(r_e2d_reading="latest_only", donor_priority=("spouse", "sibling"))
    assert ProtocolSettings.from_mapping(custom.to_dict()) == custom


def test_it_records_the_version_and_settings_in_every_evaluation() -> None:
    custom = ProtocolSettings(r_v1b_change="absolute")
    data = screen("recipient", recipient(), D, custom).to_dict()
    assert data["protocol_version"] == custom.version
    assert data["settings_hash"] == custom.hash
    assert data["settings"]["r_v1b_change"] == "absolute"
    assert data["index_date"] == D.isoformat()
    reading = data["result"]["children"][0]["children"][2]["children"][3]["children"][0][
        "children"
    ][0]
    assert reading["id"] == "R-V1.pft"
