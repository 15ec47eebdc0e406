"""/campaigns: staff name a campaign, get a link and a printable QR code, and see the people
who start the bot through it; codes are readable, unique and never a reserved deep link."""

import io
from collections.abc import AsyncIterator

import pytest
import segno
from PIL import Image
from sqlalchemy import select

from bot.config import Settings
from bot.offline.offline_bot import OfflineBot, offline_bot
from bot.stats.campaigns import (
    CODE_LENGTH,
    QR_BORDER,
    QR_SCALE,
    RESERVED_CODES,
    code_stem,
    free_code,
    qr_png,
    slug_of,
    split_name_and_code,
)
from db.campaigns import create_campaign
from db.models import AuditEntry, Campaign
from handlers.school.about import DEEP_LINKS

ADMIN, STAFF = 9001, 9002
LINK = "https://t.me/vokasi_test_bot?start=kunjungan-smkn-1-serang-12-des"
PROMPT_START = "📣 Type the campaign's name, for example «Kunjungan SMKN 1 Serang 12 Des»."


@pytest.fixture
async def console(settings: Settings) -> AsyncIterator[OfflineBot]:
    async with offline_bot(settings.model_copy(update={"admin_ids": (ADMIN,)})) as running:
        await running.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        yield running


def test_a_code_is_made_from_the_name_and_kept_free_of_taken_and_reserved_ones() -> None:
    assert slug_of("Kunjungan SMKN 1 Serang 12 Des") == "kunjungan-smkn-1-serang-12-des"
    assert slug_of("Pameran Kerja — Cilegon, Desember 2026!") == "pameran-kerja-cilegon-desember"
    assert slug_of("🎉🎉") == "campaign"
    assert free_code("poster", {"poster", "poster-2"}) == "poster-3"
    assert free_code("sekolahrakyat", set()) == "sekolahrakyat-2"
    long_taken = "a" * 32
    assert free_code(long_taken, {long_taken}) == "a" * 30 + "-2"
    # The Sekolah Rakyat links are answered before /start: a campaign there is never counted.
    assert set(DEEP_LINKS) <= RESERVED_CODES


def test_the_taken_codes_looked_up_cover_every_shortened_code_free_code_makes() -> None:
    # A name whose code is at the 32-character limit: "-2" and later numbers shorten it, so
    # the codes already taken must be looked up by the start they all share.
    slug = slug_of("Kunjungan SMKN 1 Serang Desember")
    assert len(slug) == CODE_LENGTH
    stored = {"kunjungan-smkn-1-serang-des", "other"}
    for _ in range(120):
        taken = {code for code in stored if code.startswith(code_stem(slug))}
        code = free_code(slug, taken)
        assert code not in stored and len(code) <= CODE_LENGTH
        stored.add(code)
    assert {slug, "kunjungan-smkn-1-serang-desemb-2", "kunjungan-smkn-1-serang-desem-10"} <= stored
    assert "kunjungan-smkn-1-serang-dese-100" in stored


def test_only_a_valid_code_after_the_last_bar_is_taken_as_the_code() -> None:
    assert split_name_and_code(" Poster  Pasar Rau | Poster-Rau ") == (
        "Poster Pasar Rau",
        "poster-rau",
    )
    assert split_name_and_code("Diskon | 50% OFF") == ("Diskon | 50% OFF", "")
    assert split_name_and_code("Kelas A|B | kelas-ab") == ("Kelas A|B", "kelas-ab")
    assert split_name_and_code("Tanpa kode") == ("Tanpa kode", "")


