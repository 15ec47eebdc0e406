"""The eligibility check as a user sees it: consent, questions never asked twice, reasons."""

from datetime import date

from sqlalchemy import select

from bot.offline.offline_bot import OfflineBot
from db.models import Consent, EligibilityAnswer


def years_ago(years: int) -> str:
    """Today's date that many years ago, typed as a user would (29 February falls back a day)."""
    today = date.today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:
        born = today.replace(year=today.year - years, day=28)
    return born.strftime("%d-%m-%Y")


async def open_japan_check(user, language: str) -> None:  # noqa: ANN001
    await user.send("/programmes")
    abroad = (
        "Apprenticeships and Work Abroad"
        if language == "en"
        else "Magang dan Kerja di Luar Negeri"
    )
    await user.tap(abroad)
    japan = next(label for label in user.buttons if "Jepang" in label or "Japan" in label)
    await user.tap(japan)
    await user.tap(
        "✅ Check if I qualify" if language == "en" else "✅ Cek apakah saya memenuhi syarat"
    )


async def test_a_fit_young_man_qualifies_for_japan_and_sees_other_programmes(
    bot: OfflineBot,
) -> None:
    user = bot.user(701, language_code="en")
    await open_japan_check(user, "en")
    assert "I will ask a few short questions" in user.last_reply.plain_text
    await user.tap("✅ Yes, start")
    assert "Question 1 of 7" in user.last_reply.plain_text
    assert "date of birth" in user.last_reply.plain_text
    await user.send(years_ago(20))
    assert "Question 2 of 7" in user.last_reply.plain_text
    await user.tap("👨 Male")
    await user.tap("SMA / SMK / MA")
    assert "Which senior secondary school did you finish?" in user.last_reply.plain_text
    await user.tap("Technical SMK")
    await user.tap("No")  # glasses
    await user.tap("No")  # tattoo
    await user.tap("No")  # colour-blind
    verdict = user.last_reply.plain_text
    assert verdict.startswith(
        "🎉 Good news: you meet the requirements for Apprenticeship in Japan"
    )
    assert "You do qualify for:" in verdict
    assert "Welding" in verdict  # age 17+ courses need no further answers
    assert "🔔 Tell me when it opens" in user.buttons  # the Japan intake is closed now
    await user.tap("Welding")
    await user.tap("✅ Check if I qualify")
    assert user.last_reply.plain_text.startswith("🎉 Good news")  # nothing left to ask
    assert "📝 Register now" in user.buttons


async def test_every_failed_rule_is_explained_in_indonesian(bot: OfflineBot) -> None:
    user = bot.user(702, language_code="id")
    await open_japan_check(user, "id")
    await user.tap("✅ Ya, mulai")
    await user.send(years_ago(31))
    await user.tap("👩 Perempuan")
    await user.tap("SMP / MTs")
    await user.tap("Ya")  # glasses
    await user.tap("Tidak")
    await user.tap("Tidak")
    verdict = user.last_reply.plain_text
    assert "belum memenuhi syarat" in verdict
    assert "menerima peserta berusia 18 tahun sampai 26 tahun." in verdict
    assert "Usiamu hari ini 31 tahun." in verdict
    assert "caregiver" in verdict and "jepang.magangln.id" in verdict
    assert "minimal SMA / SMK / MA; kamu lulusan SMP / MTs." in verdict
    assert "kacamata atau lensa kontak" in verdict
    assert "📝 Daftar sekarang" not in user.buttons


