"""One user's flood, through the real Application: asked once to slow down in their own
language, the rest dropped whole (a form answer too), others and staff served as usual."""

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.context import SERVICES
from bot.offline.offline_bot import OfflineBot, offline_bot
from tests.registration.test_registration import open_welding
from tests.traffic.test_flood_gate import Clock

ADMIN = 9100
SLOW_DOWN_ID = (
    "⏳ Banyak sekali pesan dalam waktu singkat. Mohon tunggu sebentar: beberapa detik lagi "
    "saya akan menjawab lagi."
)
SLOW_DOWN_EN = (
    "⏳ That is a lot of messages at once. Please wait a moment: I will answer again in a few "
    "seconds."
)
MENU_ID = "Halo! 👋"


@pytest.fixture
async def gated(settings: Settings) -> AsyncIterator[tuple[OfflineBot, Clock]]:
    """Burst 8, then one update every 2 s, on a clock the test moves (it stands still)."""
    limits = {"flood_burst": 8, "flood_rate": 0.5, "admin_ids": (ADMIN,)}
    async with offline_bot(settings.model_copy(update=limits)) as running:
        clock = Clock()
        running.application.bot_data[SERVICES].flood_gate.clock = clock
        yield running, clock


def gate_of(bot: OfflineBot):  # noqa: ANN201
    return bot.application.bot_data[SERVICES].flood_gate


async def test_a_flood_is_asked_once_to_slow_down_and_the_rest_is_dropped(
    gated: tuple[OfflineBot, Clock],
) -> None:
    bot, clock = gated
    flooder = bot.user(9201, language_code="id")
    for _ in range(8):
        [menu] = await flooder.send("/start")
        assert menu.plain_text.startswith(MENU_ID)
    assert [m.plain_text for m in await flooder.send("/start")] == [SLOW_DOWN_ID]
    for _ in range(20):
        assert await flooder.send("/start") == []
    assert gate_of(bot).dropped == 21
    # Someone else is answered as usual meanwhile.
    [menu] = await bot.user(9202, language_code="id").send("/start")
    assert menu.plain_text.startswith(MENU_ID)
    # Two seconds later one update a second... every two seconds gets through again.
    clock.now += 2
    [menu] = await flooder.send("/start")
    assert menu.plain_text.startswith(MENU_ID)
    assert await flooder.send("/start") == [], "not warned again so soon"


async def test_the_request_to_slow_down_is_in_the_language_the_user_chose(
    gated: tuple[OfflineBot, Clock],
) -> None:
    bot, _ = gated
    user = bot.user(9203, language_code="id")
    await user.send("/language")
    await user.tap("🇬🇧 English")
    for _ in range(6):
        await user.send("hello")
    assert [m.plain_text for m in await user.send("hello")] == [SLOW_DOWN_EN]


async def test_a_flood_of_button_taps_is_answered_on_the_button(
    gated: tuple[OfflineBot, Clock],
) -> None:
    bot, _ = gated
    user = bot.user(9204, language_code="en")
    [menu] = await user.send("/start")
    programmes = menu.callback_data_for("📚 Programmes") or ""
    for _ in range(7):
        await user.tap_data(programmes, message_id=menu.message_id)
    assert await user.tap_data(programmes, message_id=menu.message_id) == []
    assert user.answered_callbacks[-1] == SLOW_DOWN_EN


async def test_staff_are_never_throttled(gated: tuple[OfflineBot, Clock]) -> None:
    bot, _ = gated
    admin = bot.user(ADMIN, language_code="en")
    for _ in range(30):
        [reply] = await admin.send("/start")
        assert reply.plain_text.startswith("Hello! 👋")
    assert gate_of(bot).dropped == 0


async def test_a_dropped_form_answer_is_not_applied_and_the_form_carries_on(
    gated: tuple[OfflineBot, Clock],
) -> None:
    bot, clock = gated
    user = bot.user(9205, language_code="id")
    await open_welding(user)  # 4 updates
    await user.tap("✅ Saya setuju")
    assert "Siapa nama lengkapmu" in user.last_reply.plain_text
    for _ in range(3):  # the burst's last three: each answered, the question stays
        await user.send_sticker()
    assert [m.plain_text for m in await user.send("Siti Aminah")] == [SLOW_DOWN_ID]
    assert await user.send("Siti Aminah") == []
    clock.now += 60
    # Had a dropped name been taken, this one would be read as the NIK and refused.
    [next_question] = await user.send("Siti Aminah")
    assert "NIK" in next_question.plain_text and "16" in next_question.plain_text
    await user.send("/cancel")
