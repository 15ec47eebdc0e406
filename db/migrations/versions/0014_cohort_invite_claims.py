"""a cohort link is claimed before it is made; groups staff added wait to be named

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohort_invites") as batch:
        batch.alter_column("invite_link", existing_type=sa.String(length=128), nullable=True)
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
    op.create_table(
        "unnamed_groups",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_unnamed_groups")),
    )


def downgrade() -> None:
    op.drop_table("unnamed_groups")
    # A claim still being made has no link yet: it goes, as a link-less row cannot stay.
    op.execute("DELETE FROM cohort_invites WHERE invite_link IS NULL")
    with op.batch_alter_table("cohort_invites") as batch:
        batch.drop_column("claim_token")
        batch.alter_column("invite_link", existing_type=sa.String(length=128), nullable=False)
