"""eligibility, consents, registrations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:01:38.220555
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_user_id"), ["user_id"], unique=False)

    op.create_table(
        "eligibility_answers",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.String(length=24), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_eligibility_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "question", name=op.f("pk_eligibility_answers")),
    )
    op.create_table(
        "intake_watchers",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("programme_code", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_code"],
            ["programmes.code"],
            name=op.f("fk_intake_watchers_programme_code_programmes"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_intake_watchers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "programme_code", name=op.f("pk_intake_watchers")),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("programme_code", sa.String(length=24), nullable=False),
        sa.Column("batch", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=24), nullable=True),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=100), nullable=True),
        sa.Column("nik_encrypted", sa.Text(), nullable=True),
        sa.Column("nik_hash", sa.String(length=64), nullable=True),
        sa.Column("nik_masked", sa.String(length=16), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("education", sa.String(length=16), nullable=True),
        sa.Column("activity", sa.String(length=16), nullable=True),
        sa.Column("regency", sa.String(length=8), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_skipped", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consents.id"],
            name=op.f("fk_registrations_consent_id_consents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_code"],
            ["programmes.code"],
            name=op.f("fk_registrations_programme_code_programmes"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_registrations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("code", name=op.f("uq_registrations_code")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registrations_programme_code"), ["programme_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_registrations_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_registrations_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_registrations_active_nik",
            ["nik_hash", "programme_code", "batch"],
            unique=True,
            sqlite_where=sa.text("status IN ('submitted','verified','test_scheduled','accepted')"),
            postgresql_where=sa.text(
                "status IN ('submitted','verified','test_scheduled','accepted')"
            ),
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checking_programme", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("correcting", sa.String(length=24), nullable=True))

    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rules", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("quota", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("batch", sa.String(length=16), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("correcting")
        batch_op.drop_column("checking_programme")

    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("batch")
        batch_op.drop_column("quota")
        batch_op.drop_column("rules")

    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_registrations_active_nik",
            sqlite_where=sa.text("status IN ('submitted','verified','test_scheduled','accepted')"),
            postgresql_where=sa.text(
                "status IN ('submitted','verified','test_scheduled','accepted')"
            ),
        )
        batch_op.drop_index(batch_op.f("ix_registrations_user_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_status"))
        batch_op.drop_index(batch_op.f("ix_registrations_programme_code"))

    op.drop_table("registrations")
    op.drop_table("intake_watchers")
    op.drop_table("eligibility_answers")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_user_id"))

    op.drop_table("consents")
