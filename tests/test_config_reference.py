"""The configuration reference in the README and `.env.example` say what the code reads."""

import re
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.config_reference import END_MARKER, START_MARKER

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_reference_is_what_the_settings_class_says() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "bot", "config-reference"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(START_MARKER), readme.index(END_MARKER) + len(END_MARKER) + 1
    assert readme[start:end] == printed, (
        "README.md's configuration reference is out of date: run "
        "`python -m bot config-reference --update README.md`"
    )


def test_every_setting_is_described_and_listed_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description for the reference"
        assert name.upper() in listed, f"{name.upper()} is missing from .env.example"


def test_the_reference_names_no_path_of_this_machine() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "bot", "config-reference"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in printed
    assert "bot/content/programmes.yaml" in printed
