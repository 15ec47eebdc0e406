"""`python -m bot shell` with piped input: numbered buttons across messages, contact sharing."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NIK = "3673015203040001"


def run_shell(tmp_path: Path, lines: list[str], *options: str) -> str:
    """Pipe lines into the shell and return what it printed."""
    environment = {key: value for key, value in os.environ.items() if key != "BOT_TOKEN"}
    environment.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'v.db'}",
        DATA_KEY_FILE=str(tmp_path / "k"),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "shell", *options],
        input="".join(f"{line}\n" for line in lines),
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def after(output: str, typed: str) -> str:
    """What the shell printed in answer to the last time `typed` was entered."""
    return output.rsplit(f"\n> {typed}\n", 1)[1].split("\n> ", 1)[0]


# /programmes, Courses at BBPVP Serang, Welding, Register, I agree, name, NIK, Yes.
TO_THE_PHONE_QUESTION = ["/programmes", "1", "1", "2", "1", "Siti Aminah", NIK, "1"]


@pytest.mark.parametrize(
    ("options", "masked"),
    [((), "+62812*****890"), (("--phone", "+6281298765432"), "+62812*****432")],
)
def test_the_share_contact_button_has_its_own_number_and_shares_the_phone(
    tmp_path: Path, options: tuple[str, ...], masked: str
) -> None:
    output = run_shell(tmp_path, [*TO_THE_PHONE_QUESTION, "3"], "--language", "en", *options)

    phone_question = after(output, "1")
    # Two messages, one action: the inline buttons, then the reply keyboard, numbered on.
    assert "[1] ‹ Back   [2] ✖️ Cancel" in phone_question
    assert "[3] 📱 Share my number" in phone_question
    assert "[1] 📱 Share my number" not in phone_question
    shared = after(output, "3")
    assert f"Number saved: {masked}" in shared
    assert "What is the last school you finished?" in shared


def test_a_number_taps_the_button_on_its_own_message(tmp_path: Path) -> None:
    # At the phone question, 1 is the inline "‹ Back" of the first message, not the reply
    # keyboard's "📱 Share my number": the form steps back instead of reading a phone number.
    output = run_shell(tmp_path, [*TO_THE_PHONE_QUESTION, "1"], "--language", "en")
    stepped_back = after(output, "1")
    assert "📝 Welding" in stepped_back
    assert "phone" not in stepped_back.lower()
    assert "Share my number" not in stepped_back


@pytest.mark.parametrize(
    ("language", "menu", "category", "programme", "card"),
    [
        (
            "id",
            "[1] 📚 Program",
            "Pelatihan di BBPVP Serang",
            "🟡 Teknik Las (belum pasti)",
            "💰 Biaya: Gratis",
        ),
        (
            "en",
            "[1] 📚 Programmes",
            "Courses at BBPVP Serang",
            "🟡 Welding (not confirmed)",
            "💰 Cost: Free",
        ),
    ],
)
def test_menu_programme_list_and_detail_card(
    tmp_path: Path, language: str, menu: str, category: str, programme: str, card: str
) -> None:
    output = run_shell(tmp_path, ["/start", "/programmes", "1", "1"], "--language", language)

    assert menu in after(output, "/start")
    assert f"[1] {category}" in after(output, "/programmes")
    listing, detail = output.split("\n> 1\n")[1:]
    assert f"[1] {programme}" in listing
    assert card in detail
    assert re.search(r"\[\d+\] 📝 (Daftar|Register)", detail)
