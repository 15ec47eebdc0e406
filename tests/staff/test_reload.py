"""/reload: the catalogue, FAQ and Sekolah Rakyat files are re-read without a restart; a broken
file changes nothing, and staff intake settings survive reloads and restarts."""

import shutil
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.config import CONTENT_DIR, DEFAULT_CATALOGUE, Settings
from bot.offline.offline_bot import offline_bot
from db.models import AuditEntry, Programme

ADMIN, STAFF, OUTSIDER = 9001, 9002, 9003
REFUSAL = "This is for the centre's staff."
NEW_QUESTION = "does the centre lend laptops for the IT course?"
NEW_ANSWER = "Yes: laptops are lent for the whole course and returned on the last day."


def copied_content(settings: Settings, folder: Path) -> Settings:
    """Settings pointing at copies of the shipped files, which the test may then edit."""
    folder.mkdir()
    paths = {}
    for key, source in (
        ("catalogue_path", DEFAULT_CATALOGUE),
        ("faq_path", CONTENT_DIR / "faq.yaml"),
        ("school_content_path", CONTENT_DIR / "sekolah_rakyat.yaml"),
    ):
        paths[key] = shutil.copy(source, folder / source.name)
    return settings.model_copy(update={**paths, "admin_ids": (ADMIN,)})


def edit(path: Path, change) -> None:  # noqa: ANN001
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def retitle_welding(raw: dict) -> None:
    welding = next(p for p in raw["programmes"] if p["code"] == "welding")
    welding["title"]["en"] = "Welding, new batch"


def retitle_first_section(raw: dict) -> None:
    raw["sections"][0]["title"]["en"] = "About the school, new"


def add_laptop_answer(raw: dict) -> None:
    raw["entries"].append(
        {
            "code": "laptop_loans",
            "topic": "courses",
            "questions": {
                "id": [
                    "apakah balai meminjamkan laptop untuk kelas IT?",
                    "boleh pinjam laptop buat pelatihan?",
                    "laptop dipinjami balai gak kak",
                    "harus bawa laptop sendiri?",
                ],
                "en": [
                    NEW_QUESTION,
                    "can I borrow a laptop for the course",
                    "do I need my own laptop",
                    "are laptops lent to trainees",
                ],
            },
            "answer": {"id": "Ya, laptop dipinjamkan selama pelatihan.", "en": NEW_ANSWER},
        }
    )


async def welding_card(user) -> str:  # noqa: ANN001
    await user.send("/programmes")
    await user.tap("Courses at BBPVP Serang")
    labels = [label for label in user.buttons if "Welding" in label]
    await user.tap(labels[0])
    return user.last_reply.plain_text


