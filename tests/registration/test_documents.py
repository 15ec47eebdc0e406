"""Documents after the form, end to end: each kind accepted and refused with an example,
skipping, coming back from /status, staff viewing the files and asking for a missing one,
the export, /mydata and deletion."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.offline.group_driver import GroupMember
from bot.offline.offline_bot import OfflineBot, offline_bot
from db.models import AuditEntry, Registration, RegistrationDocument, utc_now
from handlers.reminders import purge_expired_data
from tests.registration.test_after_registering import register_siti

ADMIN, STAFF = 9001, 9002
MB = 1024 * 1024
PDF = b"%PDF-1.4 scanned"


async def stored_documents(bot: OfflineBot) -> list[RegistrationDocument]:
    async with bot.application.bot_data["services"].session_factory() as session:
        query = select(RegistrationDocument).order_by(RegistrationDocument.id)
        return list((await session.scalars(query)).all())


async def audit_actions(bot: OfflineBot) -> list[str]:
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(AuditEntry.action))).all())


async def register_in_english(user) -> str:  # noqa: ANN001
    """Register (the form in Indonesian), switch to English, and start from /status."""
    code = await register_siti(user)
    await user.send("/language")
    await user.tap("🇬🇧 English")
    await user.send("/status")
    await user.tap("📎 Send KTP (ID card)")
    assert "📎 Document 1 of 4: KTP (ID card)" in user.last_reply.plain_text
    return code


async def test_after_the_form_each_document_is_asked_in_turn(bot: OfflineBot) -> None:
    user = bot.user(1101, language_code="id")
    await register_siti(user)
    shown = user.last_reply.plain_text
    assert "✅ Pendaftaran diterima." in shown
    assert "📎 Dokumen 1 dari 4: KTP" in shown
    assert "Kirim foto KTP-mu, atau file PDF-nya (paling besar 2 MB)." in shown
    assert user.buttons == ["⏭ Kirim nanti", "🏠 Menu utama"]

    await user.send_photo(size=900_000)
    assert "✅ Diterima: KTP." in user.last_reply.plain_text
    assert "📎 Dokumen 2 dari 4: Ijazah atau SKL" in user.last_reply.plain_text
    await user.send_document("ijazah.pdf", PDF)
    assert "✅ Diterima: Ijazah atau SKL." in user.last_reply.plain_text
    assert "📎 Dokumen 3 dari 4: Pas foto" in user.last_reply.plain_text
    # An image sent as a file (uncompressed) is a photo too.
    await user.send_document("pasfoto.png", b"\x89PNG-photo", mime_type="image/png")
    assert "✅ Diterima: Pas foto." in user.last_reply.plain_text
    assert "Yang ini tidak wajib." in user.last_reply.plain_text
    await user.tap("⏭ Lewati")
    assert "Sudah lengkap" in user.last_reply.plain_text

    documents = await stored_documents(bot)
    assert [(d.code, d.kind) for d in documents] == [
        ("ktp", "photo"),
        ("ijazah", "document"),
        ("pas_foto", "document"),
    ]
    # The largest PhotoSize's file id, and only ids: the bot downloads nothing.
    assert documents[0].file_id.endswith("-1280") and documents[0].size == 900_000
    assert bot.standin.calls_to("getFile") == []


async def test_what_cannot_be_the_document_is_refused_with_an_example(bot: OfflineBot) -> None:
    user = bot.user(1102, language_code="id")
    await register_in_english(user)
    example = "Send a photo of your KTP (ID card), or the PDF file (at most 2 MB)."

    await user.send_sticker()
    assert user.last_reply.plain_text.startswith("I can't use that as your KTP (ID card).")
    assert example in user.last_reply.plain_text
    await user.send_voice()
    assert example in user.last_reply.plain_text
    await user.send_document("ktp.docx", b"PK-docx")
    assert example in user.last_reply.plain_text
    await user.send("here it is")
    assert example in user.last_reply.plain_text
    await user.send_document("ktp.pdf", b"%PDF" + b"0" * (2 * MB))
    assert "That file is too large for KTP (ID card)." in user.last_reply.plain_text
    assert await stored_documents(bot) == []

    await user.send_document("ktp.pdf", PDF)
    await user.send_document("ijazah.pdf", PDF)
    passport_only = "Send a photo of your Passport photo (at most 2 MB); a PDF cannot be used"
    await user.send_document("photo.pdf", PDF)
    assert "I can't use that as your Passport photo." in user.last_reply.plain_text
    assert passport_only in user.last_reply.plain_text
    await user.send_photo(size=3 * MB)
    assert "That file is too large for Passport photo." in user.last_reply.plain_text
    assert [d.code for d in await stored_documents(bot)] == ["ktp", "ijazah"]


async def test_a_question_typed_at_a_document_is_answered_then_asked_again(
    bot: OfflineBot,
) -> None:
    user = bot.user(1103, language_code="id")
    await register_siti(user)
    await user.send("berapa biayanya?")
    first, last = user.replies[0].plain_text, user.last_reply.plain_text
    assert "Dokumen 1 dari 4: KTP" not in first
    assert "📎 Dokumen 1 dari 4: KTP" in last


async def test_later_then_back_from_status_days_later(settings: Settings) -> None:
    async with offline_bot(settings) as bot:
        user = bot.user(1104, language_code="id")
        await register_siti(user)
        await user.tap("⏭ Kirim nanti")
        assert "📎 Dokumen 2 dari 4: Ijazah atau SKL" in user.last_reply.plain_text
        await user.tap("⏭ Kirim nanti")
        await user.tap("⏭ Kirim nanti")
        await user.tap("⏭ Lewati")
        assert "Masih diperlukan: KTP, Ijazah atau SKL, Pas foto." in user.last_reply.plain_text
        await user.send("/menu")
    # A restart later: the applicant comes back through /status.
    async with offline_bot(settings) as bot:
        user = bot.user(1104, language_code="id")
        await user.send("/status")
        shown = user.last_reply.plain_text
        assert "Dokumen: — KTP, — Ijazah atau SKL, — Pas foto" in shown
        assert "📎 Kirim Pas foto" in user.buttons
        await user.tap("📎 Kirim Pas foto")
        assert "📎 Dokumen 3 dari 4: Pas foto" in user.last_reply.plain_text
        await user.send_photo()
        assert "✅ Diterima: Pas foto." in user.last_reply.plain_text
        assert "Dokumen 4 dari 4" in user.last_reply.plain_text
        await user.send("/status")
        assert "✅ Pas foto" in user.last_reply.plain_text
        assert "📎 Kirim Pas foto" not in user.buttons


async def test_the_menu_or_status_ends_the_document_step(bot: OfflineBot) -> None:
    user = bot.user(1105, language_code="id")
    await register_siti(user)
    await user.tap("🏠 Menu utama")
    await user.send_photo()
    assert await stored_documents(bot) == []
    assert "Dokumen" not in user.last_reply.plain_text
    await user.send("/status")
    await user.tap("📎 Kirim KTP")
    await user.send("/status")
    assert "📎 Kirim KTP" in user.buttons
    await user.send_photo()
    assert await stored_documents(bot) == []


async def test_a_resend_replaces_the_document(bot: OfflineBot) -> None:
    user = bot.user(1106, language_code="id")
    await register_siti(user)
    await user.send_photo()
    await user.send("/status")
    await user.tap("📎 Kirim Ijazah atau SKL")
    await user.send_document("ijazah.pdf", PDF)
    before = {d.code: d.file_id for d in await stored_documents(bot)}
    await user.send("/status")
    await user.tap("📎 Kirim Pas foto")
    await user.send_photo()
    # A forged button for a document already sent asks it again; the new file replaces it.
    await user.tap_data(f"doc:send:{(await stored_documents(bot))[0].registration_id}:ktp")
    await user.send_photo()
    after = {d.code: d.file_id for d in await stored_documents(bot)}
    assert len(after) == 3 and after["ktp"] != before["ktp"]
    assert after["ijazah"] == before["ijazah"]


async def test_another_users_registration_cannot_be_sent_to(bot: OfflineBot) -> None:
    siti = bot.user(1107, language_code="id")
    code = await register_siti(siti)
    async with bot.application.bot_data["services"].session_factory() as session:
        query = select(Registration.id).where(Registration.code == code)
        registration_id = (await session.execute(query)).scalar_one()
    other = bot.user(1108, language_code="id")
    await other.send("/start")
    await other.tap_data(f"doc:send:{registration_id}:ktp")
    assert "sudah tidak diperlukan" in other.last_reply.plain_text
    await other.send_photo()
    assert await stored_documents(bot) == []


async def test_staff_see_presence_get_the_files_and_ask_for_a_missing_one(
    settings: Settings,
) -> None:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as bot:
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        user = bot.user(1109, language_code="id")
        code = await register_in_english(user)
        await user.send_photo()
        await user.send_document("ijazah.pdf", PDF)
        await user.tap("⏭ Send it later")
        await user.tap("⏭ Skip")
        ktp, ijazah = await stored_documents(bot)

        staff = bot.user(STAFF, language_code="en")
        await staff.send("/registrations")
        await staff.tap(code)
        card = staff.last_reply.plain_text
        assert "Documents:\n✅ KTP (ID card)\n✅ Diploma (ijazah) or SKL\n— Passport photo" in card
        assert "— Health certificate (optional)" in card
        await staff.tap("📎 Documents")
        files = staff.replies
        assert [f.raw["photo"][-1]["file_id"] for f in files if "photo" in f.raw] == [ktp.file_id]
        assert [f.raw["document"]["file_id"] for f in files if "document" in f.raw] == [
            ijazah.file_id
        ]
        assert [f.plain_text for f in files] == [
            f"KTP (ID card) · {code}",
            f"Diploma (ijazah) or SKL · {code}",
        ]
        assert "registration.documents" in await audit_actions(bot)

        await staff.tap("📨 Ask for a document")
        assert staff.buttons == ["Passport photo", "Health certificate", "✖️ Cancel"]
        await staff.tap("Passport photo")
        assert "📨 Asked for Passport photo" in staff.replies[-1].plain_text
        assert "registration.ask_document" in await audit_actions(bot)
        asked = bot.standin.history(user.chat_id)[-1]
        assert f"The centre asks for a document for your registration {code}" in (asked.plain_text)
        await user.tap("📎 Send Passport photo")
        assert "📎 Document 3 of 4: Passport photo" in user.last_reply.plain_text
        await user.send_photo()
        assert "✅ Received: Passport photo." in user.last_reply.plain_text
        assert [d.code for d in await stored_documents(bot)] == ["ktp", "ijazah", "pas_foto"]

        await staff.send("/registrations")
        await staff.tap("📄 XLSX")
        filename, content = staff.last_reply.document  # type: ignore[misc]
        sheet = load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[1]]
        row = [cell.value for cell in sheet[2]]
        assert row[header.index("Documents")] == "ktp, ijazah, pas_foto"


async def test_non_staff_cannot_get_the_files(bot: OfflineBot) -> None:
    user = bot.user(1110, language_code="id")
    await register_siti(user)
    await user.send_photo()
    registration_id = (await stored_documents(bot))[0].registration_id
    await user.tap_data(f"rv:dc:{registration_id}:1")
    assert user.answered_callbacks[-1] == "Ini khusus untuk petugas balai."
    assert bot.standin.calls_to("sendPhoto") == []


async def test_mydata_lists_the_documents_and_deletion_removes_them(bot: OfflineBot) -> None:
    user = bot.user(1111, language_code="id")
    await register_siti(user)
    await user.send_photo()
    await user.send("/mydata")
    assert "Dokumen terkirim" in user.last_reply.plain_text
    assert "KTP (" in user.last_reply.plain_text
    await user.tap("🗑 Hapus semuanya")
    await user.tap("🗑 Ya, hapus semuanya")
    assert await stored_documents(bot) == []
    async with bot.application.bot_data["services"].session_factory() as session:
        count = select(func.count()).select_from(RegistrationDocument)
        assert (await session.execute(count)).scalar_one() == 0
    await user.send("/mydata")
    assert "Dokumen terkirim" not in user.last_reply.plain_text


async def test_documents_asked_for_in_the_staff_group_go_to_the_private_chat(
    settings: Settings,
) -> None:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as bot:
        user = bot.user(1112, language_code="id")
        code = await register_siti(user)
        await user.send_photo()
        staff_chat = settings.staff_chat_id or 0
        admin = GroupMember(
            bot.application,
            bot.standin,
            chat_id=staff_chat,
            user_id=ADMIN,
            forum=False,
            language_code="en",
        )
        await admin.say("/registrations")
        await admin.tap(code)
        await admin.tap("📎 Documents")
        assert admin.answered_callbacks[-1] == (
            "The documents are in your private chat with the bot."
        )
        assert not any(sent.photo for sent in bot.standin.history(staff_chat))
        [photo] = [sent for sent in bot.standin.history(ADMIN) if sent.photo]
        assert photo.plain_text == f"KTP (ID card) · {code}"


async def test_retention_forgets_the_documents_with_the_personal_data(bot: OfflineBot) -> None:
    user = bot.user(1113, language_code="id")
    await register_siti(user)
    await user.send_photo()
    sessions = bot.application.bot_data["services"].session_factory
    async with sessions() as session, session.begin():
        await session.execute(
            update(Registration).values(
                status="rejected", status_changed_at=utc_now() - timedelta(days=366)
            )
        )
    await purge_expired_data(bot.application)
    assert await stored_documents(bot) == []


async def test_a_document_is_never_taken_in_a_group(bot: OfflineBot) -> None:
    user = bot.user(1114, language_code="id")
    code = await register_siti(user)
    async with bot.application.bot_data["services"].session_factory() as session:
        query = select(Registration.id).where(Registration.code == code)
        registration_id = (await session.execute(query)).scalar_one()
    member = GroupMember(bot.application, bot.standin, chat_id=-100555, user_id=1114, forum=False)
    await member.say("/start")
    await member.tap_data(f"doc:send:{registration_id}:ktp")
    await member.send_photo()
    assert await stored_documents(bot) == []
    assert not any("Dokumen 1 dari 4" in sent.plain_text for sent in bot.standin.history(-100555))
