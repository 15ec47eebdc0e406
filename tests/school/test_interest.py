"""The Sekolah Rakyat interest form, end to end in both languages: consent (or its refusal),
the parent's details, two children, the summary, the reference and the staff notice."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Update

from bot.config import Settings
from bot.forms.school_interest import next_step, parse_age, step_back
from bot.forms.typed_answers import TypedAnswerError
from bot.navigation import SCHOOL_INTEREST_START
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.offline.standin import TelegramStandIn
from bot.privacy.contact_data import child_name_of, phone_of
from bot.privacy.data_export import personal_data_of
from db.models import Consent, SchoolInterest, SchoolInterestChild, utc_now
from handlers.reminders import purge_expired_data

STAFF_CHAT = -1001234567890
PHONE = "+6281234567890"
MASKED = "+62812*****890"

TEXTS = {
    "en": {
        "agree": "✅ I agree",
        "decline": "✖️ No, I don't agree",
        "consent": (
            "UU 27/2022 Article 25",
            "12 months after you send the request, then deleted; a request left unfinished is "
            "deleted 60 days after its last answer",
            "/mydata",
            "BBPVP Serang, Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, Kota Serang",
        ),
        "declined": "Understood: nothing was recorded. You can still ask the Dinas Sosial or "
        "your PKH facilitator about Sekolah Rakyat, and read more under 🏫 Sekolah Rakyat.",
        "q_name": "✍️ What is your full name?",
        "q_relationship": "👪 What is your relationship to the child?",
        "q_regency": "🏠 Which regency or city do you live in?",
        "q_phone": "📱 Which phone number can you be reached on?",
        "share": "📱 Share my number",
        "saved": f"✅ Number saved: {MASKED}",
        "q_child": "👧 Child {n}\nWhat is the child's first name?",
        "q_age": "🎂 How old is {name}? Type the age in years, for example 9.",
        "q_level": "🎒 Which school level is {name} looking for?",
        "q_more": "Would you like to add another child? (At most 5 children in one request.)",
        "q_dtsen": "📋 Does your family know whether it is listed in DTSEN",
        "mother": "Mother",
        "guardian": "Guardian",
        "sd": "SD (primary school)",
        "smp": "SMP (junior high school)",
        "sma": "SMA (senior high school)",
        "more_yes": "➕ Yes, another child",
        "more_no": "No, that's all",
        "dtsen_unknown": "🤷 We don't know",
        "dtsen_yes": "✅ Yes, we are listed",
        "summary": (
            "Your name: Siti Aminah\nRelationship: Mother\nRegency or city: Kota Serang\n"
            f"Phone: {MASKED}\nListed in DTSEN: Don't know\n"
            "Children:\n• Ani (9, SD)\n• Budi (13, SMP)"
        ),
        "send": "✅ Send my request",
        "reference": r"Your reference: (SR-\d{4}-\d{6})",
        "next": (
            "passes your details on to the Dinas Sosial",
            "Sekolah Rakyat has no open registration: Kemensos decides who is admitted, "
            "through outreach (home visits) and DTSEN data.",
            "There is no academic test.",
            "ask your Dinas Sosial or PKH facilitator (pendamping PKH) directly",
        ),
        "already_sent": "Already sent. Your reference is in the message above; "
        "/mydata shows it too.",
        "back": "‹ Back",
        "cancel": "✖️ Cancel",
        "cancelled": "Request cancelled; what you had typed is deleted. "
        "What would you like to do?",
        "name_invalid": "Please type your name using letters only, for example Siti Aminah.",
        "name_too_long": "That is too long for a name (100 characters at most).",
        "use_buttons": "Please answer with the buttons below.",
        "phone_invalid": "That does not look like an Indonesian mobile number. Please type it "
        "like 0812 3456 7890 or +62 812 3456 7890.",
        "contact_not_own": "That is someone else's contact. Please share your own number with "
        "the button below, or type your number.",
        "media": "I can only read text here. Please answer the question below.",
        "child_name_invalid": "Please type the child's first name in letters, for example Ani.",
        "child_name_too_long": "That is too long (50 characters at most). The first name is "
        "enough, for example Ani.",
        "age_not_number": "Please type the age as a number, for example 9.",
        "age_range": "Sekolah Rakyat is for children aged 4 to 18. Please type an age from 4 "
        "to 18, for example 9.",
        "edit_relationship": "✏️ Relationship",
        "edit_phone": "✏️ Phone",
        "edit_dtsen": "✏️ Listed in DTSEN",
        "child_menu": "What would you like to change about {name}?",
        "edit_age": "✏️ Age",
        "add_child": "➕ Add a child",
        "remove": "🗑 Remove {name}",
        "relationship_line": "Relationship: Guardian",
        "phone_line": "Phone: +62813*****222",
        "dtsen_line": "Listed in DTSEN: Listed",
        "my_data": "Sekolah Rakyat request {code}: Siti Aminah (Mother), Kota Serang, phone "
        f"{PHONE}, DTSEN: Don't know; children: Ani (9, SD), Budi (13, SMP)",
        "delete": "🗑 Delete everything",
        "delete_yes": "🗑 Yes, delete everything",
        "correct": "✏️ Correct my data",
        "phone": "Phone",
        "corrected": "✅ Corrected.",
    },
    "id": {
        "agree": "✅ Saya setuju",
        "decline": "✖️ Tidak setuju",
        "consent": (
            "UU 27/2022 Pasal 25",
            "12 bulan setelah permintaan dikirim, lalu dihapus; permintaan yang belum selesai "
            "dihapus 60 hari setelah jawaban terakhirnya",
            "/mydata",
            "BBPVP Serang, Jl. Raya Pandeglang KM 3, Karundang, Cipocok Jaya, Kota Serang",
        ),
        "declined": "Baik, tidak ada data yang dicatat. Bapak/Ibu tetap bisa bertanya tentang "
        "Sekolah Rakyat ke Dinas Sosial atau pendamping PKH, dan membaca informasinya di menu "
        "🏫 Sekolah Rakyat.",
        "q_name": "✍️ Siapa nama lengkap Bapak/Ibu?",
        "q_relationship": "👪 Apa hubungan Bapak/Ibu dengan anak?",
        "q_regency": "🏠 Bapak/Ibu tinggal di kabupaten atau kota mana?",
        "q_phone": "📱 Di nomor HP berapa Bapak/Ibu bisa dihubungi?",
        "share": "📱 Bagikan nomorku",
        "saved": f"✅ Nomor disimpan: {MASKED}",
        "q_child": "👧 Anak ke-{n}\nSiapa nama depan anak?",
        "q_age": "🎂 Berapa umur {name}? Ketik umurnya dalam tahun, misalnya 9.",
        "q_level": "🎒 {name} ingin masuk jenjang sekolah apa?",
        "q_more": "Apakah Bapak/Ibu ingin menambahkan anak lain? "
        "(Paling banyak 5 anak dalam satu permintaan.)",
        "q_dtsen": "📋 Apakah keluarga Bapak/Ibu tahu sudah terdata di DTSEN",
        "mother": "Ibu",
        "guardian": "Wali",
        "sd": "SD (sekolah dasar)",
        "smp": "SMP (sekolah menengah pertama)",
        "sma": "SMA (sekolah menengah atas)",
        "more_yes": "➕ Ya, tambah anak",
        "more_no": "Tidak, itu saja",
        "dtsen_unknown": "🤷 Tidak tahu",
        "dtsen_yes": "✅ Ya, sudah terdata",
        "summary": (
            "Nama Bapak/Ibu: Siti Aminah\nHubungan: Ibu\nKabupaten/kota: Kota Serang\n"
            f"Nomor HP: {MASKED}\nTerdata di DTSEN: Tidak tahu\n"
            "Anak:\n• Ani (9, SD)\n• Budi (13, SMP)"
        ),
        "send": "✅ Kirim permintaan",
        "reference": r"Nomor referensi Bapak/Ibu: (SR-\d{4}-\d{6})",
        "next": (
            "meneruskan data Bapak/Ibu ke Dinas Sosial",
            "Sekolah Rakyat tidak membuka pendaftaran: Kemensos yang menentukan siapa yang "
            "diterima, lewat penjangkauan (kunjungan ke rumah) dan data DTSEN.",
            "Tidak ada tes akademik.",
            "tanyakan langsung ke Dinas Sosial atau pendamping PKH",
        ),
        "already_sent": "Sudah terkirim. Nomor referensi Bapak/Ibu ada di pesan di atas; "
        "/mydata juga menampilkannya.",
        "back": "‹ Kembali",
        "cancel": "✖️ Batal",
        "cancelled": "Permintaan dibatalkan; semua yang sudah Bapak/Ibu ketik dihapus. "
        "Apa yang ingin Bapak/Ibu lakukan?",
        "name_invalid": "Mohon ketik nama dengan huruf saja, misalnya Siti Aminah.",
        "name_too_long": "Itu terlalu panjang untuk nama (paling banyak 100 karakter).",
        "use_buttons": "Silakan jawab dengan tombol di bawah.",
        "phone_invalid": "Itu sepertinya bukan nomor HP Indonesia. Mohon ketik seperti "
        "0812 3456 7890 atau +62 812 3456 7890.",
        "contact_not_own": "Itu kontak orang lain. Mohon bagikan nomor Bapak/Ibu sendiri dengan "
        "tombol di bawah, atau ketik nomornya.",
        "media": "Di sini saya hanya bisa membaca teks. Silakan jawab pertanyaan di bawah.",
        "child_name_invalid": "Mohon ketik nama depan anak dengan huruf, misalnya Ani.",
        "child_name_too_long": "Itu terlalu panjang (paling banyak 50 karakter). Nama depan "
        "saja sudah cukup, misalnya Ani.",
        "age_not_number": "Mohon ketik umur dengan angka, misalnya 9.",
        "age_range": "Sekolah Rakyat untuk anak berumur 4 sampai 18 tahun. Mohon ketik umur "
        "dari 4 sampai 18, misalnya 9.",
        "edit_relationship": "✏️ Hubungan",
        "edit_phone": "✏️ Nomor HP",
        "edit_dtsen": "✏️ Terdata di DTSEN",
        "child_menu": "Apa yang ingin Bapak/Ibu ubah tentang {name}?",
        "edit_age": "✏️ Umur",
        "add_child": "➕ Tambah anak",
        "remove": "🗑 Hapus {name}",
        "relationship_line": "Hubungan: Wali",
        "phone_line": "Nomor HP: +62813*****222",
        "dtsen_line": "Terdata di DTSEN: Terdata",
        "my_data": "Permintaan Sekolah Rakyat {code}: Siti Aminah (Ibu), Kota Serang, HP "
        f"{PHONE}, DTSEN: Tidak tahu; anak: Ani (9, SD), Budi (13, SMP)",
        "delete": "🗑 Hapus semuanya",
        "delete_yes": "🗑 Ya, hapus semuanya",
        "correct": "✏️ Perbaiki dataku",
        "phone": "Nomor HP",
        "corrected": "✅ Sudah diperbaiki.",
    },
}


@pytest.fixture(params=["en", "id"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def said(user) -> str:  # noqa: ANN001
    """Everything the bot answered to the user's latest action."""
    return "\n".join(reply.plain_text for reply in user.replies)