def test_the_qr_code_png_holds_exactly_the_links_symbol_with_its_quiet_zone() -> None:
    image = Image.open(io.BytesIO(qr_png(LINK))).convert("L")
    matrix = segno.make(LINK, error="m").matrix
    modules = len(matrix) + 2 * QR_BORDER
    assert image.size == (modules * QR_SCALE, modules * QR_SCALE)
    assert image.size[0] >= 600  # sharp when printed at a few centimetres

    def dark(row: int, column: int) -> bool:
        centre = (column * QR_SCALE + QR_SCALE // 2, row * QR_SCALE + QR_SCALE // 2)
        return image.getpixel(centre) < 128

    read = [
        [dark(row + QR_BORDER, column + QR_BORDER) for column in range(len(matrix))]
        for row in range(len(matrix))
    ]
    assert read == [[bool(module) for module in row] for row in matrix]
    assert not any(dark(row, column) for row in range(QR_BORDER) for column in range(modules))


async def create(staff, text: str) -> None:  # noqa: ANN001
    await staff.send("/campaigns")
    await staff.tap("➕ New campaign")
    assert staff.last_reply.plain_text.startswith(PROMPT_START)
    await staff.send(text)


async def test_staff_create_a_campaign_and_its_sign_ups_are_counted(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await staff.send("/campaigns")
    assert staff.last_reply.plain_text.startswith("📣 Campaigns\nNo campaigns yet.")
    await create(staff, "Kunjungan SMKN 1 Serang 12 Des")
    created, qr = staff.replies
    assert created.plain_text.startswith(
        "✅ Campaign created: Kunjungan SMKN 1 Serang 12 Des\n"
        f"Code: kunjungan-smkn-1-serang-12-des\nLink: {LINK}\n"
    )
    assert qr.document is not None and qr.plain_text == "Kunjungan SMKN 1 Serang 12 Des"
    filename, content = qr.document
    assert filename == "qr-kunjungan-smkn-1-serang-12-des.png" and content == qr_png(LINK)
    async with console.application.bot_data["services"].session_factory() as session:
        [entry] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "campaign.create"))
        ).all()
    assert (entry.actor_id, entry.subject) == (STAFF, "kunjungan-smkn-1-serang-12-des")

    # Two pupils open the link; one of them twice, and someone else comes without it.
    for user_id in (811, 812, 811):
        await console.user(user_id).send("/start kunjungan-smkn-1-serang-12-des")
    await console.user(813).send("/start")
    await staff.send("/campaigns")
    assert staff.last_reply.plain_text == (
        "📣 Campaigns\n\nKunjungan SMKN 1 Serang 12 Des (kunjungan-smkn-1-serang-12-des)\n"
        "Sign-ups: 2 · submitted: 0"
    )
    await staff.tap("📣 Kunjungan SMKN 1 Serang 12 Des")
    card, funnel = staff.replies
    assert card.document is not None and card.document[1] == qr_png(LINK)
    assert f"Link: {LINK}" in card.plain_text and "Sign-ups: 2 · submitted: 0" in card.plain_text
    assert funnel.photo_content is not None and funnel.photo_content.startswith(b"\x89PNG")
    assert funnel.plain_text.startswith(
        "📊 Funnel: campaign «Kunjungan SMKN 1 Serang 12 Des»\nStarted: 2\n"
    )
    assert staff.buttons == ["🔗 Link to one programme", "◀️ Campaigns"]