async def test_answers_are_not_asked_again_for_another_programme(bot: OfflineBot) -> None:
    user = bot.user(703, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    await user.send(years_ago(22))
    await user.tap("👨 Male")
    await user.tap("SMA / SMK / MA")
    await user.tap("SMA, MA or another SMK")
    for _ in range(3):
        await user.tap("No")
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    await user.tap(next(b for b in user.buttons if "Korea" in b))
    # Age, education and colour blindness are known: only the two Korea questions remain.
    assert "Question 4 of 5" in user.last_reply.plain_text
    assert "deported from Korea" in user.last_reply.plain_text
    await user.tap("No")
    await user.tap("No")
    assert "you meet the requirements for" in user.last_reply.plain_text


async def test_consent_is_recorded_once_with_its_version(bot: OfflineBot) -> None:
    user = bot.user(704, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    async with bot.application.bot_data["services"].session_factory() as session:
        consents = (await session.scalars(select(Consent).where(Consent.user_id == 704))).all()
    assert [(c.purpose, c.version, c.locale) for c in consents] == [
        ("eligibility", "elig-2", "en")
    ]


async def test_declining_the_notice_stores_nothing(bot: OfflineBot) -> None:
    user = bot.user(705, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✖️ No, thanks")
    assert "I stopped the check" in user.last_reply.plain_text
    async with bot.application.bot_data["services"].session_factory() as session:
        assert (await session.scalars(select(Consent))).all() == []
        assert (await session.scalars(select(EligibilityAnswer))).all() == []


async def test_wrong_birth_dates_are_explained_and_buttons_are_asked_for(bot: OfflineBot) -> None:
    user = bot.user(706, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    await user.send("kemarin")
    assert "I could not read that as a date" in user.last_reply.plain_text
    await user.send("31-02-2004")
    assert "That date does not exist" in user.last_reply.plain_text
    await user.send("01-01-2090")
    assert "cannot be a birth date" in user.last_reply.plain_text
    await user.send("12 Maret 2004")
    assert "Question 2 of 7" in user.last_reply.plain_text
    await user.send("laki-laki")
    assert "Please answer with the buttons below." in user.last_reply.plain_text
    assert "👨 Male" in user.buttons


async def test_a_menu_detour_then_typing_continues_the_check(bot: OfflineBot) -> None:
    user = bot.user(707, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    await user.send("/programmes")  # a detour
    await user.tap("Agroforestry")
    await user.send("17-08-2003")  # typed text still answers the open question
    assert "Question 2 of 7" in user.last_reply.plain_text


async def test_an_old_answer_button_after_the_check_ended_is_explained(bot: OfflineBot) -> None:
    user = bot.user(708, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    await user.send(years_ago(20))
    old_question = user.last_reply.message_id
    await user.tap("✖️ Stop checking")
    await user.tap_data("elig:a:sex:male", message_id=old_question)
    assert "That check has already finished" in user.last_reply.plain_text


async def test_too_old_and_deported_for_korea_in_english(bot: OfflineBot) -> None:
    user = bot.user(709, language_code="en")
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    await user.tap(next(b for b in user.buttons if "Korea" in b))
    await user.tap("✅ Yes, start")
    await user.send(years_ago(45))
    await user.tap("SMA / SMK / MA")
    await user.tap("No")  # colour-blind
    await user.tap("Yes")  # deported from Korea
    await user.tap("No")  # prison
    verdict = user.last_reply.plain_text
    assert "takes applicants aged 18 years to 39 years. You are 45 years today." in verdict
    assert "EPS-TOPIK does not take anyone who has been deported from Korea." in verdict
    assert "You do qualify for:" in verdict and "Welding" in verdict


async def test_too_young_for_welding_in_indonesian_then_a_corrected_answer(
    bot: OfflineBot,
) -> None:
    user = bot.user(710, language_code="id")
    await user.send("/start")
    await user.tap("✅ Cek syarat")
    await user.tap("Teknik Las")
    await user.tap("✅ Ya, mulai")
    await user.send(years_ago(15))
    reply = user.last_reply.plain_text
    assert "menerima peserta berusia minimal 17 tahun. Usiamu hari ini 15 tahun." in reply
    assert "Usiamu genap 17 tahun pada" in reply
    await user.tap("✏️ Ubah jawabanku")
    await user.send(years_ago(19))
    assert user.last_reply.plain_text.startswith("🎉 Kabar baik: kamu memenuhi syarat Teknik Las")