async def stored(bot: OfflineBot) -> tuple[list[SchoolInterest], list[SchoolInterestChild]]:
    async with bot.application.bot_data["services"].session_factory() as session:
        interests = (await session.scalars(select(SchoolInterest))).all()
        children = (
            await session.scalars(select(SchoolInterestChild).order_by(SchoolInterestChild.id))
        ).all()
    return list(interests), list(children)


def phone(bot: OfflineBot, interest: SchoolInterest) -> str | None:
    """The parent's number as the bot reads it back (it is stored encrypted)."""
    return phone_of(bot.application.bot_data["services"].vault, interest)


def names(bot: OfflineBot, children: list[SchoolInterestChild]) -> list[str | None]:
    vault = bot.application.bot_data["services"].vault
    return [child_name_of(vault, child) for child in children]


async def open_form(user) -> None:  # noqa: ANN001
    await user.send("/start")
    await user.tap_data(SCHOOL_INTEREST_START)


async def fill_parent(user, t: dict) -> None:  # noqa: ANN001
    await user.tap(t["agree"])
    await user.send("Siti Aminah")
    await user.tap(t["mother"])
    await user.tap("Kota Serang")
    await user.share_contact(phone_number=PHONE)


async def fill_child(user, t: dict, name: str, age: str, level: str) -> None:  # noqa: ANN001
    await user.send(name)
    await user.send(age)
    await user.tap(t[level])


