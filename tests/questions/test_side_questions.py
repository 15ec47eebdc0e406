"""Questions asked in the middle of a form, end to end in both languages: answered from the FAQ,
then the same question again; after /start or the menu, typed text is a question until the
user taps Continue; a real answer is never taken for a question."""

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.navigation import SCHOOL_INTEREST_START
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from db.models import Registration, SchoolInterest, SchoolInterestChild
from tests.registration.test_registration import open_welding
from tests.school.test_interest import TEXTS as SCHOOL_TEXTS
from tests.school.test_interest import fill_parent

PHONE = "+6281234567890"
TEXTS = {
    "en": {
        "sr_question": "is sekolah rakyat free?",
        "sr_answer": "Is Sekolah Rakyat really free?",
        "cost_question": "how much does the training cost?",
        "cost_answer": "Is the training free?",
        "continue_school": "▶️ Continue the Sekolah Rakyat request",
        "continue_registration": "▶️ Continue registration",
        "q_reg_name": "✍️ What is your full name, as written on your KTP?",
        "q_nik": "🪪 What is your NIK?",
        "agree": "✅ I agree",
        "menu": "🏠 Main menu",
        "gone": "That form is no longer open: it was sent or stopped. What would you like to do?",
        "age_not_number": "Please type the age as a number, for example 9.",
        "names": ("Will Smith", "Who Ann"),
    },
    "id": {
        "sr_question": "sekolah rakyat gratis gak?",
        "sr_answer": "Sekolah Rakyat beneran gratis?",
        "cost_question": "berapa biaya pelatihannya?",
        "cost_answer": "Pelatihannya bayar gak?",
        "continue_school": "▶️ Lanjutkan permintaan Sekolah Rakyat",
        "continue_registration": "▶️ Lanjutkan pendaftaran",
        "q_reg_name": "✍️ Siapa nama lengkapmu",
        "q_nik": "🪪 Berapa NIK-mu?",
        "agree": "✅ Saya setuju",
        "menu": "🏠 Menu utama",
        "gone": "Formulir itu sudah tidak terbuka: sudah dikirim atau dihentikan. "
        "Mau apa sekarang?",
        "age_not_number": "Mohon ketik umur dengan angka, misalnya 9.",
        "names": ("Apa Budi", "Bisa Santoso"),
    },
}


@pytest.fixture(params=["en", "id"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def texts_of(user) -> list[str]:  # noqa: ANN001
    return [reply.plain_text for reply in user.replies]


async def children(bot: OfflineBot) -> list[SchoolInterestChild]:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(SchoolInterestChild))).all())


async def at_the_age_question(user, lang: str) -> None:  # noqa: ANN001
    """Open the Sekolah Rakyat request and answer until the first child's age."""
    await user.send("/start")
    await user.tap_data(SCHOOL_INTEREST_START)
    await fill_parent(user, SCHOOL_TEXTS[lang])
    await user.send("Ani")
    assert SCHOOL_TEXTS[lang]["q_age"].format(name="Ani") in user.last_reply.plain_text


async def test_a_question_at_the_age_is_answered_then_the_age_asked_again(
    bot: OfflineBot, lang: str
) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1201, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send(t["sr_question"])
    answer, question = texts_of(user)
    assert answer.startswith(t["sr_answer"])
    assert school["q_age"].format(name="Ani") in question
    assert school["age_not_number"] not in answer + question
    assert user.last_reply.buttons == [school["back"], school["cancel"]]
    assert await children(bot) and (await children(bot))[0].age is None
    await user.send("9")
    assert school["q_level"].format(name="Ani") in user.last_reply.plain_text
    assert [child.age for child in await children(bot)] == [9]


