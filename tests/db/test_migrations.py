"""Migrations: a database made by an older release upgrades with its data intact."""

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.privacy.vault import NikVault
from db.engine import create_engine
from db.migrate import Cipher, MigrationKeyError, alembic_config

NIK = "3673015203040001"
PHONE, PARENT_PHONE, CHILD = "+6281234567890", "+6281377778888", "Kirana"


def upgrade_to(connection: Connection, revision: str, cipher: Cipher | None = None) -> None:
    config = alembic_config(cipher)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def downgrade_to(connection: Connection, revision: str, cipher: Cipher | None = None) -> None:
    config = alembic_config(cipher)
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def seed_plain_contact_data(connection: Connection, nik_token: str) -> None:
    """A database as 0012 left it: a registration and a Sekolah Rakyat request of user 42,
    with the phones and the child's name in plain text (and a child not named yet)."""
    upgrade_to(connection, "0001")
    connection.execute(
        text(
            "INSERT INTO users (id, first_name, blocked_bot, created_at, last_seen_at) "
            "VALUES (42, 'Siti', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO programme_categories (code, position, texts) VALUES ('courses', 0, '{}')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO programmes (code, category, position, audience, intake, texts, "
            "active, updated_at) VALUES ('welding', 'courses', 0, 'trainee', 'open', '{}', "
            "true, CURRENT_TIMESTAMP)"
        )
    )
    upgrade_to(connection, "0012")
    connection.execute(
        text(
            "INSERT INTO registrations (id, code, user_id, programme_code, batch, status, "
            "full_name, nik_encrypted, nik_hash, nik_masked, phone, email_skipped, created_at, "
            "updated_at, submitted_at, status_changed_at) VALUES (1, 'SRG-2026-000001', 42, "
            "'welding', '1', 'submitted', 'Siti Aminah', :nik, 'hash', '3673********0001', "
            ":phone, true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"
        ),
        {"nik": nik_token, "phone": PHONE},
    )
    connection.execute(
        text(
            "INSERT INTO school_interests (id, code, user_id, status, parent_name, relationship, "
            "regency, phone, in_dtsen, created_at, updated_at, submitted_at) VALUES (1, "
            "'SR-2026-000001', 42, 'submitted', 'Siti Aminah', 'mother', '3673', :phone, 'yes', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"phone": PARENT_PHONE},
    )
    connection.execute(
        text(
            "INSERT INTO school_interest_children (id, interest_id, first_name, age, level) "
            "VALUES (1, 1, :name, 9, 'sd'), (2, 1, NULL, NULL, NULL)"
        ),
        {"name": CHILD},
    )


def contact_columns(connection: Connection) -> dict[str, set[str]]:
    names = ("registrations", "school_interests", "school_interest_children")
    inspector = inspect(connection)
    return {name: {c["name"] for c in inspector.get_columns(name)} for name in names}


def stored_contact_data(connection: Connection) -> list[tuple[object, ...]]:
    return [
        *connection.execute(text("SELECT phone_encrypted, phone_masked FROM registrations")),
        *connection.execute(text("SELECT phone_encrypted, phone_masked FROM school_interests")),
        *connection.execute(
            text("SELECT first_name_encrypted FROM school_interest_children ORDER BY id")
        ),
    ]


async def test_upgrading_from_the_first_release_keeps_users_and_programmes(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "0001")
        await connection.execute(
            text(
                "INSERT INTO users (id, first_name, blocked_bot, created_at, last_seen_at) "
                "VALUES (42, 'Siti', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO programme_categories (code, position, texts) "
                "VALUES ('courses', 0, '{}')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO programmes (code, category, position, audience, intake, texts, "
                "active, updated_at) VALUES ('welding', 'courses', 0, 'trainee', 'open', '{}', "
                "true, CURRENT_TIMESTAMP)"
            )
        )
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "head")
        user = (await connection.execute(text("SELECT first_name FROM users"))).scalar_one()
        batch, rules = (
            await connection.execute(text("SELECT batch, rules FROM programmes"))
        ).one()
    await engine.dispose()
    assert user == "Siti"
    assert batch == "1"
    assert rules in ({}, "{}")


def schema_differences(connection: Connection) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrations_make_the_schema_the_models_describe(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "head")
        differences = await connection.run_sync(schema_differences)
    await engine.dispose()
    assert differences == []


async def test_the_migration_encrypts_phones_and_children_names_stored_plain(
    database_url: str,
) -> None:
    vault = NikVault(Fernet.generate_key())
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(seed_plain_contact_data, vault.encrypt(NIK))
        await connection.run_sync(upgrade_to, "head", vault)
        columns = await connection.run_sync(contact_columns)
        stored = await connection.run_sync(stored_contact_data)
    await engine.dispose()
    assert "phone" not in columns["registrations"] | columns["school_interests"]
    assert "first_name" not in columns["school_interest_children"]
    (registration, registration_masked), (interest, interest_masked), *children = stored
    assert PHONE not in registration and PARENT_PHONE not in interest
    assert (vault.decrypt(registration), registration_masked) == (PHONE, "+62812*****890")
    assert (vault.decrypt(interest), interest_masked) == (PARENT_PHONE, "+62813*****888")
    [(named,), (unnamed,)] = children
    assert CHILD not in named and vault.decrypt(named) == CHILD
    assert unnamed is None


async def test_the_downgrade_puts_the_plain_values_back(database_url: str) -> None:
    vault = NikVault(Fernet.generate_key())
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(seed_plain_contact_data, vault.encrypt(NIK))
        await connection.run_sync(upgrade_to, "head", vault)
        await connection.run_sync(downgrade_to, "0012", vault)
        columns = await connection.run_sync(contact_columns)
        phones = (await connection.execute(text("SELECT phone FROM registrations"))).scalars()
        parent = (await connection.execute(text("SELECT phone FROM school_interests"))).scalars()
        names = await connection.execute(
            text("SELECT first_name FROM school_interest_children ORDER BY id")
        )
        restored = (list(phones), list(parent), list(names.scalars()))
    await engine.dispose()
    assert restored == ([PHONE], [PARENT_PHONE], [CHILD, None])
    assert "phone_encrypted" not in columns["registrations"] | columns["school_interests"]
    assert "first_name_encrypted" not in columns["school_interest_children"]


@pytest.mark.parametrize("key", ["none", "another database's"])
async def test_without_the_right_key_the_migration_stops_and_changes_nothing(
    database_url: str, key: str
) -> None:
    vault = NikVault(Fernet.generate_key())
    given = None if key == "none" else NikVault(Fernet.generate_key())
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(seed_plain_contact_data, vault.encrypt(NIK))
    with pytest.raises(MigrationKeyError) as error:
        async with engine.begin() as connection:
            await connection.run_sync(upgrade_to, "head", given)
    async with engine.connect() as connection:
        revision = await connection.execute(text("SELECT version_num FROM alembic_version"))
        phone = (await connection.execute(text("SELECT phone FROM registrations"))).scalar()
        at = revision.scalar()
    await engine.dispose()
    assert "Nothing was changed" in str(error.value)
    expected = "has no data key" if given is None else "not this database's key"
    assert expected in str(error.value)
    assert (at, phone) == ("0012", PHONE)


async def test_the_cohort_claims_go_down_and_up_again(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "head")
    async with engine.begin() as connection:
        await connection.run_sync(downgrade_to, "0012")
        columns = await connection.run_sync(
            lambda sync: [c["name"] for c in inspect(sync).get_columns("cohort_invites")]
        )
        assert "claim_token" not in columns
    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "head")
        differences = await connection.run_sync(schema_differences)
    await engine.dispose()
    assert differences == []
