"""Typed questions: FAQ hits and misses, a choice of answers, and back to a form after."""

from bot.offline.offline_bot import OfflineBot


async def test_a_clear_question_gets_its_answer_in_english(bot: OfflineBot) -> None:
    user = bot.user(1101, language_code="en")
    await user.send("where is the centre located?")
    assert "Jl. Raya Pandeglang KM 3" in user.last_reply.plain_text
    assert "👎 This didn't help" in user.buttons


async def test_slang_with_typos_in_indonesian_still_finds_the_answer(bot: OfflineBot) -> None:
    user = bot.user(1102, language_code="id")
    await user.send("umur brp bisa magang ke jepang kak")
    assert "18" in user.last_reply.plain_text and "26" in user.last_reply.plain_text


async def test_nonsense_offers_a_person_and_the_menu(bot: OfflineBot) -> None:
    user = bot.user(1103, language_code="en")
    await user.send("qwxz zzkq")
    assert user.last_reply.plain_text.startswith("I don't have an answer for that yet.")
    assert user.buttons == ["💬 Ask a person", "🏠 Main menu"]


async def test_a_vague_question_offers_a_choice(bot: OfflineBot) -> None:
    user = bot.user(1104, language_code="en")
    await user.send("magang")
    assert user.last_reply.plain_text == "Did you mean one of these?"
    choices = user.buttons[:-2]
    assert len(choices) >= 2 and user.buttons[-2:] == ["💬 Ask a person", "🏠 Main menu"]
    await user.tap(choices[0])
    assert user.last_reply.plain_text.startswith(choices[0].rstrip("…")[:40])
    assert "👎 This didn't help" in user.buttons


async def test_greetings_get_the_menu_not_a_person(bot: OfflineBot) -> None:
    user = bot.user(1107, language_code="id")
    for text in ("halo", "terima kasih", "🙏"):
        await user.send(text)
        assert user.last_reply.plain_text == "Halo! 👋 Mau apa sekarang?"
        assert "📚 Program" in user.buttons


async def test_ask_a_question_from_the_menu_explains_how(bot: OfflineBot) -> None:
    user = bot.user(1105, language_code="en")
    await user.send("/start")
    await user.tap("💬 Ask a question")
    assert user.last_reply.plain_text.startswith("💬 Type your question in your own words")


async def test_a_question_typed_mid_registration_is_answered_and_leads_back(
    bot: OfflineBot,
) -> None:
    user = bot.user(1106, language_code="en")
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    await user.tap("🟡 Welding (not confirmed)")
    await user.tap("📝 Register")
    await user.tap("✅ I agree")
    await user.send("Siti Aminah")
    await user.send("is the training free?")  # at the NIK question: answered, then asked again
    answer, question = (reply.plain_text for reply in user.replies)
    assert answer.startswith("Is the training free?") and "free" in answer.lower()
    assert "An NIK has exactly 16 digits" not in answer + question
    assert "What is your NIK?" in question
    await user.send("12345")  # not a question: the step's hint, and a search if it was one
    assert "An NIK has exactly 16 digits" in user.last_reply.plain_text
    await user.tap("🔎 Search the answers for what I typed")
    await user.tap("▶️ Continue registration")
    assert "What is your NIK?" in user.last_reply.plain_text


async def test_a_long_chatty_question_in_indonesian_gets_its_answer(bot: OfflineBot) -> None:
    user = bot.user(1105, language_code="id")
    await user.send(  # from bench/data/faq_tuning.yaml: greeting, story, Sundanese, question
        "punten min, abdi ti pandeglang, hoyong pisan ikut pelatihan las tapi duit pas pasan, "
        "ieu pelatihan teh mayar henteu? hatur nuhun"
    )
    reply = user.last_reply.plain_text
    assert reply.startswith("Pelatihannya bayar gak?"), reply
    assert "gratis" in reply.lower()
    assert "👎 Tidak membantu" in user.buttons


async def test_a_close_call_offers_at_most_three_answers(bot: OfflineBot) -> None:
    user = bot.user(1106, language_code="id")
    await user.send("what is the age limit")  # training, Japan or Korea: the bot asks which
    assert user.last_reply.plain_text == "Maksudmu salah satu dari ini?"
    choices = user.buttons[:-2]
    assert 2 <= len(choices) <= 3
    assert any("umur" in choice.lower() or "usia" in choice.lower() for choice in choices)


async def test_out_of_scope_questions_get_an_honest_no_and_a_person(bot: OfflineBot) -> None:
    for user_id, language, text, honest in [
        (1107, "id", "jual pulsa murah", "Saya belum punya jawaban untuk itu."),
        (1108, "en", "who is the president of america", "I don't have an answer for that yet."),
        (1109, "id", "siapa presiden amerika", "Saya belum punya jawaban untuk itu."),
    ]:
        user = bot.user(user_id, language_code=language)
        await user.send(text)
        assert user.last_reply.plain_text.startswith(honest), (text, user.last_reply.plain_text)
        assert user.buttons[0] in ("💬 Ask a person", "💬 Tanya petugas")


async def test_a_question_of_only_question_words_is_asked_back(bot: OfflineBot) -> None:
    user = bot.user(1110, language_code="en")
    await user.send("how much?")
    assert not user.last_reply.plain_text.startswith("<b>")
    assert user.last_reply.plain_text in (
        "Did you mean one of these?",
        "I don't have an answer for that yet. A person at the centre can help.",
    )
