"""Registering, end to end: consent, every question, the summary, the code and the notice."""

import re
from pathlib import Path

from sqlalchemy import func, select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import Consent, Registration
from tests.factories import programme_entry, with_catalogue, write_catalogue

NIK_SITI = "3673015203040001"  # female, born 12 March 2004, Kota Serang
STAFF_CHAT = -1001234567890


def said(user) -> str:  # noqa: ANN001
    """Everything the bot answered to the user's latest action."""
    return "\n".join(reply.plain_text for reply in user.replies)


async def registrations(bot: OfflineBot) -> list[Registration]:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(Registration))).all())


async def open_welding(user, language: str = "id") -> None:  # noqa: ANN001
    await user.send("/programmes")
    await user.tap("Pelatihan di BBPVP Serang" if language == "id" else "Courses at BBPVP Serang")
    await user.tap(
        "🟡 Teknik Las (belum pasti)" if language == "id" else "🟡 Welding (not confirmed)"
    )
    await user.tap("📝 Daftar" if language == "id" else "📝 Register")


async def fill_until_summary(user, nik: str = NIK_SITI) -> None:  # noqa: ANN001
    await user.tap("✅ Saya setuju")
    await user.send("Siti Aminah")
    await user.send(nik)
    await user.tap("✅ Ya, benar")
    await user.send("0812 3456 7890")
    await user.tap("SMA / SMK / MA")
    await user.tap("🔎 Mencari kerja")
    await user.tap("Kota Serang")
    await user.tap("Lewati")


async def test_a_full_registration_in_indonesian(bot: OfflineBot) -> None:
    user = bot.user(801, language_code="id")
    await open_welding(user)
    consent = user.last_reply.plain_text
    assert "UU 27/2022" in consent and "Disimpan:" in consent and "Hakmu:" in consent
    await user.tap("✅ Saya setuju")
    assert "Siapa nama lengkapmu" in user.last_reply.plain_text
    await user.send("Siti Aminah")
    assert "Berapa NIK-mu?" in user.last_reply.plain_text
    await user.send(NIK_SITI)
    assert "Dari NIK 3673********0001 saya baca: 👩 Perempuan, lahir 12 Maret 2004." in (
        user.last_reply.plain_text
    )
    await user.tap("✅ Ya, benar")
    assert "Berapa nomor HP-mu?" in user.replies[0].plain_text
    assert user.last_reply.buttons == ["📱 Bagikan nomorku"]
    await user.share_contact(phone_number="+6281234567890")
    assert user.replies[0].plain_text == "✅ Nomor disimpan: +62812*****890"
    await user.tap("SMA / SMK / MA")
    await user.tap("🔎 Mencari kerja")
    await user.tap("Kota Serang")
    await user.tap("Lewati")
    summary = user.last_reply.plain_text
    assert "Nama: Siti Aminah" in summary and "NIK: 3673********0001" in summary
    assert "Tanggal lahir: 12 Maret 2004" in summary and "Domisili: Kota Serang" in summary
    await user.tap("✅ Kirim pendaftaranku")
    confirmation = user.last_reply.plain_text
    code = re.search(r"Kode pendaftaranmu: (SRG-\d{4}-\d{6})", confirmation)
    assert code, confirmation
    assert "/status" in confirmation

    [stored] = await registrations(bot)
    assert (stored.status, stored.code, stored.full_name) == (
        "submitted",
        code.group(1),
        "Siti Aminah",
    )
    assert NIK_SITI not in (stored.nik_encrypted or "") and stored.nik_hash != NIK_SITI
    assert bot.application.bot_data["services"].vault.decrypt(stored.nik_encrypted) == NIK_SITI
    notice = bot.standin.history(STAFF_CHAT)[-1].plain_text
    assert code.group(1) in notice and "3673********0001" in notice and NIK_SITI not in notice
    async with bot.application.bot_data["services"].session_factory() as session:
        consent_row = await session.get(Consent, stored.consent_id)
    assert (consent_row.purpose, consent_row.version) == ("registration", "reg-1")


