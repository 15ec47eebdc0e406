"""Browsing programmes: categories, a paged list and detail cards, in both languages."""

from pathlib import Path

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from tests.factories import programme_entry, with_catalogue, write_catalogue


async def test_browse_to_the_welding_card_and_back_in_indonesian(bot: OfflineBot) -> None:
    user = bot.user(201)
    await user.send("/start")
    await user.tap("📚 Program")
    assert user.last_reply.plain_text == "📚 Program kami\nPilih kategori:"
    assert "Magang dan Kerja di Luar Negeri" in user.buttons
    await user.tap("Pelatihan di BBPVP Serang")
    assert "🟡 Teknik Las (belum pasti)" in user.buttons
    await user.tap("🟡 Teknik Las (belum pasti)")
    card = user.last_reply.plain_text
    assert card.startswith("Teknik Las\n🟡 Belum pasti: pendaftaran ini tertulis buka")
    assert "⏱ Lama:" in card and "💰 Biaya: Gratis" in card
    assert "📋 Pendaftaran: 🟡 Buka, belum dipastikan oleh balai" in card
    assert "Persyaratan" in card
    assert "⚠️" in card  # the note to confirm figures with the centre
    assert len(user.last_reply.text) <= 4096
    await user.tap("« Kembali ke daftar")
    assert "🟡 Teknik Las (belum pasti)" in user.buttons
    await user.tap("« Kategori")
    await user.tap("🏠 Menu utama")
    assert user.last_reply.plain_text == "Mau apa sekarang?"


async def test_japan_card_in_english(bot: OfflineBot) -> None:
    user = bot.user(202, language_code="en")
    await user.send("/programmes")
    await user.tap("Apprenticeships and Work Abroad")
    japan = next(label for label in user.buttons if "Japan" in label)
    await user.tap(japan)
    card = user.last_reply.plain_text
    assert "Duration:" in card and "Requirements" in card
    assert "📋 Intake: 🔴 Closed" in card
    assert "IM Japan" in card


async def test_every_programme_card_fits_a_telegram_message_in_both_languages(
    bot: OfflineBot,
) -> None:
    for language, user_id in (("id", 203), ("en", 204)):
        user = bot.user(user_id, language_code=language)
        await user.send("/programmes")
        for category in user.buttons[:-1]:
            await user.send("/programmes")
            await user.tap(category)
            for programme in [label for label in user.buttons if label[0] in "🟢🔴🕒"]:
                await user.tap(programme)
                assert user.last_reply.text  # the stand-in refuses >4096 chars or bad HTML
                await user.tap("« Back to the list" if language == "en" else "« Kembali ke daftar")


async def test_a_long_category_is_paged(settings: Settings, tmp_path: Path) -> None:
    catalogue = write_catalogue(
        tmp_path / "catalogue.yaml",
        ["courses"],
        [programme_entry(f"course{n:02d}", "courses") for n in range(14)],
    )
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(206, language_code="en")
        await user.send("/programmes")
        await user.tap("Category courses (en)")
        assert "Page 1 of 3" in user.last_reply.plain_text
        assert user.buttons[:6] == [f"🟢 Course course{n:02d} (en)" for n in range(6)]
        assert "‹ Previous" not in user.buttons
        await user.tap("Next ›")
        await user.tap("Next ›")
        assert "Page 3 of 3" in user.last_reply.plain_text
        assert [b for b in user.buttons if b.startswith("🟢")] == [
            "🟢 Course course12 (en)",
            "🟢 Course course13 (en)",
        ]
        assert "Next ›" not in user.buttons
        await user.tap("🟢 Course course13 (en)")
        await user.tap("« Back to the list")
        assert "Page 3 of 3" in user.last_reply.plain_text


async def test_catalogue_text_with_html_is_shown_literally(
    settings: Settings, tmp_path: Path
) -> None:
    entry = programme_entry(
        "tricky",
        "courses",
        title={"id": "Las <b>& Co", "en": "Welding <b>& Co"},
        description={"id": "Pakai <script> & tanda < >", "en": "Uses <script> & signs < >"},
    )
    catalogue = write_catalogue(tmp_path / "catalogue.yaml", ["courses"], [entry])
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(207, language_code="en")
        await user.send("/programmes")
        await user.tap("Category courses (en)")
        await user.tap("🟢 Welding <b>& Co")
        assert "Uses <script> & signs < >" in user.last_reply.plain_text
        assert user.last_reply.plain_text.startswith("Welding <b>& Co")


async def test_a_programme_removed_from_the_catalogue_answers_kindly(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.yaml"
    write_catalogue(
        path, ["courses"], [programme_entry("old", "courses"), programme_entry("new", "courses")]
    )
    async with offline_bot(with_catalogue(settings, path)) as bot:
        user = bot.user(208, language_code="en")
        await user.send("/programmes")
        await user.tap("Category courses (en)")
    write_catalogue(path, ["courses"], [programme_entry("new", "courses")])
    async with offline_bot(with_catalogue(settings, path), standin=bot.standin) as bot:
        user = bot.user(208, language_code="en")
        await user.tap("🟢 Course old (en)")
        assert user.last_reply.plain_text.startswith("That programme is no longer in our list.")
        await user.tap("📚 Programmes")
        assert user.buttons == ["Category courses (en)", "🏠 Main menu"]


async def test_an_intake_with_a_quota_shows_the_places_left(
    settings: Settings, tmp_path: Path
) -> None:
    catalogue = write_catalogue(
        tmp_path / "catalogue.yaml", ["courses"], [programme_entry("tiny", "courses", quota=16)]
    )
    async with offline_bot(with_catalogue(settings, catalogue)) as bot:
        user = bot.user(209, language_code="id")
        await user.send("/programmes")
        await user.tap("Category courses (id)")
        await user.tap("🟢 Course tiny (id)")
        assert "🎟 Sisa 16 tempat di angkatan ini" in user.last_reply.plain_text
