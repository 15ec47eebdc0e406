"""Sharing programmes: a link that opens one card (crediting a campaign when it carries one),
the card's Share button, "@bot las" in any chat, and the bot's profile texts in each
language."""

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import pytest

from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from bot.stats.campaigns import free_code, is_usable, slug_of

ADMIN, STAFF = 9101, 9102
WELDING_LINK = "https://t.me/vokasi_test_bot?start=p-welding"


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


def url_of(user: ChatUser, label: str) -> str:
    for row in (user.last_reply.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label:
                return str(button["url"])
    raise AssertionError(f"no URL button {label!r} in {user.buttons}")


async def test_a_programme_link_opens_its_card_for_a_newcomer(bot: OfflineBot) -> None:
    user = bot.user(801)
    await user.send("/start p-welding")
    card = user.last_reply.plain_text
    assert card.startswith("Teknik Las\n") and "💰 Biaya: Gratis" in card
    assert "📝 Daftar" in user.buttons and "📤 Bagikan ke teman" in user.buttons
    # The card works as one reached by browsing: back to its list.
    await user.tap("« Kembali ke daftar")
    assert "🟡 Teknik Las (belum pasti)" in user.buttons


async def test_the_share_button_sends_the_programmes_link_with_its_title(bot: OfflineBot) -> None:
    user = bot.user(802, language_code="en")
    await user.send("/start p-welding")
    shared = urlparse(url_of(user, "📤 Share with a friend"))
    assert (shared.netloc, shared.path) == ("t.me", "/share/url")
    query = parse_qs(shared.query)
    assert query["url"] == [WELDING_LINK]
    assert query["text"][0].startswith("Welding – ")
    # The friend who opens it reads the card in their own language.
    friend = bot.user(803, language_code="id")
    await friend.send("/start " + query["url"][0].rsplit("=", 1)[1])
    assert friend.last_reply.plain_text.startswith("Teknik Las\n")


async def test_a_link_to_a_programme_no_longer_offered_shows_the_current_list(
    bot: OfflineBot,
) -> None:
    user = bot.user(804, language_code="en")
    await user.send("/start p-underwater_welding")
    assert user.last_reply.plain_text.startswith("That programme is no longer in our list.")
    await user.tap("📚 Programmes")
    assert "Courses at BBPVP Serang" in user.buttons


async def test_a_programme_link_with_a_campaign_credits_the_campaign_once(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/campaigns")
    await staff.tap("➕ New campaign")
    await staff.send("Poster las | poster-las")
    assert "?start=poster-las\n" in staff.replies[0].plain_text
    newcomer = console.user(821)
    await newcomer.send("/start p-welding-poster-las")
    assert newcomer.last_reply.plain_text.startswith("Teknik Las\n")
    # Someone who used the bot before is not the poster's sign-up.
    regular = console.user(822)
    await regular.send("/start")
    await regular.send("/start p-welding-poster-las")
    assert regular.last_reply.plain_text.startswith("Teknik Las\n")
    await staff.send("/campaigns")
    assert "Poster las (poster-las)\nSign-ups: 1 · submitted: 0" in staff.last_reply.plain_text


def test_no_campaign_code_can_be_read_as_a_programme_link() -> None:
    assert not is_usable("p-welding", set())
    assert slug_of("P Las") == "plas"
    assert free_code(slug_of("P-Welding Poster"), set()) == "pwelding-poster"


async def test_inline_search_lists_matching_programmes_in_the_users_language(
    bot: OfflineBot,
) -> None:
    indonesian, english = bot.user(831, language_code="id"), bot.user(832, language_code="en")
    answer = await indonesian.ask_inline("las", chat_type="group")
    assert answer.titles[0] == "Teknik Las" and answer.is_personal
    sent = answer.results[0]["input_message_content"]
    assert sent["parse_mode"] == "HTML"
    assert "<b>Teknik Las</b>" in sent["message_text"] and WELDING_LINK in sent["message_text"]
    assert "💰 <b>Biaya:</b> Gratis" in sent["message_text"]
    [[button]] = answer.results[0]["reply_markup"]["inline_keyboard"]
    assert (button["text"], button["url"]) == ("📚 Buka di bot", WELDING_LINK)
    answer = await english.ask_inline("weld")
    assert answer.titles[0] == "Welding"
    assert "💰 <b>Cost:</b> Free" in answer.results[0]["input_message_content"]["message_text"]
    # Either language's words find it, and every word must fit.
    assert (await english.ask_inline("teknik las")).titles[0] == "Welding"
    assert (await english.ask_inline("las jepang")).titles == []


async def test_inline_search_follows_the_language_chosen_in_the_bot(bot: OfflineBot) -> None:
    user = bot.user(833, language_code="id")
    await user.send("/language")
    await user.tap("🇬🇧 English")
    assert (await user.ask_inline("las")).titles[0] == "Welding"


async def test_an_empty_inline_query_lists_every_programme_and_nonsense_none(
    bot: OfflineBot,
) -> None:
    user = bot.user(834, language_code="en")
    everything = await user.ask_inline("")
    assert len(everything.titles) == len(set(everything.titles)) >= 10
    assert "Welding" in everything.titles
    assert (await user.ask_inline("<b>🤖 qwxz</b>")).titles == []
    assert (await user.ask_inline("x" * 256)).titles == []


async def test_the_bots_name_and_descriptions_are_set_per_language_once(
    settings: Settings,
) -> None:
    standin = TelegramStandIn()
    async with offline_bot(settings, standin):
        pass
    profile = standin.profile
    assert profile[("name", "id")] == profile[("name", "")] == "Asisten BBPVP Serang"
    assert profile[("name", "en")] == "BBPVP Serang Assistant"
    assert profile[("short_description", "id")].startswith("Pelatihan vokasi gratis")
    assert profile[("short_description", "en")].startswith("Free vocational training")
    assert profile[("description", "")].endswith("Tekan Mulai untuk memulai.")
    assert profile[("description", "en")].endswith("Press Start to begin.")
    writes = len(standin.calls_to("setMyName"))
    assert writes == 3
    # A restart finds the texts already there and leaves them alone (setMyName is rate
    # limited hard by Telegram).
    async with offline_bot(settings, standin):
        pass
    assert len(standin.calls_to("setMyName")) == writes


async def test_a_refused_profile_text_does_not_stop_the_bot(settings: Settings) -> None:
    standin = TelegramStandIn()
    standin.inject("setMyName", error="retry_after", retry_after=3600)
    async with offline_bot(settings, standin) as running:
        user = running.user(841, language_code="en")
        await user.send("/start p-welding")
        assert user.last_reply.plain_text.startswith("Welding\n")