async def test_a_full_registration_in_english_with_typed_phone_and_email(bot: OfflineBot) -> None:
    user = bot.user(802, language_code="en")
    await open_welding(user, "en")
    await user.tap("✅ I agree")
    await user.send("Budi Santoso")
    await user.send("3604011203040002")
    await user.tap("✅ Yes, that's right")
    await user.send("+62 812-3456-7890")
    await user.tap("S1 or higher")
    await user.tap("💼 Working")
    await user.tap("Outside Banten")
    await user.send("Budi@Example.com")
    assert "E-mail: budi@example.com" in user.last_reply.plain_text
    await user.tap("✅ Submit my registration")
    assert user.last_reply.plain_text.startswith("✅ Registration received.")


async def test_every_validation_error_says_what_a_right_answer_looks_like(bot: OfflineBot) -> None:
    user = bot.user(803, language_code="id")
    await open_welding(user)
    await user.tap("✅ Saya setuju")
    await user.send("12345")
    assert "Ketik namamu dengan huruf" in user.last_reply.plain_text
    await user.send("x" * 150)
    assert "maksimal 100 karakter" in user.last_reply.plain_text
    await user.send("<b>Siti</b> & co")
    assert "Ketik namamu dengan huruf" in user.last_reply.plain_text
    await user.send("Siti Aminah")
    for nik, advice in [
        ("12345", "NIK harus 16 angka, contoh: 3604xxxxxxxxxxxx."),
        ("9973015203040001", "bukan kode wilayah"),
        ("3673019903040001", "berisi tanggal lahir"),
        ("3673015203040000", "tidak mungkin 0000"),
    ]:
        await user.send(nik)
        assert advice in user.last_reply.plain_text, nik
    await user.send(NIK_SITI)
    await user.tap("📅 NIK benar, tapi tanggal lahirku beda")
    await user.send("13-03-2004")
    assert "Dicatat. NIK-mu menunjukkan 12 Maret 2004" in said(user)
    await user.send("12345")
    assert "bukan nomor HP Indonesia" in said(user)
    await user.send_sticker()
    assert "hanya bisa membaca teks" in said(user)
    await user.share_contact(phone_number="+6281299998888", contact_user_id=999)
    assert "kontak orang lain" in said(user)
    assert "Kesulitan?" in said(user)  # the third miss on one question
    await user.send("081234567890")
    await user.send("sekolah")  # typing where buttons are expected
    assert "Silakan jawab dengan tombol di bawah." in user.last_reply.plain_text


async def test_editing_from_the_summary_returns_to_the_summary(bot: OfflineBot) -> None:
    user = bot.user(804, language_code="id")
    await open_welding(user)
    await fill_until_summary(user)
    await user.tap("✏️ Nama")
    assert "Siapa nama lengkapmu" in user.last_reply.plain_text
    await user.send("Siti Nurhaliza")
    assert "Nama: Siti Nurhaliza" in user.last_reply.plain_text
    await user.tap("✏️ Domisili")
    await user.tap("Kab. Lebak")
    assert "Domisili: Kab. Lebak" in user.last_reply.plain_text
    assert "✅ Kirim pendaftaranku" in user.buttons


async def test_back_goes_one_question_back_keeping_answers(bot: OfflineBot) -> None:
    user = bot.user(805, language_code="id")
    await open_welding(user)
    await user.tap("✅ Saya setuju")
    await user.send("Siti Aminah")
    await user.tap("‹ Kembali")
    assert "Siapa nama lengkapmu" in user.last_reply.plain_text
    await user.send("Siti A.")
    assert "Berapa NIK-mu?" in user.last_reply.plain_text