async def test_a_broken_file_is_refused_and_the_old_content_stays(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        edit(configured.catalogue_path, lambda raw: raw["programmes"][1]["title"].pop("en"))
        admin = bot.user(ADMIN, language_code="en")
        await admin.send("/reload")
        text = admin.last_reply.plain_text
        assert text.startswith("⚠️ The files were not loaded:")
        assert "programmes entry #2 ('electrical'), field title" in text
        assert text.endswith("Nothing changed: the old content is still in use.")
        user = bot.user(401, language_code="en")
        assert (await welding_card(user)).startswith("Welding\n")
        await user.send("where is the centre located?")
        assert "Jl. Raya Pandeglang KM 3" in user.last_reply.plain_text
        actions = [e.action for e in await entries(bot)]
        assert "content.reload" not in actions


async def test_a_broken_faq_keeps_the_catalogue_unchanged_too(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        edit(configured.catalogue_path, retitle_welding)
        configured.faq_path.write_text("version: 1\nentries: [{code: <b>}]\n", encoding="utf-8")
        admin = bot.user(ADMIN, language_code="en")
        await admin.send("/reload")
        assert "faq.yaml" in admin.last_reply.plain_text
        assert "<b>" in admin.last_reply.plain_text  # escaped, shown literally
        assert (await welding_card(bot.user(402, language_code="en"))).startswith("Welding\n")


async def test_a_good_file_changes_what_users_see_without_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        user = bot.user(403, language_code="en")
        await user.send(NEW_QUESTION)
        assert NEW_ANSWER not in user.last_reply.plain_text
        edit(configured.catalogue_path, retitle_welding)
        edit(configured.faq_path, add_laptop_answer)
        edit(configured.school_content_path, retitle_first_section)
        admin = bot.user(ADMIN, language_code="en")
        await admin.send("/reload")
        report = admin.last_reply.plain_text
        assert report.startswith("✅ The catalogue, FAQ and Sekolah Rakyat texts were reloaded.")
        assert "Programmes added: none" in report and "Programmes removed: none" in report
        assert "Programmes changed: welding" in report
        faq_before = len(yaml.safe_load((CONTENT_DIR / "faq.yaml").read_text())["entries"])
        assert f"FAQ entries: {faq_before} before, {faq_before + 1} now" in report
        assert (await welding_card(user)).startswith("Welding, new batch\n")
        await user.send(NEW_QUESTION)
        assert user.last_reply.plain_text.endswith(NEW_ANSWER)
        await user.send("/sekolahrakyat")
        assert "About the school, new" in user.buttons
        [reload] = [e for e in await entries(bot) if e.action == "content.reload"]
        assert reload.actor_id == ADMIN and reload.details["changed"] == ["welding"]


async def test_staff_settings_survive_a_reload_and_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        staff = bot.user(STAFF, language_code="en")
        await staff.send("/intake")
        await staff.tap("🟢 Welding")
        await staff.tap("🔴 Close")
        await staff.tap("🎟 Set the quota")
        await staff.send("25")
        edit(configured.catalogue_path, retitle_welding)
        admin = bot.user(ADMIN, language_code="en")
        await admin.send("/reload")
        assert await welding(bot) == ("closed", 25, "Welding, new batch")
        # The report says which file values the bot's settings still override, and how to stop.
        report = admin.last_reply.plain_text
        assert "⚙️ Welding, new batch: state, quota set from the bot still apply" in report
        assert "/intake → the programme → 📄 Use the catalogue file's settings" in report
        [reload] = [e for e in await entries(bot) if e.action == "content.reload"]
        assert reload.details["set_from_bot"] == {"welding": ["intake", "quota"]}
    async with offline_bot(configured) as bot:
        assert await welding(bot) == ("closed", 25, "Welding, new batch")
        staff = bot.user(STAFF, language_code="en")
        await staff.send("/intake")
        await staff.tap("🔴 Welding, new batch")
        await staff.tap("📄 Use the catalogue file's settings")
        assert await welding(bot) == ("open", None, "Welding, new batch")


async def test_a_new_batch_in_the_file_drops_the_settings_made_for_the_previous_one(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        admin = bot.user(ADMIN, language_code="en")
        await admin.send(f"/addstaff {STAFF}")
        staff = bot.user(STAFF, language_code="en")
        await staff.send("/intake")
        await staff.tap("🟢 Welding")
        await staff.tap("🔴 Close")
        await staff.tap("🎟 Set the quota")
        await staff.send("25")

        def next_batch(raw: dict) -> None:
            next(p for p in raw["programmes"] if p["code"] == "welding")["batch"] = "2026-2"

        edit(configured.catalogue_path, next_batch)
        await admin.send("/reload")
        report = admin.last_reply.plain_text
        assert (
            "🆕 Welding: a new batch in the file, so the state, quota set from the bot for the "
            "previous batch no longer apply." in report
        )
        assert "⚙️" not in report
        assert await welding(bot) == ("open", None, "Welding")
        [dropped] = [e for e in await entries(bot) if e.action == "intake.new_batch"]
        assert (dropped.actor_id, dropped.subject) == (ADMIN, "welding")
        assert dropped.details == {
            "batch": {"before": "1", "after": "2026-2"},
            "dropped": {"intake": "closed", "quota": 25},
        }
        await staff.send("/intake")
        await staff.tap("🟢 Welding")
        assert "📄 As in the catalogue file." in staff.last_reply.plain_text


async def test_a_file_that_is_not_utf8_is_refused_with_its_name(
    settings: Settings, tmp_path: Path
) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        text = configured.faq_path.read_text(encoding="utf-8")
        # Saved by an editor in Windows-1252: "café" on the first line is not UTF-8.
        configured.faq_path.write_bytes(("# café\n" + text).encode("cp1252", "replace"))
        admin = bot.user(ADMIN, language_code="en")
        await admin.send("/reload")
        reply = admin.last_reply.plain_text
        assert reply.startswith("⚠️ The files were not loaded:")
        assert "faq.yaml: is not UTF-8 text (line 1): save it as UTF-8" in reply
        assert reply.endswith("Nothing changed: the old content is still in use.")
        assert "content.reload" not in [e.action for e in await entries(bot)]


async def test_only_admins_may_reload(settings: Settings, tmp_path: Path) -> None:
    configured = copied_content(settings, tmp_path / "content")
    async with offline_bot(configured) as bot:
        await bot.user(ADMIN, language_code="en").send(f"/addstaff {STAFF}")
        edit(configured.catalogue_path, retitle_welding)
        for user_id in (STAFF, OUTSIDER):
            replies = await bot.user(user_id, language_code="en").send("/reload")
            assert [r.plain_text for r in replies] == [REFUSAL]
        assert (await welding(bot))[2] == "Welding"
        assert "content.reload" not in [e.action for e in await entries(bot)]


async def entries(bot) -> list[AuditEntry]:  # noqa: ANN001
    async with bot.application.bot_data["services"].session_factory() as session:
        return list((await session.scalars(select(AuditEntry))).all())


async def welding(bot) -> tuple:  # noqa: ANN001
    async with bot.application.bot_data["services"].session_factory() as session:
        programme = await session.get(Programme, "welding")
        return programme.intake, programme.quota, programme.texts["title"]["en"]
