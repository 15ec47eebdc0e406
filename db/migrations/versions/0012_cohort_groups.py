"""an intake can name its Telegram cohort group; accepted applicants get a personal invite link

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_groups",
        sa.Column("programme_code", sa.String(length=24), nullable=False),
        sa.Column("batch", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_code"],
            ["programmes.code"],
            name=op.f("fk_cohort_groups_programme_code_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_code", "batch", name=op.f("pk_cohort_groups")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_cohort_groups_chat_id")),
    )
    op.create_table(
        "cohort_invites",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("invite_link", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_cohort_invites_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("registration_id", name=op.f("pk_cohort_invites")),
        sa.UniqueConstraint("invite_link", name=op.f("uq_cohort_invites_invite_link")),
    )
    op.create_index(op.f("ix_cohort_invites_chat_id"), "cohort_invites", ["chat_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cohort_invites_chat_id"), table_name="cohort_invites")
    op.drop_table("cohort_invites")
    op.drop_table("cohort_groups")
