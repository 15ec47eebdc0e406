"""Typed questions get answers that rest on ../shared/domain.md (issue 16): no promise of
in-person help, and the steps, rights and caveats people need, in Indonesian and English."""

from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import OfflineBot


async def english_user(bot: OfflineBot, user_id: int) -> ChatUser:
    """A user whose Telegram is Indonesian but who chose English with /language."""
    user = bot.user(user_id, language_code="id")
    await user.send("/language")
    await user.tap("🇬🇧 English")
    return user


async def test_asking_to_register_in_person_says_to_ask_the_centre_first(
    bot: OfflineBot,
) -> None:
    user = bot.user(1601, language_code="id")
    await user.send("saya gaptek, bisa dibantu daftar di balai gak?")
    answer = user.last_reply.plain_text
    assert "Tanyakan dulu ke balai" in answer
    assert "Petugas bisa bantu" not in answer
    english = await english_user(bot, 1602)
    await english.send("can I register in person at the centre?")
    answer = english.last_reply.plain_text
    assert "We have not confirmed whether BBPVP Serang can help you register in person" in answer
    assert "Staff can help you register" not in answer


async def test_the_registration_steps_mention_re_registration_after_the_announcement(
    bot: OfflineBot,
) -> None:
    user = bot.user(1603, language_code="id")
    await user.send("daftar ulang itu apa")
    answer = user.last_reply.plain_text
    assert "Daftar ulang adalah tahap sesudah pengumuman hasil seleksi" in answer
    assert "kapan batasnya" in answer
    await user.send("cara daftar pelatihan gimana ya")
    assert "sesudah pengumuman ada daftar ulang" in user.last_reply.plain_text
    english = await english_user(bot, 1604)
    await english.send("how do I register")
    answer = english.last_reply.plain_text
    assert "re-registration (daftar ulang) followed the announcement" in answer
    await english.send("what do I do after I pass the selection?")
    assert "ask BBPVP Serang whether there is re-registration" in english.last_reply.plain_text


async def test_data_rights_answers_give_the_3x24_hour_deadline_and_review_by_a_person(
    bot: OfflineBot,
) -> None:
    user = bot.user(1605, language_code="id")
    await user.send("apa aja hak saya soal data pribadi?")
    answer = user.last_reply.plain_text
    assert "3×24 jam" in answer
    assert "keberatan atas keputusan yang diambil otomatis (Pasal 10)" in answer
    assert "minta petugas meninjaunya" in answer
    await user.send("data saya aman gak?")
    assert "3×24 jam" in user.last_reply.plain_text
    await user.send("bicara dengan petugas")
    assert "bukan petugas" in user.last_reply.plain_text
    assert "💬 Bicara dengan petugas" in user.buttons
    english = await english_user(bot, 1606)
    await english.send("can a person review my eligibility check result?")
    answer = english.last_reply.plain_text
    assert "within 3×24 hours" in answer
    assert "ask staff to review it" in answer
    await english.send("delete my data")
    assert "within 3×24 hours" in english.last_reply.plain_text


async def test_someone_without_a_ktp_learns_their_nik_is_on_the_kk_or_kia(
    bot: OfflineBot,
) -> None:
    user = bot.user(1607, language_code="id")
    await user.send("anak saya belum punya KTP, NIK nya dari mana")
    answer = user.last_reply.plain_text
    assert "NIK anak tertera di Kartu Keluarga (KK) dan di KIA" in answer
    assert "berbeda dengan NIK Bapak/Ibu" in answer
    assert "Pakai NIK kamu sendiri dari KK" in answer
    english = await english_user(bot, 1608)
    await english.send("I'm 17 and don't have a KTP yet, where do I find my NIK?")
    answer = english.last_reply.plain_text
    assert "Children's NIKs are on the family card (Kartu Keluarga, KK) and on the KIA" in answer
    assert "ask the centre whether you can apply before yours is ready" in answer


async def test_parents_reading_the_school_documents_see_where_the_childs_nik_is(
    bot: OfflineBot,
) -> None:
    user = bot.user(1609, language_code="id")
    await user.send("/sekolahrakyat")
    await user.tap("❓ Pertanyaan orang tua")
    await user.tap("Dokumen apa saja yang perlu disiapkan?")
    assert "NIK anak tertera di KK dan di KIA" in user.last_reply.plain_text
    english = await english_user(bot, 1610)
    await english.send("/sekolahrakyat")
    await english.tap("❓ Questions parents ask")
    await english.tap("Which documents do we need?")
    assert "it is on the KK and on the KIA" in english.last_reply.plain_text


async def test_asking_about_places_gives_them_per_batch_and_per_year(bot: OfflineBot) -> None:
    user = bot.user(1611, language_code="id")
    await user.send("kuotanya berapa kursi tiap angkatan?")
    answer = user.last_reply.plain_text
    assert "sekitar 20.000 kursi per angkatan dan sekitar 70.000 setahun" in answer
    assert "bukan kuota BBPVP Serang" in answer
    english = await english_user(bot, 1612)
    await english.send("how many places are there in each batch?")
    answer = english.last_reply.plain_text
    assert "about 20,000 places per batch and about 70,000 a year" in answer
    assert "(news of February–March 2026)" in answer


async def test_cost_answers_keep_free_but_flag_the_pmi_course_and_kur_pmi(bot: OfflineBot) -> None:
    user = bot.user(1613, language_code="id")
    await user.send("pelatihannya bayar gak kak?")
    answer = user.last_reply.plain_text
    assert "sepenuhnya gratis" in answer
    assert "Pelatihan calon PMI" in answer and "biayanya belum bisa kami pastikan" in answer
    assert "pinjaman KUR PMI" in answer
    english = await english_user(bot, 1614)
    await english.send("is the training free?")
    answer = english.last_reply.plain_text
    assert "entirely free" in answer
    assert "we could not confirm its cost" in answer and "KUR PMI loan" in answer
    await english.send("how much does the PMI training cost?")
    answer = english.last_reply.plain_text
    assert "We could not confirm what the training costs" in answer
    assert "KUR PMI loan" in answer
