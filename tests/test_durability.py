"""Restarts: the user carries on where they were, even after a SIGKILL right after a reply."""

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.application import build_application
from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import offline_bot
from bot.offline.standin import TelegramStandIn
from db.models import Registration
from tests.broadcast.test_broadcasts import copies_delivered, wait_for_message
from tests.durability_probe import ADMIN, BROADCAST_AUDIENCE, probe_conversation
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


# What each registration question looks like to the person, and the step the database holds
# while it waits for the answer, in the form's order.
QUESTIONS = (
    ("What is your full name", "name"),
    ("What is your NIK?", "nik"),
    ("From your NIK", "nik_check"),
    ("What is your phone number?", "phone"),
    ("What is the last school you finished?", "education"),
    ("What are you doing at the moment?", "activity"),
    ("Where do you live?", "regency"),
    ("Your e-mail address", "email"),
    ("Please check your answers", "summary"),
    ("Registration received", "submitted"),
)
ORDER = [step for _, step in QUESTIONS]
# At these steps a person types their answer; after the restart they type it again.
TYPED = {
    "name": ("Budi Santoso", "What is your NIK?"),
    "phone": ("+62 812-3456-7890", "What is the last school you finished?"),
    "email": ("budi@example.com", "Please check your answers"),
}


def last_questions(stdout: str) -> dict[int, str]:
    """Each person's last registration question delivered before the kill, as a step."""
    shown: dict[int, str] = {}
    for line in stdout.splitlines():
        if not line.startswith("DELIVERED "):
            continue
        _, chat_id, text = line.split(" ", 2)
        step = next((step for marker, step in QUESTIONS if marker in json.loads(text)), None)
        if step is not None:
            shown[int(chat_id)] = step
    return shown


def copies_before_the_kill(stdout: str) -> Counter[int]:
    return Counter(
        int(line.split()[1]) for line in stdout.splitlines() if line.startswith("COPIED ")
    )


# About 850 replies go to the crowd; the kill comes once some are registering and while the
# broadcast still goes out.
KILL_RANGE = (330, 800)


def kill_points() -> list[int]:
    """Three fixed moments; `python -m bench.soak` sets VOKASI_SOAK_ROUNDS (and a seed) for
    that many random ones."""
    rounds = int(os.environ.get("VOKASI_SOAK_ROUNDS") or 0)
    if not rounds:
        return [380, 560, 733]
    draw = random.Random(int(os.environ.get("VOKASI_SOAK_SEED") or 0))
    return [draw.randint(*KILL_RANGE) for _ in range(rounds)]


@pytest.mark.parametrize("killed_at_reply", kill_points())
async def test_a_crowd_registering_when_the_bot_is_killed_loses_nothing(
    settings: Settings, killed_at_reply: int
) -> None:
    """50 people register at once (about 850 replies in all) while a broadcast to 501 people
    goes out; SIGKILL as one of the 50's replies arrives."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.durability_probe",
            settings.database_url,
            "crowd",
            str(settings.data_key_file),
            str(killed_at_reply),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == -9, result.stderr[-3000:]  # SIGKILL, before all were done
    shown = last_questions(result.stdout)
    assert shown, "the kill came before anyone reached the registration"
    copied = copies_before_the_kill(result.stdout)
    copied[ADMIN] -= 1  # the preview
    audience = set(BROADCAST_AUDIENCE) | {ADMIN}
    assert 0 < len(+copied) < len(audience), "the kill came while the broadcast went out"

    # Restarted; Telegram's limits no longer hold the broadcast back, to finish it quickly.
    settings = settings.model_copy(
        update={"admin_ids": (ADMIN,), "broadcast_rate": 100_000, "broadcast_wait_scale": 0.001}
    )
    standin = TelegramStandIn()  # Telegram still holds the admin's message being broadcast
    [source] = [line for line in result.stdout.splitlines() if line.startswith("SOURCE ")]
    standin.record_incoming(json.loads(source.removeprefix("SOURCE ")))
    async with offline_bot(settings, standin) as bot:
        sessions = bot.application.bot_data["services"].session_factory
        async with sessions() as session:
            stored = (await session.scalars(select(Registration))).all()
        by_person: dict[int, list[Registration]] = {}
        for registration in stored:
            by_person.setdefault(registration.user_id or 0, []).append(registration)
        assert all(len(rows) == 1 for rows in by_person.values())  # never twice
        for person, step in shown.items():
            [registration] = by_person[person]
            at = "submitted" if registration.status == "submitted" else registration.step
            # The answer is committed before the next question goes out: the database is at
            # the question the person saw, or one further if the kill fell in between.
            assert ORDER.index(at) - ORDER.index(step) in (0, 1), (person, step, at)

        for person, step in shown.items():
            [registration] = by_person[person]
            if registration.status == "submitted":
                continue
            # Back days later: the menu offers to continue, at the question they were at.
            user = bot.user(person, language_code="en")
            await user.send("/start")
            shown_again = await user.tap("▶️ Continue registration")
            marker = next(m for m, at in QUESTIONS if at == registration.step)
            assert any(marker in r.plain_text for r in shown_again), (person, registration.step)
            if registration.step in TYPED:
                answer, next_question = TYPED[registration.step]
                await user.send(answer)
                assert next_question in user.last_reply.plain_text, (person, step)

        # The broadcast carries on after the restart: everyone gets it, and no more than the
        # copies in flight at the kill get it twice.
        await wait_for_message(bot.standin, ADMIN, "Broadcast #1 finished:")
        delivered = copied + copies_delivered(bot.standin)
        assert set(+delivered) == audience, "nobody skipped"
        twice = sum(count - 1 for count in delivered.values() if count > 1)
        assert twice <= settings.broadcast_in_flight
