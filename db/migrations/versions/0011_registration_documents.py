"""documents applicants send per programme: the catalogue's list, the file ids received and
the one being asked for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(
            sa.Column("documents", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("sending_document", sa.String(length=40), nullable=True))
    op.create_table(
        "registration_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("file_unique_id", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_registration_documents_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_documents")),
        sa.UniqueConstraint(
            "registration_id", "code", name=op.f("uq_registration_documents_registration_id")
        ),
    )
    op.create_index(
        op.f("ix_registration_documents_registration_id"),
        "registration_documents",
        ["registration_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_registration_documents_registration_id"), table_name="registration_documents"
    )
    op.drop_table("registration_documents")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sending_document")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("documents")
