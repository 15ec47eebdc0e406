"""Restarts: the user carries on where they were, even after a SIGKILL right after a reply."""

import subprocess
import sys
from pathlib import Path

from bot.application import build_application
from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import offline_bot
from bot.offline.standin import TelegramStandIn
from tests.durability_probe import probe_conversation
from tests.factories import programme_entry, with_catalogue, write_catalogue

ROOT = Path(__file__).resolve().parent.parent


async def test_browsing_carries_on_after_a_restart(settings: Settings, tmp_path: Path) -> None:
    catalogue = write_catalogue(
        tmp_path / "catalogue.yaml",
        ["courses"],
        [programme_entry(f"course{n:02d}", "courses") for n in range(14)],
    )
    settings = with_catalogue(settings, catalogue)
    standin = TelegramStandIn()  # Telegram keeps the chat while the bot restarts
    async with offline_bot(settings, standin) as bot:
        user = bot.user(601, language_code="en")
        await user.send("/programmes")
        await user.tap("Category courses (en)")
        await user.tap("Next ›")
        await user.tap("🟢 Course course07 (en)")
    async with offline_bot(settings, standin) as bot:
        user = bot.user(601, language_code="en")
        await user.tap("« Back to the list")
        assert "Page 2 of 3" in user.last_reply.plain_text
        await user.tap("Next ›")
        assert "Page 3 of 3" in user.last_reply.plain_text


def kill_after_reply(settings: Settings, mode: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.durability_probe",
            settings.database_url,
            mode,
            str(settings.data_key_file),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -9, result.stderr  # SIGKILL
    assert "DELIVERED" in result.stdout


async def answers_after_restart(settings: Settings, *, remember: bool) -> list[str]:
    standin = TelegramStandIn()
    application = build_application(settings, request=standin)
    application.add_handler(probe_conversation(remember=remember), group=-2)
    await application.initialize()
    try:
        user = ChatUser(application, standin, user_id=501, language_code="en")
        return [reply.plain_text for reply in await user.send("Siti")]
    finally:
        await application.shutdown()


async def test_a_step_committed_before_the_reply_survives_sigkill(settings: Settings) -> None:
    kill_after_reply(settings, "remember")
    assert "Nice to meet you, Siti" in await answers_after_restart(settings, remember=True)


async def test_without_committing_first_sigkill_loses_the_step(settings: Settings) -> None:
    """The control: PTB's own timing (state saved after the reply, flushed later) loses it."""
    kill_after_reply(settings, "forget")
    answers = await answers_after_restart(settings, remember=False)
    assert answers and not any("Nice to meet you" in answer for answer in answers)


async def test_the_registration_form_resumes_after_sigkill_at_the_same_question(
    settings: Settings,
) -> None:
    kill_after_reply(settings, "registration")
    async with offline_bot(settings) as bot:
        user = bot.user(502, language_code="en")
        await user.send("3673015203040001")
        assert "From your NIK 3673********0001 I read" in user.last_reply.plain_text


async def test_a_restart_mid_form_resumes_at_the_same_question(settings: Settings) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        user = bot.user(602, language_code="id")
        await user.send("/programmes")
        await user.tap("Pelatihan di BBPVP Serang")
        await user.tap("🟡 Teknik Las (belum pasti)")
        await user.tap("📝 Daftar")
        await user.tap("✅ Saya setuju")
        await user.send("Siti Aminah")
        await user.send("/start")  # a detour to the menu before the restart
    async with offline_bot(settings, standin) as bot:
        user = bot.user(602, language_code="id")
        await user.send("3673015203040001")
        assert "Dari NIK 3673********0001 saya baca" in user.last_reply.plain_text
        await user.tap("‹ Kembali")
        assert "Berapa NIK-mu?" in user.last_reply.plain_text