async def fill_until_summary(user, t: dict) -> None:  # noqa: ANN001
    await fill_parent(user, t)
    await fill_child(user, t, "Ani", "9", "sd")
    await user.tap(t["more_yes"])
    await fill_child(user, t, "Budi", "13", "smp")
    await user.tap(t["more_no"])
    await user.tap(t["dtsen_unknown"])


async def test_a_parent_with_two_children_sends_a_request(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(901, language_code=lang)
    await open_form(user)
    consent = user.last_reply.plain_text
    assert all(part in consent for part in t["consent"]), consent
    await user.tap(t["agree"])
    assert t["q_name"] in user.last_reply.plain_text
    await user.send("Siti Aminah")
    assert t["q_relationship"] in user.last_reply.plain_text
    await user.tap(t["mother"])
    assert t["q_regency"] in user.last_reply.plain_text
    await user.tap("Kota Serang")
    assert t["q_phone"] in user.replies[0].plain_text
    assert user.last_reply.buttons == [t["share"]]
    await user.share_contact(phone_number=PHONE)
    assert user.replies[0].plain_text == t["saved"]
    assert t["q_child"].format(n=1) in user.last_reply.plain_text
    await user.send("Ani")
    assert t["q_age"].format(name="Ani") in user.last_reply.plain_text
    await user.send("9")
    assert t["q_level"].format(name="Ani") in user.last_reply.plain_text
    await user.tap(t["sd"])
    assert t["q_more"] in user.last_reply.plain_text
    await user.tap(t["more_yes"])
    assert t["q_child"].format(n=2) in user.last_reply.plain_text
    await fill_child(user, t, "Budi", "13", "smp")
    await user.tap(t["more_no"])
    assert t["q_dtsen"] in user.last_reply.plain_text
    await user.tap(t["dtsen_unknown"])
    assert t["summary"] in user.last_reply.plain_text
    await user.tap(t["send"])
    confirmation = user.last_reply.plain_text
    reference = re.search(t["reference"], confirmation)
    assert reference, confirmation
    assert all(part in confirmation for part in t["next"]), confirmation

    [interest], children = await stored(bot)
    assert (interest.status, interest.code, interest.step) == ("submitted", reference[1], None)
    assert (interest.parent_name, interest.relationship, interest.regency) == (
        "Siti Aminah",
        "mother",
        "3673",
    )
    assert (phone(bot, interest), interest.phone_masked, interest.in_dtsen) == (
        PHONE,
        MASKED,
        "unknown",
    )
    assert names(bot, children) == ["Ani", "Budi"]
    assert [(c.interest_id, c.age, c.level) for c in children] == [
        (interest.id, 9, "sd"),
        (interest.id, 13, "smp"),
    ]
    async with bot.application.bot_data["services"].session_factory() as session:
        consent_row = await session.get(Consent, interest.consent_id)
    assert (consent_row.purpose, consent_row.version, consent_row.locale) == (
        "school_interest",
        "sri-1",
        lang,
    )
    notice = bot.standin.history(STAFF_CHAT)[-1].plain_text
    assert reference[1] in notice and "Siti Aminah" in notice and "Kota Serang" in notice
    assert MASKED in notice and PHONE not in notice and "81234567890" not in notice
    assert "Ani (9, SD), Budi (13, SMP)" in notice
    if lang == "id":  # staff read the centre's default language
        assert "Anak: Ani (9, SD), Budi (13, SMP)\nTerdata di DTSEN: Tidak tahu" in notice


async def test_refusing_consent_stores_nothing(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(902, language_code=lang)
    await open_form(user)
    await user.tap(t["decline"])
    assert user.last_reply.plain_text == t["declined"]
    assert await stored(bot) == ([], [])
    async with bot.application.bot_data["services"].session_factory() as session:
        assert (await session.scalars(select(Consent))).all() == []
    await user.send("Siti Aminah")  # typed text afterwards is not taken as an answer
    assert await stored(bot) == ([], [])


async def test_every_mistake_gets_a_hint_with_an_example(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(903, language_code=lang)
    await open_form(user)
    await user.tap(t["agree"])
    for typed, hint in [(" . - ", "name_invalid"), ("12345", "name_invalid")]:
        await user.send(typed)
        assert t[hint] in user.last_reply.plain_text, typed
        assert t["q_name"] in user.last_reply.plain_text
    await user.send("Siti " * 30)
    assert t["name_too_long"] in user.last_reply.plain_text
    await user.send("Siti Aminah")
    await user.send("ibu")  # typed where buttons are expected
    assert t["use_buttons"] in user.last_reply.plain_text
    await user.tap(t["mother"])
    await user.tap("Kota Serang")
    await user.send("12345")
    assert t["phone_invalid"] in said(user)
    await user.share_contact(phone_number="+6281299998888", contact_user_id=999)
    assert t["contact_not_own"] in said(user)
    await user.send_sticker()
    assert t["media"] in said(user)
    await user.send_photo()
    assert t["media"] in said(user)
    await user.share_contact(phone_number=PHONE)
    assert user.replies[0].plain_text == t["saved"]
    for typed, hint in [
        ("123", "child_name_invalid"),
        ("<b>Ani</b>", "child_name_invalid"),
        ("Ani" * 20, "child_name_too_long"),
    ]:
        await user.send(typed)
        assert t[hint] in user.last_reply.plain_text, typed
        assert t["q_child"].format(n=1) in user.last_reply.plain_text
    await user.send("Ani")
    for typed, hint in [
        ("3", "age_range"),
        ("sepuluh", "age_not_number"),
        ("19", "age_range"),
        ("9.5", "age_not_number"),
    ]:
        await user.send(typed)
        assert t[hint] in user.last_reply.plain_text, typed
        assert t["q_age"].format(name="Ani") in user.last_reply.plain_text
    await user.send("10 tahun")
    assert t["q_level"].format(name="Ani") in user.last_reply.plain_text
    [interest], [child] = await stored(bot)
    assert (phone(bot, interest), names(bot, [child]), child.age) == (PHONE, ["Ani"], 10)


async def test_any_answer_can_be_changed_from_the_summary(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(904, language_code=lang)
    await open_form(user)
    await fill_until_summary(user, t)
    await user.tap(t["edit_relationship"])
    assert t["q_relationship"] in user.last_reply.plain_text
    await user.tap(t["guardian"])
    assert t["relationship_line"] in user.last_reply.plain_text
    await user.tap(t["edit_phone"])
    assert user.last_reply.buttons == [t["share"]]
    await user.send("0813 1111 2222")
    assert t["phone_line"] in user.last_reply.plain_text
    await user.tap("✏️ Ani")
    assert t["child_menu"].format(name="Ani") in user.last_reply.plain_text
    assert t["remove"].format(name="Ani") in user.buttons
    await user.tap(t["edit_age"])
    assert t["q_age"].format(name="Ani") in user.last_reply.plain_text
    await user.send("10")
    assert "• Ani (10, SD)" in user.last_reply.plain_text
    await user.tap(t["edit_dtsen"])
    await user.tap(t["dtsen_yes"])
    assert t["dtsen_line"] in user.last_reply.plain_text
    await user.tap(t["add_child"])
    assert t["q_child"].format(n=3) in user.last_reply.plain_text
    await fill_child(user, t, "Citra", "15", "sma")
    assert "• Ani (10, SD)\n• Budi (13, SMP)\n• Citra (15, SMA)" in user.last_reply.plain_text
    await user.tap("✏️ Budi")
    await user.tap(t["remove"].format(name="Budi"))
    assert "• Ani (10, SD)\n• Citra (15, SMA)\n" in user.last_reply.plain_text + "\n"
    await user.tap(t["send"])
    assert re.search(t["reference"], user.last_reply.plain_text)
    [interest], children = await stored(bot)
    assert (interest.relationship, phone(bot, interest), interest.in_dtsen) == (
        "guardian",
        "+6281311112222",
        "yes",
    )
    assert names(bot, children) == ["Ani", "Citra"]
    assert [(c.age, c.level) for c in children] == [(10, "sd"), (15, "sma")]


async def test_back_goes_one_question_back_keeping_answers(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(905, language_code=lang)
    await open_form(user)
    await user.tap(t["agree"])
    await user.send("Siti Aminah")
    await user.tap(t["back"])
    assert t["q_name"] in user.last_reply.plain_text
    await user.tap(t["back"])  # from the first question, back to the consent
    assert all(part in user.last_reply.plain_text for part in t["consent"])
    await user.tap(t["agree"])
    assert t["q_name"] in user.last_reply.plain_text
    await user.send("Siti A.")
    await user.tap(t["mother"])
    await user.tap("Kota Serang")
    await user.tap(t["back"])  # leaving the phone question takes its keyboard away
    assert user.replies[0].plain_text == "↩️"
    assert t["q_regency"] in user.last_reply.plain_text
    await user.tap("Kota Serang")
    await user.share_contact(phone_number=PHONE)
    await user.send("Ani")
    await user.tap(t["back"])
    assert t["q_child"].format(n=1) in user.last_reply.plain_text
    await user.send("Ana")
    assert t["q_age"].format(name="Ana") in user.last_reply.plain_text
    [interest], [child] = await stored(bot)
    assert (interest.parent_name, phone(bot, interest)) == ("Siti A.", PHONE)
    assert names(bot, [child]) == ["Ana"]


async def test_cancel_deletes_the_draft_and_the_children(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(906, language_code=lang)
    await open_form(user)
    await fill_parent(user, t)
    await user.send("Ani")
    await user.tap(t["cancel"])
    assert user.last_reply.plain_text == t["cancelled"]
    assert await stored(bot) == ([], [])


async def test_a_double_tap_on_send_makes_one_request(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(907, language_code=lang)
    await open_form(user)
    await fill_until_summary(user, t)
    summary_id = user.last_reply.message_id
    await user.tap(t["send"])
    await user.tap_data("sri:submit", message_id=summary_id)
    assert user.answered_callbacks[-1] == t["already_sent"]
    assert re.search(t["reference"], user.last_reply.plain_text)  # still on screen
    interests, children = await stored(bot)
    assert [i.status for i in interests] == ["submitted"] and len(children) == 2
    notices = [m for m in bot.standin.history(STAFF_CHAT) if "SR-" in m.plain_text]
    assert len(notices) == 1


async def test_a_restart_mid_form_resumes_at_the_same_question(
    settings: Settings, lang: str
) -> None:
    t = TEXTS[lang]
    standin = TelegramStandIn()
    async with offline_bot(settings, standin) as bot:
        user = bot.user(908, language_code=lang)
        await open_form(user)
        await fill_parent(user, t)
        await user.send("Ani")
        await user.send("/start")  # a detour to the menu before the restart
    async with offline_bot(settings, standin) as bot:
        user = bot.user(908, language_code=lang)
        await user.send("9")
        assert t["q_level"].format(name="Ani") in user.last_reply.plain_text
        await user.tap(t["back"])
        assert t["q_age"].format(name="Ani") in user.last_reply.plain_text
        await user.tap_data(SCHOOL_INTEREST_START)  # the page's button also comes back here
        assert t["q_age"].format(name="Ani") in user.last_reply.plain_text


async def test_my_data_shows_corrects_and_deletes_the_request(bot: OfflineBot, lang: str) -> None:
    t = TEXTS[lang]
    user = bot.user(909, language_code=lang)
    await open_form(user)
    await fill_until_summary(user, t)
    await user.tap(t["send"])
    code = re.search(t["reference"], user.last_reply.plain_text)[1]
    await user.send("/mydata")
    assert t["my_data"].format(code=code) in user.last_reply.plain_text
    async with bot.application.bot_data["services"].session_factory() as session:
        [exported] = (
            await personal_data_of(session, 909, bot.application.bot_data["services"].vault)
        )["school_interests"]
    assert (exported["code"], exported["phone"]) == (code, PHONE)
    assert exported["children"] == [
        {"first_name": "Ani", "age": 9, "level": "sd"},
        {"first_name": "Budi", "age": 13, "level": "smp"},
    ]
    await user.tap(t["correct"])
    await user.tap(t["phone"])
    await user.send("0813 1111 2222")
    assert user.last_reply.plain_text == t["corrected"]
    [interest], _ = await stored(bot)
    assert (phone(bot, interest), interest.phone_masked) == ("+6281311112222", "+62813*****222")
    await user.send("/mydata")
    await user.tap(t["delete"])
    await user.tap(t["delete_yes"])
    assert await stored(bot) == ([], [])


async def test_an_edited_message_is_not_taken_as_an_answer(bot: OfflineBot) -> None:
    user = bot.user(910, language_code="en")
    await open_form(user)
    await user.tap(TEXTS["en"]["agree"])
    now = int(time.time())
    edited = {
        "message_id": 1,
        "date": now,
        "edit_date": now,
        "chat": bot.standin.chat_json(user.chat_id),
        "from": user.user_json,
        "text": "Siti Aminah",
    }
    update = Update.de_json({"update_id": 10**9, "edited_message": edited}, bot.application.bot)
    await bot.application.process_update(update)
    [interest], _ = await stored(bot)
    assert interest.parent_name is None and interest.step == "name"


async def test_the_sekolah_rakyat_page_leads_to_the_form(bot: OfflineBot) -> None:
    user = bot.user(911, language_code="en")
    await user.send("/sekolahrakyat")
    await user.tap("🙋 I would like to be contacted")
    assert "UU 27/2022 Article 25" in user.last_reply.plain_text


def test_an_age_is_a_whole_number_from_4_to_18() -> None:
    assert [parse_age(text) for text in ("4", " 9 ", "10 tahun", "12 thn", "18 years")] == [
        4,
        9,
        10,
        12,
        18,
    ]
    for text, reason in [
        ("3", "age_range"),
        ("19", "age_range"),
        ("sepuluh", "age_not_number"),
        ("9.5", "age_not_number"),
        ("", "age_not_number"),
    ]:
        with pytest.raises(TypedAnswerError) as error:
            parse_age(text)
        assert error.value.reason == reason, text


def test_the_next_question_follows_from_the_answers() -> None:
    draft = SchoolInterest(parent_name="Siti", relationship="mother", regency="3673")
    assert next_step(draft, []) == "phone"
    draft.phone_encrypted = "a token"
    assert next_step(draft, []) == "child_name"
    ani = SchoolInterestChild(id=7, first_name_encrypted="a token")
    assert next_step(draft, [ani]) == "child_age:7"
    ani.age, ani.level = 9, "sd"
    assert next_step(draft, [ani]) == "more_children"
    five = [
        SchoolInterestChild(id=n, first_name_encrypted="a token", age=9, level="sd")
        for n in range(5)
    ]
    assert next_step(draft, five) == "dtsen"
    draft.in_dtsen = "no"
    assert next_step(draft, [ani]) == "summary"
    draft.step = "child_name:7"
    step_back(draft, [ani])
    assert draft.step == "phone"


async def test_retention_deletes_requests_a_year_after_sending(bot: OfflineBot) -> None:
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session, session.begin():
        interest = SchoolInterest(
            user_id=None,
            status="submitted",
            parent_name="Ibu Sari",
            submitted_at=utc_now() - timedelta(days=366),
        )
        session.add(interest)
        await session.flush()
        name = bot.application.bot_data["services"].vault.encrypt("Ani")
        session.add(SchoolInterestChild(interest_id=interest.id, first_name_encrypted=name, age=9))
        session.add(
            SchoolInterest(
                user_id=None, status="submitted", parent_name="Ibu Baru", submitted_at=utc_now()
            )
        )
    await purge_expired_data(bot.application)
    async with sessions() as session:
        names = (await session.scalars(select(SchoolInterest.parent_name))).all()
        children = (await session.scalars(select(SchoolInterestChild))).all()
    assert names == ["Ibu Baru"] and children == []
