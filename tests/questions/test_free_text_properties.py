"""Property-based: arbitrary text at every free-text question never crashes the bot, always
gets an answer, and never breaks the HTML of what is shown back."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.offline.offline_bot import OfflineBot
from tests.registration.test_registration import open_welding

TYPED_STEPS = ("name", "nik", "birth_date", "phone", "email")
anything = st.text(min_size=1, max_size=5000) | st.sampled_from(
    [
        "<b>",
        "</i>",
        "&amp;",
        "<script>alert(1)</script>",
        "🙏" * 300,
        "1" * 16,
        "\u202e",
        " ",
        "3673015203040001",
        "31-02-2004",
        "+62 812",
        "a@b",
        "@" * 4096,
    ]
)
user_ids = itertools.count(20_000)
examples = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


async def user_at_summary(bot: OfflineBot):  # noqa: ANN201
    user = bot.user(next(user_ids), language_code="en")
    await open_welding(user, "en")
    await user.tap("✅ I agree")
    await user.send("Siti Aminah")
    await user.send("3673015203040001")
    await user.tap("✅ Yes, that's right")
    await user.send("081234567890")
    await user.tap("SMA / SMK / MA")
    await user.tap("🔎 Looking for work")
    await user.tap("Kota Serang")
    await user.tap("Skip")
    return user


_users_at_summary: dict[int, object] = {}


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(step=st.sampled_from(TYPED_STEPS), text=anything)
async def test_any_text_at_a_registration_question_gets_a_friendly_answer(
    bot: OfflineBot, step: str, text: str
) -> None:
    # Hypothesis runs every example on the same bot; one user at the summary serves them all.
    if id(bot) not in _users_at_summary:
        _users_at_summary[id(bot)] = await user_at_summary(bot)
    user = _users_at_summary[id(bot)]
    await user.tap_data(f"reg:edit:{step}")
    replies = await user.send(text)
    assert replies, "the bot must always answer"
    assert all(reply.text for reply in replies)


@examples
@given(text=anything)
async def test_any_text_outside_a_form_gets_an_answer_and_the_menu(
    bot: OfflineBot, text: str
) -> None:
    user = bot.user(next(user_ids), language_code="id")
    replies = await user.send(text)
    assert len(replies) == 1, "one answer, never an echo storm"
    assert "🏠 Menu utama" in user.buttons or "📚 Program" in user.buttons


@examples
@given(text=anything)
async def test_any_text_as_a_birth_date_in_the_eligibility_check(
    bot: OfflineBot, text: str
) -> None:
    user = bot.user(next(user_ids), language_code="en")
    await user.send("/start")
    await user.tap("✅ Check eligibility")
    await user.tap("Welding")
    await user.tap("✅ Yes, start")
    replies = await user.send(text)
    assert replies, "the bot must always answer"
    assert replies[-1].buttons, "and always offer a way forward"