async def test_codes_staff_type_are_checked_and_names_give_unique_codes(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await create(staff, "Poster <Pasar> Rau | Poster-Rau")
    assert "?start=poster-rau\n" in staff.replies[0].plain_text
    assert staff.replies[0].plain_text.startswith("✅ Campaign created: Poster <Pasar> Rau")
    await staff.send("/campaigns")
    await staff.tap("➕ New campaign")
    # A refused name or code asks again, and the next answer is still taken as the name.
    for typed, problem in [
        ("Poster lagi | poster-rau", "⚠️ The code «poster-rau» is already used or reserved."),
        ("Sekolah | sekolahrakyat", "⚠️ The code «sekolahrakyat» is already used or reserved."),
        ("   | abc", "⚠️ The name must be 1 to 100 characters."),
        ("x" * 101, "⚠️ The name must be 1 to 100 characters."),
    ]:
        await staff.send(typed)
        assert staff.last_reply.plain_text.startswith(problem), typed
    await staff.send("Poster Pasar Rau")
    assert "?start=poster-pasar-rau\n" in staff.replies[0].plain_text
    await create(staff, "Poster Pasar Rau")
    assert "?start=poster-pasar-rau-2\n" in staff.replies[0].plain_text
    async with console.application.bot_data["services"].session_factory() as session:
        codes = set((await session.scalars(select(Campaign.code))).all())
    assert codes == {"poster-rau", "poster-pasar-rau", "poster-pasar-rau-2"}
    # After /cancel, typed text names nothing.
    await staff.send("/campaigns")
    await staff.tap("➕ New campaign")
    await staff.send("/cancel")
    await staff.send("Poster ketiga")
    assert not any("Campaign created" in r.plain_text for r in staff.replies)


async def test_a_campaign_nobody_used_yet_says_so(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await create(staff, "Bursa Kerja Cilegon")
    await staff.tap("📊 Open the campaign")
    card, empty = staff.replies
    assert "Sign-ups: 0 · submitted: 0" in card.plain_text
    assert empty.plain_text == (
        "📊 Funnel: campaign «Bursa Kerja Cilegon»\nNo data yet: nobody has reached any step."
    )
    assert not console.standin.calls_to("sendPhoto")
    await staff.tap_data("cmp:o:no-such-campaign")
    assert staff.last_reply.plain_text == "That campaign does not exist."


async def test_campaigns_in_indonesian(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="id")
    await staff.send("/campaigns")
    assert staff.last_reply.plain_text.startswith("📣 Kampanye\nBelum ada kampanye.")
    await staff.tap("➕ Kampanye baru")
    await staff.send("Kunjungan SMKN 1 Serang 12 Des")
    assert staff.replies[0].plain_text.startswith(
        "✅ Kampanye dibuat: Kunjungan SMKN 1 Serang 12 Des\n"
        f"Kode: kunjungan-smkn-1-serang-12-des\nTautan: {LINK}\n"
    )


async def test_the_same_long_name_three_times_gets_three_codes(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    codes = []
    for _ in range(3):
        await create(staff, "Kunjungan SMKN 1 Serang Desember")
        created = staff.replies[0].plain_text
        assert created.startswith("✅ Campaign created: Kunjungan SMKN 1 Serang Desember\nCode: ")
        codes.append(created.split("Code: ")[1].split("\n")[0])
    assert codes == [
        "kunjungan-smkn-1-serang-desember",
        "kunjungan-smkn-1-serang-desemb-2",
        "kunjungan-smkn-1-serang-desemb-3",
    ]
    await staff.send("/campaigns")
    assert staff.last_reply.plain_text.count("Kunjungan SMKN 1 Serang Desember") == 3


async def test_a_bar_without_a_valid_code_after_it_stays_in_the_name(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await create(staff, "Diskon | 50% OFF")
    assert staff.replies[0].plain_text.startswith(
        "✅ Campaign created: Diskon | 50% OFF\nCode: diskon-50-off\n"
    )
    await create(staff, "Poster | poster rau!")
    assert staff.replies[0].plain_text.startswith(
        "✅ Campaign created: Poster | poster rau!\nCode: poster-poster-rau\n"
    )


async def test_a_page_beyond_the_end_shows_the_last_page(console: OfflineBot) -> None:
    async with console.application.bot_data["services"].session_factory() as session:
        async with session.begin():
            for number in range(9):
                await create_campaign(
                    session, code=f"poster-{number}", name=f"Poster {number}", created_by=STAFF
                )
    staff = console.user(STAFF, language_code="en")
    await staff.send("/campaigns")
    await staff.tap_data("cmp:l:999")
    assert staff.last_reply.plain_text.endswith("\nPage 2 of 2")
    assert "‹ Previous" in staff.buttons and "Next ›" not in staff.buttons
    assert sum(label.startswith("📣 Poster") for label in staff.buttons) == 1
    await staff.send("/stats")
    await staff.tap_data("sts:cs:999")
    assert staff.last_reply.plain_text == "📣 Which campaign?\nPage 2 of 2"
    assert sum(label.startswith("Poster") for label in staff.buttons) == 1
    await staff.send("/stats")
    await staff.tap_data("sts:ps:999")
    assert staff.last_reply.plain_text == "🎓 Which programme?\nPage 2 of 2"
    assert "‹ Previous" in staff.buttons and "Next ›" not in staff.buttons
    assert len(staff.buttons) > 2


async def test_a_campaign_link_to_one_programme_opens_its_card_and_counts_for_the_campaign(
    console: OfflineBot,
) -> None:
    staff = console.user(STAFF, language_code="en")
    await create(staff, "Poster Las | poster-las")
    await staff.tap("📊 Open the campaign")
    await staff.tap("🔗 Link to one programme")
    assert staff.last_reply.plain_text.startswith(
        "🔗 Campaign «Poster Las»: which programme should its link open?"
    )
    assert "Welding" in staff.buttons and "◀️ Back to the campaign" in staff.buttons
    await staff.tap("Welding")
    [qr] = staff.replies
    link = "https://t.me/vokasi_test_bot?start=p-welding-poster-las"
    assert qr.plain_text.startswith(f"🔗 Welding · campaign «Poster Las»\nLink: {link}\n")
    assert qr.document == ("qr-poster-las-welding.png", qr_png(link))

    # A pupil scanning it sees the welding card, and the campaign counts the sign-up.
    pupil = console.user(814)
    await pupil.send("/start p-welding-poster-las")
    assert pupil.last_reply.plain_text.startswith("Teknik Las\n")
    await staff.send("/campaigns")
    assert "Poster Las (poster-las)\nSign-ups: 1 · submitted: 0" in staff.last_reply.plain_text


async def test_old_or_forged_programme_link_buttons_get_an_answer(console: OfflineBot) -> None:
    staff = console.user(STAFF, language_code="en")
    await create(staff, "Poster Las | poster-las")
    await staff.tap_data("cmp:pq:no-such-campaign:welding")
    assert staff.last_reply.plain_text == "That campaign does not exist."
    await staff.tap_data("cmp:pq:poster-las:no_such_programme")
    assert staff.last_reply.plain_text == "That campaign does not exist."
    await staff.tap_data("cmp:pl:poster-las:999")
    assert "Page " in staff.last_reply.plain_text and "Next ›" not in staff.buttons
    # Only staff get the link: anyone else tapping a copied button is refused.
    stranger = console.user(815, language_code="en")
    await stranger.send("/start")
    for data in ("cmp:pq:poster-las:welding", "cmp:pl:poster-las:0"):
        await stranger.tap_data(data)
        assert stranger.answered_callbacks[-1] == "This is for the centre's staff.", data
    assert not any(sent.document for sent in console.standin.history(815))
