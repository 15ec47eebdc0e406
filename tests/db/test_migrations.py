"""Migrations: a database made by an older release upgrades with its data intact."""

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from db.engine import create_engine
from db.migrate import alembic_config


def upgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


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


def downgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


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
