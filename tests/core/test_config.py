import pytest

from sclerocell.config import ConfigError, env_bool, env_choice, env_int, env_list, env_str


def test_it_uses_the_default_when_the_variable_is_absent() -> None:
    assert env_int("X", 5, env={}) == 5
    assert env_bool("X", True, env={}) is True
    assert env_list("X", ["a"], env={}) == ["a"]
    assert env_str("X", "d", env={}) == "d"


def test_it_reads_typed_values() -> None:
    assert env_int("X", 5, env={"X": " 12 "}) == 12
    assert env_bool("X", False, env={"X": "Yes"}) is True
    assert env_bool("X", True, env={"X": "off"}) is False
    assert env_list("X", [], env={"X": "investigator, data_manager,"}) == [
        "investigator",
        "data_manager",
    ]
    assert env_choice("X", "a", {"a", "b"}, env={"X": "b"}) == "b"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: env_int("SCLEROCELL_N", 1, env={"SCLEROCELL_N": "twelve"}), "SCLEROCELL_N"),
        (lambda: env_int("SCLEROCELL_N", 1, minimum=60, env={"SCLEROCELL_N": "5"}), "at least 60"),
        (lambda: env_bool("SCLEROCELL_B", False, env={"SCLEROCELL_B": "maybe"}), "SCLEROCELL_B"),
        (lambda: env_choice("SCLEROCELL_C", "a", {"a"}, env={"SCLEROCELL_C": "z"}), "'z'"),
    ],
)
def test_it_fails_loudly_on_a_bad_value(call, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        call()
