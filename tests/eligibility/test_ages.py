"""Ages in years and months, counted on the selection test day: the Japan apprenticeship asks
18 to 26 of technical SMK graduates and 18 years 6 months to 26 of SMA graduates
(../shared/domain.md, Japan). A person just short is told when they will qualify."""

from datetime import date
from pathlib import Path

import yaml
from babel.dates import format_date

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from tests.eligibility.test_eligibility import open_japan_check
from tests.factories import shipped_catalogue_raw, with_catalogue


def months_later(day: date, months: int) -> date:
    """The same day of the month, `months` later (or earlier); used with the 15th only."""
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1)


def selection_day() -> date:
    """A selection test day a few months ahead, on the 15th."""
    return months_later(date.today().replace(day=15), 3)


def catalogue_with_a_test_day(tmp_path: Path, test_day: date) -> Path:
    raw = shipped_catalogue_raw()
    japan = next(p for p in raw["programmes"] if p["code"] == "japan_apprenticeship")
    japan["rules"]["age_reference"] = test_day.isoformat()
    path = tmp_path / "programmes.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


async def answer_japan(user, birth: date, school: str, language: str = "en") -> str:  # noqa: ANN001
    await open_japan_check(user, language)
    await user.tap("✅ Yes, start" if language == "en" else "✅ Ya, mulai")
    await user.send(birth.strftime("%d-%m-%Y"))
    await user.tap("👨 Male" if language == "en" else "👨 Laki-laki")
    await user.tap("SMA / SMK / MA")
    await user.tap(school)
    no = "No" if language == "en" else "Tidak"
    for _ in range(3):
        await user.tap(no)
    return user.last_reply.plain_text


async def test_an_sma_graduate_three_months_short_on_the_test_day_is_told_when(
    settings: Settings, tmp_path: Path
) -> None:
    test_day = selection_day()
    birth = months_later(test_day, -(18 * 12 + 3))  # 18 years 3 months on the test day
    catalogue = catalogue_with_a_test_day(tmp_path, test_day)
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(731, language_code="en")
        verdict = await answer_japan(user, birth, "SMA, MA or another SMK")
    long = format_date(test_day, format="long", locale="en")
    qualifies_on = format_date(months_later(test_day, 3), format="long", locale="en")
    assert "You do not meet the requirements for Apprenticeship in Japan" in verdict
    assert "takes SMA, MA or another SMK graduates aged 18 years 6 months to 26 years." in verdict
    assert f"On the selection test day, {long}, you will be 18 years 3 months." in verdict
    assert f"You will be 18 years 6 months on {qualifies_on}" in verdict
    assert f"Ages are counted on the selection test day, {long}." in verdict
    assert "💬 Ask a person to review it" in user.buttons


async def test_an_sma_graduate_just_over_eighteen_and_a_half_on_the_test_day_qualifies(
    settings: Settings, tmp_path: Path
) -> None:
    test_day = selection_day()
    birth = months_later(test_day, -(18 * 12 + 7))  # 18 years 7 months on the test day
    catalogue = catalogue_with_a_test_day(tmp_path, test_day)
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(732, language_code="id")
        verdict = await answer_japan(user, birth, "SMA, MA, atau SMK lain", language="id")
    assert verdict.startswith("🎉 Kabar baik: kamu memenuhi syarat Magang ke Jepang")
    long = format_date(test_day, format="long", locale="id")
    assert f"Usia dihitung pada hari tes seleksi, {long}." in verdict


async def test_the_same_age_qualifies_a_technical_smk_graduate(
    settings: Settings, tmp_path: Path
) -> None:
    test_day = selection_day()
    birth = months_later(test_day, -(18 * 12 + 3))
    catalogue = catalogue_with_a_test_day(tmp_path, test_day)
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(733, language_code="en")
        verdict = await answer_japan(user, birth, "Technical SMK")
    assert verdict.startswith(
        "🎉 Good news: you meet the requirements for Apprenticeship in Japan"
    )


async def test_without_a_test_day_the_verdict_says_ages_are_counted_today(
    bot: OfflineBot,
) -> None:
    birth = months_later(date.today().replace(day=1), -(18 * 12 + 2))
    user = bot.user(734, language_code="en")
    verdict = await answer_japan(user, birth, "SMA, MA or another SMK")
    assert "You are 18 years 2 months today." in verdict
    assert "Ages are counted as of today: the selection test date of this intake" in verdict


async def test_a_woman_asking_about_japan_is_pointed_to_the_caregiver_track(
    bot: OfflineBot,
) -> None:
    user = bot.user(735, language_code="en")
    await open_japan_check(user, "en")
    await user.tap("✅ Yes, start")
    await user.send(months_later(date.today().replace(day=1), -20 * 12).strftime("%d-%m-%Y"))
    await user.tap("👩 Female")
    await user.tap("SMA / SMK / MA")
    await user.tap("Technical SMK")
    for _ in range(3):
        await user.tap("No")
    verdict = user.last_reply.plain_text
    assert "The general Japan apprenticeship takes men only." in verdict
    assert "caregiver track" in verdict and "jepang.magangln.id" in verdict
    assert "💬 Ask a person to review it" in user.buttons
    await user.tap("💬 Ask a person to review it")
    assert "You are connected to the centre's staff" in user.last_reply.plain_text
