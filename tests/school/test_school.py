"""Sekolah Rakyat for parents: every section and every parent question, in both languages."""

import pytest
from sqlalchemy import select

from bot.content.school import load_school_content
from bot.offline.offline_bot import OfflineBot
from db.models import User

CONTENT = load_school_content()


@pytest.mark.parametrize("language", ["id", "en"])
async def test_every_section_and_answer_is_one_tap_away(bot: OfflineBot, language: str) -> None:
    user = bot.user(1201 if language == "id" else 1202, language_code=language)
    await user.send("/start")
    await user.tap("🏫 Sekolah Rakyat")
    home = user.last_reply.message_id
    for section in CONTENT.sections:
        await user.tap_data(f"sr:sec:{section.code}", message_id=home)
        shown = user.last_reply.plain_text
        assert shown.startswith(section.title[language])
        assert section.text[language] in shown
        if section.confirm_note:
            assert "⚠️ " + section.confirm_note[language] in shown
        await user.tap_data("sr:home", message_id=home)
    await user.tap_data("sr:qs", message_id=home)
    for question in CONTENT.questions:
        assert question.question[language] in user.buttons
        await user.tap(question.question[language])
        assert question.answer[language] in user.last_reply.plain_text
        if question.confirm_note:
            assert "⚠️ " + question.confirm_note[language] in user.last_reply.plain_text
        await user.tap("« Pertanyaan orang tua" if language == "id" else "« Questions parents ask")


async def test_the_parents_deep_link_opens_the_section_and_counts_the_campaign(
    bot: OfflineBot,
) -> None:
    user = bot.user(1203, language_code="id")
    await user.send("/start sekolahrakyat")
    assert user.last_reply.plain_text.startswith("🏫 Sekolah Rakyat")
    assert CONTENT.sections[0].title["id"] in user.buttons
    async with bot.application.bot_data["services"].session_factory() as session:
        stored = (await session.scalars(select(User).where(User.id == 1203))).one()
    assert stored.campaign_source == "sekolahrakyat"


async def test_is_it_free_is_answered_honestly(bot: OfflineBot) -> None:
    user = bot.user(1204, language_code="en")
    await user.send("/sekolahrakyat")
    await user.tap("❓ Questions parents ask")
    free = CONTENT.question("free")
    await user.tap(free.question["en"])
    assert "free" in user.last_reply.plain_text.lower()