async def test_a_nik_another_account_registered_reveals_nothing_of_that_registration(
    bot: OfflineBot,
) -> None:
    first = bot.user(806, language_code="id")
    await open_welding(first)
    await fill_until_summary(first)
    await first.tap("✅ Kirim pendaftaranku")
    code = re.search(r"SRG-\d{4}-\d{6}", first.last_reply.plain_text).group(0)
    stranger = bot.user(807, language_code="id")
    await open_welding(stranger)
    await stranger.tap("✅ Saya setuju")
    await stranger.send("Budi Santoso")
    await stranger.send(NIK_SITI)
    answer = stranger.last_reply.plain_text
    assert "sudah terdaftar di angkatan program ini dari akun Telegram lain" in answer
    assert "/status dari akun yang mendaftarkannya" in answer and "tanya petugas" in answer
    # Nothing of Siti's registration: no code, name, stage or the NIK's details.
    for secret in (code, "SRG-", "Siti", "Perempuan", "2004", "Diterima", "0812"):
        assert secret not in answer
    assert "💬 Tanya petugas" in stranger.buttons
    # A typo is put right by typing the NIK again, at the same question.
    await stranger.send("3673011506990002")
    assert "Dari NIK 3673********0002 saya baca: 👨 Laki-laki" in stranger.last_reply.plain_text
    assert len([r for r in await registrations(bot) if r.status == "submitted"]) == 1


async def test_someone_already_registered_is_told_at_register_before_any_question(
    bot: OfflineBot,
) -> None:
    user = bot.user(809, language_code="en")
    await open_welding(user, language="en")
    await user.tap("✅ I agree")
    await user.send("Siti Aminah")
    await user.send(NIK_SITI)
    await user.tap("✅ Yes, that's right")
    await user.send("0812 3456 7890")
    await user.tap("SMA / SMK / MA")
    await user.tap("🔎 Looking for work")
    await user.tap("Kota Serang")
    await user.tap("Skip")
    await user.tap("✅ Submit my registration")
    code = re.search(r"SRG-\d{4}-\d{6}", user.last_reply.plain_text).group(0)
    await open_welding(user, language="en")
    answer = user.last_reply.plain_text
    assert f"You have already registered for this programme's intake, with code {code}" in answer
    assert "/status" in answer and "✅ I agree" not in user.buttons
    async with bot.application.bot_data["services"].session_factory() as session:
        assert (await session.scalar(select(func.count()).select_from(Registration))) == 1


async def test_a_double_tap_on_submit_makes_one_registration(bot: OfflineBot) -> None:
    user = bot.user(808, language_code="id")
    await open_welding(user)
    await fill_until_summary(user)
    summary_id = user.last_reply.message_id
    await user.tap("✅ Kirim pendaftaranku")
    await user.tap_data("reg:submit", message_id=summary_id)
    assert user.answered_callbacks[-1] == "Sudah terkirim. Lihat /status untuk pendaftaranmu."
    assert user.last_reply.plain_text.startswith("✅ Pendaftaran diterima.")  # still on screen
    assert [r.status for r in await registrations(bot)] == ["submitted"]


async def test_a_closed_intake_offers_to_tell_the_user_when_it_opens(bot: OfflineBot) -> None:
    user = bot.user(809, language_code="en")
    await user.send("/programmes")
    await user.tap("Apprenticeships and Work Abroad")
    await user.tap(next(b for b in user.buttons if "Japan" in b))
    await user.tap("🔔 Tell me when it opens")  # the card subscribes in one tap
    assert user.last_reply.plain_text.startswith("🔔 Done: I will tell you when registration")
    await user.tap_data("reg:start:japan_apprenticeship")  # an old Register button
    assert "is closed at the moment" in user.last_reply.plain_text
    assert "🔔 Tell me when it opens" in user.buttons


async def test_cancel_deletes_the_draft(bot: OfflineBot) -> None:
    user = bot.user(810, language_code="id")
    await open_welding(user)
    await user.tap("✅ Saya setuju")
    await user.send("Siti Aminah")
    await user.tap("✖️ Batal")
    assert "Pendaftaran dibatalkan" in user.last_reply.plain_text
    assert await registrations(bot) == []


