"""After registering: /status, withdrawing, /mydata with a file, corrections and deletion,
the reminder for an unfinished form, and a quota that closes an intake."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import Consent, EligibilityAnswer, Registration, User, utc_now
from handlers.reminders import purge_expired_data, send_reminders
from tests.factories import programme_entry, with_catalogue, write_catalogue
from tests.registration.test_registration import (
    NIK_SITI,
    fill_until_summary,
    open_welding,
    registrations,
)


async def register_siti(user) -> str:  # noqa: ANN001
    await open_welding(user)
    await fill_until_summary(user)
    await user.tap("✅ Kirim pendaftaranku")
    return user.last_reply.plain_text.split("Kode pendaftaranmu: ")[1].split("\n")[0]


async def test_status_lists_registrations_and_withdraws_after_confirmation(
    bot: OfflineBot,
) -> None:
    user = bot.user(901, language_code="id")
    code = await register_siti(user)
    await user.send("/status")
    status = user.last_reply.plain_text
    assert f"{code} · Teknik Las" in status and "📨 Terkirim · sejak" in status
    await user.tap(f"↩️ Tarik {code}")
    assert "Tarik pendaftaran" in user.last_reply.plain_text
    await user.tap("↩️ Ya, tarik")
    assert "↩️ Ditarik" in user.last_reply.plain_text
    assert f"↩️ Tarik {code}" not in user.buttons
    await user.tap_data(f"st:withdrawn:{code}")  # a second tap changes nothing
    assert [r.status for r in await registrations(bot)] == ["withdrawn"]


async def test_status_in_english_offers_to_continue_a_draft(bot: OfflineBot) -> None:
    user = bot.user(902, language_code="en")
    await user.send("/status")
    assert "You have not registered for a programme yet." in user.last_reply.plain_text
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    await user.tap("🟡 Welding (not confirmed)")
    await user.tap("📝 Register")
    await user.tap("✅ I agree")
    await user.send("/status")
    assert "unfinished registration for Welding" in user.last_reply.plain_text
    await user.tap("▶️ Continue registration")
    assert "What is your full name" in user.last_reply.plain_text


async def test_the_main_menu_leads_back_to_an_unfinished_registration(bot: OfflineBot) -> None:
    user = bot.user(903, language_code="id")
    await open_welding(user)
    await user.tap("✅ Saya setuju")
    await user.send("Siti Aminah")
    await user.send("/start")
    assert user.buttons[0] == "▶️ Lanjutkan pendaftaran"
    await user.tap("▶️ Lanjutkan pendaftaran")
    assert "Berapa NIK-mu?" in user.last_reply.plain_text


async def test_mydata_shows_masked_data_and_sends_a_file(bot: OfflineBot) -> None:
    user = bot.user(904, language_code="id")
    await register_siti(user)
    await user.send("/mydata")
    shown = user.last_reply.plain_text
    assert "Siti Aminah" in shown and "3673********0001" in shown and NIK_SITI not in shown
    await user.tap("📄 Kirim sebagai file")
    filename, content = user.last_reply.document
    assert filename == "my-data.json"
    data = json.loads(content)
    assert data["registrations"][0]["nik_masked"] == "3673********0001"
    assert data["registrations"][0]["full_name"] == "Siti Aminah"
    assert NIK_SITI not in content.decode()


async def test_mydata_corrects_a_typed_field_and_a_button_field(bot: OfflineBot) -> None:
    user = bot.user(905, language_code="id")
    await register_siti(user)
    await user.send("/mydata")
    await user.tap("✏️ Perbaiki dataku")
    await user.tap("Nama")
    await user.send("123")
    assert "Ketik namamu dengan huruf" in user.last_reply.plain_text
    await user.send("Siti Nurhaliza")
    assert user.last_reply.plain_text == "✅ Sudah diperbaiki."
    await user.tap("🔐 Dataku")
    await user.tap("✏️ Perbaiki dataku")
    await user.tap("Domisili")
    await user.tap("Kab. Lebak")
    [stored] = await registrations(bot)
    assert (stored.full_name, stored.regency) == ("Siti Nurhaliza", "3602")


async def test_mydata_deletes_everything_but_anonymous_counts(bot: OfflineBot) -> None:
    user = bot.user(906, language_code="id")
    await register_siti(user)
    await user.send("/mydata")
    await user.tap("🗑 Hapus semuanya")
    await user.tap("🗑 Ya, hapus semuanya")
    assert user.last_reply.plain_text.startswith("Selesai: semuanya sudah dihapus.")
    [stored] = await registrations(bot)
    assert (stored.user_id, stored.full_name, stored.nik_encrypted) == (None, None, None)
    assert (stored.phone_encrypted, stored.phone_masked) == (None, None)
    assert (stored.programme_code, stored.status) == ("welding", "submitted")
    async with bot.application.bot_data["services"].session_factory() as session:
        assert await session.get(User, 906) is None
        assert (await session.scalars(select(EligibilityAnswer))).all() == []
        consents = (await session.scalars(select(Consent))).all()
    assert all(c.user_id is None and c.withdrawn_at is not None for c in consents)


async def test_an_unfinished_registration_gets_one_reminder(bot: OfflineBot) -> None:
    user = bot.user(907, language_code="en")
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    await user.tap("🟡 Welding (not confirmed)")
    await user.tap("📝 Register")
    await user.tap("✅ I agree")
    await user.send("Budi Santoso")
    assert await send_reminders(bot.application) == 0  # not idle long enough yet
    async with bot.application.bot_data["services"].session_factory() as session, session.begin():
        await session.execute(
            update(Registration).values(updated_at=utc_now() - timedelta(hours=25))
        )
    assert await send_reminders(bot.application) == 1
    assert "You started registering for Welding" in user.last_reply.plain_text
    assert await send_reminders(bot.application) == 0  # only one reminder
    await user.tap("▶️ Continue registration")
    assert "What is your NIK?" in user.last_reply.plain_text


async def test_a_full_quota_closes_the_intake(settings: Settings, tmp_path: Path) -> None:
    catalogue = write_catalogue(
        tmp_path / "catalogue.yaml",
        ["courses"],
        [programme_entry("tiny", "courses", quota=1, title={"id": "Kelas Kecil", "en": "Tiny"})],
    )
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        first = bot.user(908, language_code="id")
        await first.send("/start")
        await first.tap("📝 Daftar")
        await first.tap("Kelas Kecil")
        await fill_until_summary(first)
        await first.tap("✅ Kirim pendaftaranku")
        second = bot.user(909, language_code="id")
        await second.send("/start")
        await second.tap("📝 Daftar")
        await second.tap("Kelas Kecil")
        assert "Semua tempat untuk Kelas Kecil di angkatan ini sudah terisi." in (
            second.last_reply.plain_text
        )


async def test_watchers_hear_when_an_intake_opens_after_a_catalogue_change(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.yaml"
    title = {"id": "Barista", "en": "Barista"}
    write_catalogue(
        path, ["courses"], [programme_entry("barista", "courses", intake="closed", title=title)]
    )
    async with offline_bot(with_catalogue(settings, path)) as bot:
        standin = bot.standin
        user = bot.user(910, language_code="en")
        await user.send("/start")
        await user.tap("📝 Register")
        assert "No programme is open for registration right now." in user.last_reply.plain_text
        await user.tap_data("reg:watch:barista")
        assert "I will tell you when registration for Barista opens" in user.last_reply.plain_text
    write_catalogue(
        path, ["courses"], [programme_entry("barista", "courses", intake="open", title=title)]
    )
    async with offline_bot(with_catalogue(settings, path), standin) as bot:
        user = bot.user(910, language_code="en")
        assert user.last_reply.plain_text == "🔔 Registration for Barista is open now."
        await user.tap("📝 Register")
        assert "I agree" in " ".join(user.buttons)
    async with offline_bot(with_catalogue(settings, path), standin):
        sends = [c for c in standin.calls_to("sendMessage") if "is open now" in c.params["text"]]
        assert len(sends) == 1  # a later restart does not announce it again


async def test_leaving_a_correction_frees_typed_text_again(bot: OfflineBot) -> None:
    user = bot.user(911, language_code="en")
    await user.send("/mydata")
    await user.tap("✏️ Correct my data")
    await user.tap("Phone")
    await user.tap("« Back")
    await user.send("when does welding open?")
    assert "Type your phone number" not in user.last_reply.plain_text
    assert "🏠 Main menu" in user.buttons  # an FAQ answer, not a correction hint


async def test_a_correction_without_any_registration_says_so(bot: OfflineBot) -> None:
    user = bot.user(912, language_code="en")
    await user.send("/mydata")
    await user.tap("✏️ Correct my data")
    await user.tap("Name")
    await user.send("Budi Santoso")
    assert user.last_reply.plain_text == (
        "There was nothing to correct: you have no registration yet."
    )


async def test_eligibility_answers_can_be_forgotten_and_are_asked_again(bot: OfflineBot) -> None:
    user = bot.user(913, language_code="en")
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    await user.tap("Welding")
    await user.tap("✅ Yes, start")
    await user.send("01-01-2000")
    await user.send("/mydata")
    assert "• Date of birth: January 1, 2000" in user.last_reply.plain_text
    await user.tap("🔄 Forget my eligibility answers")
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    await user.tap("Welding")
    assert "Question 1 of 1" in user.last_reply.plain_text


async def test_retention_anonymises_finished_registrations_after_a_year(bot: OfflineBot) -> None:
    user = bot.user(914, language_code="id")
    await register_siti(user)
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session, session.begin():
        await session.execute(update(Registration).values(status="rejected"))
    await purge_expired_data(bot.application)
    assert (await registrations(bot))[0].full_name == "Siti Aminah"  # still within the year
    async with sessions() as session, session.begin():
        await session.execute(
            update(Registration).values(status_changed_at=utc_now() - timedelta(days=366))
        )
    await purge_expired_data(bot.application)
    [stored] = await registrations(bot)
    assert (stored.full_name, stored.nik_encrypted, stored.status) == (None, None, "rejected")
