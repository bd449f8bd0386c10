"""Configuration: defaults for the common case, one-line explanations of every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.core.errors import ConfigError
from sync.core.settings import load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "sheetsync.example.toml"


def test_example_config_is_valid() -> None:
    """The commented example that ships with the project loads as is."""
    config = load_config(EXAMPLE, environ={})
    assert 2 == len(config.spreadsheets)
    assert "tor-2569" == config.spreadsheets[1].profile
    assert "manual-2567" == config.defaults.profile


def test_three_lines_are_enough(tmp_path: Path) -> None:
    """A spreadsheet entry with only an id takes every default."""
    path = tmp_path / "c.toml"
    path.write_text('[[spreadsheets]]\nid = "abc"\n', encoding="utf-8")
    config = load_config(path, environ={})
    assert ["abc"] == [s.id for s in config.spreadsheets]
    assert 7 == len(config.defaults.regions)
    assert config.service.endpoint is None


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    """SHEETSYNC_SECTION__FIELD and GOOGLE_APPLICATION_CREDENTIALS win over the file."""
    path = tmp_path / "c.toml"
    path.write_text('[service]\nendpoint = "http://127.0.0.1:1"\n', encoding="utf-8")
    config = load_config(
        path,
        environ={
            "SHEETSYNC_SERVICE__ENDPOINT": "http://127.0.0.1:9/",
            "SHEETSYNC_DEFAULTS__FISCAL_YEAR": "2569",
            "SHEETSYNC_DEFAULTS__REGIONS": "ศก.1, ศก.2",
            "GOOGLE_APPLICATION_CREDENTIALS": "/k.json",
        },
    )
    assert "http://127.0.0.1:9" == config.service.endpoint
    assert 2569 == config.defaults.fiscal_year
    assert ["ศก.1", "ศก.2"] == config.defaults.regions
    assert Path("/k.json") == config.service.credentials


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[service]\nendpoint = 'ftp://x'\n",
            "service.endpoint: 'ftp://x' must start with",
        ),
        (
            "[defaults]\nfiscal_year = 1999\n",
            "defaults.fiscal_year: 1999 is not a fiscal year of the Buddhist Era (2500-2700, e.g. "
            "2567); 1999 looks like a year of the Christian Era: 1999 + 543 = 2542",
        ),
        ("[defaults]\nprofile = 'nope'\n", "defaults.profile: unknown profile 'nope'"),
        ("[[spreadsheets]]\nlabel = 'x'\n", "spreadsheets.0.id: Field required"),
        ("[[spreadsheets]]\nid='a'\n[[spreadsheets]]\nid='a'\n", "id 'a' is listed twice"),
        (
            "[defaults]\nregions = []\n",
            "defaults.regions: names no tab: list the regional tabs' titles (e.g. ['ศก.1', "
            "'ศก.2']), or leave regions out for the seven of the form",
        ),
        (
            "[[spreadsheets]]\nid = 'a'\nregions = ['ศก.1', 'ศก.2', 'ศก.1']\n",
            "spreadsheets.0.regions: 'ศก.1' name the same tab: list each tab once",
        ),
        (  # two spellings of one tab (a run then failed, round after round, unexplained)
            "[defaults]\nregions = ['ศก.1', 'ศก. 1', 'ศก.๒']\n",
            "defaults.regions: 'ศก. 1', 'ศก.1' name the same tab: list each tab once",
        ),
        (
            "[[spreadsheets]]\nid = 'a'\nregions = ['ศก.1', ' ']\n",
            "spreadsheets.0.regions: a title is blank (['ศก.1', ' ']): name each regional tab",
        ),
        (
            "[defaults]\nheader_row = 6\n[[spreadsheets]]\nid = 'a'\nfirst_data_row = 9\n",
            "defaults: first_data_row 4 is not below header_row 6: the first participant's row "
            "comes after the headers' row",
        ),
        (
            "[[spreadsheets]]\nid = 'a'\nheader_row = 5\nfirst_data_row = 5\n",
            "spreadsheets[a]: first_data_row 5 is not below header_row 5",
        ),
        (
            "[service]\nlog_level = 'LOUD'\n",
            "service.log_level: 'LOUD' is not a log level: use DEBUG, INFO, WARNING, ERROR or "
            "CRITICAL",
        ),
        ("[service]\ntimeout_seconds = inf\n", "service.timeout_seconds: Input should be a finite"),
        ("[service]\nretry_seconds = 1e9\n", "service.retry_seconds: Input should be less than"),
        (
            "[profiles.mine]\nlabel = 'x'\n",
            "profiles.mine: Target profile 'mine' has unknown keys ['label']; use only [",
        ),
        (
            "[profiles.mine]\nenterprises_per_group = 'abc'\n",
            "profiles.mine: Target profile 'mine': enterprises_per_group must be a number",
        ),
        ("[servce]\n", "servce: Extra inputs are not permitted"),
        ("not toml = = 1", "not valid TOML"),
    ],
)
def test_each_problem_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    """Every configuration problem is explained on one line naming the field."""
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    lines = str(caught.value).splitlines()
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(str(path)) for line in lines)


def test_rows_wrong_in_the_defaults_are_said_once_not_again_for_each_spreadsheet(
    tmp_path: Path,
) -> None:
    """A spreadsheet that sets neither row has the defaults' rows: one line says it, for the
    defaults; one that sets a row of its own is named with what it then has."""
    path = tmp_path / "c.toml"
    path.write_text(
        "[defaults]\nheader_row = 5\nfirst_data_row = 4\n"
        "[[spreadsheets]]\nid = 'a'\n[[spreadsheets]]\nid = 'b'\n"
        "[[spreadsheets]]\nid = 'c'\nheader_row = 2\n"
        "[[spreadsheets]]\nid = 'd'\nheader_row = 7\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["defaults", "spreadsheets[d]"]
    assert "first_data_row 4 is not below header_row 7" in lines[1]


def test_missing_file_says_so(tmp_path: Path) -> None:
    """A missing file is named."""
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_a_setting_from_the_environment_is_blamed_on_its_variable(tmp_path: Path) -> None:
    """
    A bad value set by `SHEETSYNC_SERVICE__TIMEOUT_SECONDS` is reported under that variable,
    not under the file (which does not have the setting); the file's own problems under it.
    """
    path = tmp_path / "c.toml"
    path.write_text("[defaults]\nfiscal_year = 2024\n", encoding="utf-8")
    environ = {"SHEETSYNC_SERVICE__TIMEOUT_SECONDS": "soon", "SHEETSYNC_SERVICE__NOPE": "1"}
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ)
    assert sorted(str(caught.value).splitlines()) == sorted(
        [
            "$SHEETSYNC_SERVICE__TIMEOUT_SECONDS: service.timeout_seconds: Input should be a valid "
            "number, unable to parse string as a number",
            "$SHEETSYNC_SERVICE__NOPE: service.nope: Extra inputs are not permitted",
            f"{path}: defaults.fiscal_year: 2024 is not a fiscal year of the Buddhist Era "
            "(2500-2700, e.g. 2567); 2024 looks like a year of the Christian Era: "
            "2024 + 543 = 2567",
        ]
    )


def test_a_mistyped_variable_is_refused_not_ignored(tmp_path: Path) -> None:
    """`SHEETSYNC_SERVCE__LOCK_DIR` (a letter short) names no section: refused, as an unknown
    key of the file is, where the lock folder silently stayed the file's."""
    path = tmp_path / "c.toml"
    path.write_text('[[spreadsheets]]\nid = "1abc"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^\$SHEETSYNC_SERVCE__LOCK_DIR: no section 'servce'"):
        load_config(path, environ={"SHEETSYNC_SERVCE__LOCK_DIR": "/elsewhere"})