async def test_declining_consent_records_nothing(bot: OfflineBot) -> None:
    user = bot.user(811, language_code="id")
    await open_welding(user)
    await user.tap("✖️ Tidak setuju")
    assert user.last_reply.plain_text.startswith("Baik: tidak ada yang dicatat.")
    assert await registrations(bot) == []


async def test_eligibility_answers_are_not_asked_again(bot: OfflineBot) -> None:
    user = bot.user(812, language_code="en")
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    await user.tap("🟡 Welding (not confirmed)")
    await user.tap("✅ Check if I qualify")
    await user.tap("✅ Yes, start")
    await user.send("12-03-2004")
    await user.tap("📝 Register now")
    await user.tap("✅ I agree")
    await user.send("Budi Santoso")
    await user.send("3604011203040002")
    await user.tap("✅ Yes, that's right")
    await user.send("081234567890")
    await user.tap("SMA / SMK / MA")
    assert "What are you doing at the moment?" in user.last_reply.plain_text


async def test_a_person_too_young_for_the_programme_cannot_submit(bot: OfflineBot) -> None:
    user = bot.user(813, language_code="en")
    await open_welding(user, "en")
    await user.tap("✅ I agree")
    await user.send("Adik Kecil")
    await user.send("3673011205150001")  # born 12 May 2015
    await user.tap("✅ Yes, that's right")
    await user.send("081234567890")
    await user.tap("SMP / MTs")
    await user.tap("🎓 In school or college")
    await user.tap("Kota Serang")
    await user.tap("Skip")
    await user.tap("✅ Submit my registration")
    shown = user.last_reply.plain_text
    assert "you do not meet the requirements for Welding" in shown
    assert "Welding takes applicants aged 17 years or older. You are 11 years" in shown
    assert await registrations(bot) == [] or all(
        r.status == "draft" for r in await registrations(bot)
    )


async def test_programmes_with_yes_no_requirements_ask_for_the_check_first(
    settings: Settings, tmp_path: Path
) -> None:
    glasses = {
        "code": "glasses",
        "disqualifying_answer": True,
        "question": {"id": "Pakai kacamata?", "en": "Do you wear glasses?"},
        "explanation": {"id": "Tanpa kacamata.", "en": "No glasses, please."},
    }
    entry = programme_entry("pilot", "courses", rules={"min_age": 18, "checks": [glasses]})
    catalogue = write_catalogue(tmp_path / "catalogue.yaml", ["courses"], [entry])
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(814, language_code="en")
        await user.send("/start")
        await user.tap("📝 Register")
        await user.tap("Course pilot (en)")
        assert "has requirements I have not asked you about yet" in user.last_reply.plain_text
        await user.tap("✅ Check if I qualify")
        await user.tap("✅ Yes, start")
        await user.send("01-01-2000")
        await user.tap("No")
        await user.tap("📝 Register now")
        assert "Before I ask anything" in user.last_reply.plain_text


async def test_ages_that_depend_on_the_senior_school_are_checked_before_the_form(
    settings: Settings, tmp_path: Path
) -> None:
    rules = {
        "min_age": 18,
        "school_ages": {"smk": {"min_age": 18}, "sma": {"min_age": {"years": 18, "months": 6}}},
    }
    entry = programme_entry("abroad", "courses", rules=rules)
    catalogue = write_catalogue(tmp_path / "catalogue.yaml", ["courses"], [entry])
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(815, language_code="en")
        await user.send("/start")
        await user.tap("📝 Register")
        await user.tap("Course abroad (en)")
        assert "has requirements I have not asked you about yet" in user.last_reply.plain_text
        await user.tap("✅ Check if I qualify")
        await user.tap("✅ Yes, start")
        await user.send("01-01-2000")
        await user.tap("SMA / SMK / MA")
        await user.tap("SMA, MA or another SMK")
        await user.tap("📝 Register now")
        assert "Before I ask anything" in user.last_reply.plain_text