async def test_a_valid_age_is_never_a_question(bot: OfflineBot, lang: str) -> None:
    school = SCHOOL_TEXTS[lang]
    user = bot.user(1202, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send("9 tahun" if lang == "id" else "9 years")
    assert school["q_level"].format(name="Ani") in user.last_reply.plain_text
    await user.tap("‹ Back" if lang == "en" else "‹ Kembali")
    await user.send("sepuluh")  # not a number, and not a question either: the usual hint
    assert school["age_not_number"] in user.last_reply.plain_text


async def test_at_the_name_step_a_name_stays_a_name_and_a_question_is_answered(
    bot: OfflineBot, lang: str
) -> None:
    t = TEXTS[lang]
    user = bot.user(1203, language_code=lang)
    await open_welding(user, lang)
    await user.tap(t["agree"])
    await user.send(t["cost_question"])
    answer, question = texts_of(user)
    assert answer.startswith(t["cost_answer"])
    assert t["q_reg_name"] in question
    for name in t["names"]:
        await user.send(name)
        assert t["q_nik"] in user.last_reply.plain_text, name
        await user.tap("‹ Back" if lang == "en" else "‹ Kembali")
    async with bot.application.bot_data["services"].session_factory() as session:
        [draft] = (await session.scalars(select(Registration))).all()
    assert draft.full_name == t["names"][-1]


async def test_after_start_mid_form_typed_text_is_a_question_until_continue(
    bot: OfflineBot, lang: str
) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1204, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send("/start")
    assert t["continue_school"] in user.last_reply.buttons
    await user.send(t["sr_question"])
    [answer] = texts_of(user)
    assert answer.startswith(t["sr_answer"])
    assert user.last_reply.buttons[0] == t["continue_school"]
    assert [child.age for child in await children(bot)] == [None]
    await user.tap(t["continue_school"])
    assert school["q_age"].format(name="Ani") in user.last_reply.plain_text
    assert t["sr_answer"] in user.standin.history(user.chat_id)[-2].plain_text  # answer kept
    await user.send("9")
    assert school["q_level"].format(name="Ani") in user.last_reply.plain_text
    assert [child.age for child in await children(bot)] == [9]


async def test_the_menu_button_and_the_school_link_pause_a_form_too(
    bot: OfflineBot, lang: str
) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1205, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send("/start sekolahrakyat")
    await user.send(t["sr_question"])
    assert user.last_reply.plain_text.startswith(t["sr_answer"])
    await user.tap(t["menu"])
    assert user.buttons[0] == t["continue_school"]
    await user.tap(t["continue_school"])
    await user.send("Ani")  # a name is no answer to the age: the usual hint
    assert school["age_not_number"] in user.last_reply.plain_text
    await user.send("/menu")
    await user.send("Ani")  # paused: a question, even though it reads as a name
    assert school["age_not_number"] not in user.last_reply.plain_text
    assert user.last_reply.buttons[0] == t["continue_school"]
    await user.send("12")  # paused, but plainly the age asked for
    assert school["q_level"].format(name="Ani") in user.last_reply.plain_text


async def test_a_programme_link_mid_form_opens_the_card_and_pauses_the_form(
    bot: OfflineBot, lang: str
) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1206, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send("/start p-welding")  # a friend shared the welding card
    assert user.last_reply.plain_text.startswith("Welding\n" if lang == "en" else "Teknik Las\n")
    await user.send(t["sr_question"])
    assert user.last_reply.plain_text.startswith(t["sr_answer"])
    await user.tap(t["continue_school"])
    assert school["q_age"].format(name="Ani") in user.last_reply.plain_text
    await user.send("9")
    assert [child.age for child in await children(bot)] == [9]


async def test_a_number_shared_while_paused_answers_the_phone_question(
    bot: OfflineBot, lang: str
) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1209, language_code=lang)
    await user.send("/start")
    await user.tap_data(SCHOOL_INTEREST_START)
    await user.tap(school["agree"])
    await user.send("Siti Aminah")
    await user.tap(school["mother"])
    await user.tap("Kota Serang")
    await user.send("/start")
    await user.send(t["sr_question"])
    assert user.last_reply.plain_text.startswith(t["sr_answer"])
    await user.share_contact(phone_number=PHONE)  # the share button is still on screen
    assert user.replies[0].plain_text == school["saved"]
    assert school["q_child"].format(n=1) in user.last_reply.plain_text


async def test_a_paused_registration_continues_at_its_question(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(1206, language_code=lang)
    await open_welding(user, lang)
    await user.tap(t["agree"])
    await user.send("Siti Aminah")
    await user.send("/menu")
    assert user.buttons.count(t["continue_registration"]) == 1
    await user.send(t["cost_question"])
    assert user.last_reply.plain_text.startswith(t["cost_answer"])
    assert user.last_reply.buttons.count(t["continue_registration"]) == 1
    await user.tap(t["continue_registration"])
    assert t["q_nik"] in user.last_reply.plain_text


async def test_a_stale_continue_gets_a_word_and_the_menu(bot: OfflineBot, lang: str) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    user = bot.user(1207, language_code=lang)
    await at_the_age_question(user, lang)
    await user.send("/start")
    await user.send(t["sr_question"])
    answer_id = user.last_reply.message_id
    await user.tap(t["continue_school"])
    await user.tap(school["cancel"])
    await user.tap_data("form:continue", message_id=answer_id)
    assert user.last_reply.plain_text == t["gone"]
    assert t["continue_school"] not in user.last_reply.buttons
    async with bot.application.bot_data["services"].session_factory() as session:
        assert (await session.scalars(select(SchoolInterest))).all() == []


async def test_a_paused_form_stays_paused_across_a_restart(settings: Settings, lang: str) -> None:
    t, school = TEXTS[lang], SCHOOL_TEXTS[lang]
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        user = bot.user(1208, language_code=lang)
        await at_the_age_question(user, lang)
        await user.send("/start")
    async with offline_bot(settings, standin) as bot:
        user = bot.user(1208, language_code=lang)
        await user.send(t["sr_question"])
        assert user.last_reply.plain_text.startswith(t["sr_answer"])
        await user.tap(t["continue_school"])
        assert school["q_age"].format(name="Ani") in user.last_reply.plain_text
        await user.send("9")
        assert school["q_level"].format(name="Ani") in user.last_reply.plain_text
