"""phone numbers and children's first names encrypted at rest with the data key, as the NIK is;
a phone keeps its masked form beside it for the screens that show it masked

The values already stored are encrypted here, so the migration needs the data key: `python -m
bot migrate` and the bot's start-up pass it in (db.migrate.CIPHER). The downgrade decrypts them
back into the plain columns, with the key too. Either direction stops before changing anything
when it has no key, or one that does not open the NIKs already stored.

Columns are added and dropped in place, not through a batch copy of the table: on SQLite a copy
drops the old table, and with foreign keys on that deletes the rows pointing at it (a
registration's documents, an enquiry's children). SQLite drops a column in place since 3.35.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from db.migrate import CIPHER, Cipher, MigrationKeyError

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the plain column, its type, whether a masked copy is kept beside the encrypted one)
PLAIN_COLUMNS = (
    ("registrations", "phone", sa.String(length=20), True),
    ("school_interests", "phone", sa.String(length=20), True),
    ("school_interest_children", "first_name", sa.String(length=50), False),
)


def mask_phone(phone: str) -> str:
    """bot.privacy.log_masking.mask_phone as it was when this was written (a migration must
    not change when the code does): +6281234567890 -> +62812*****890."""
    if len(phone) < 9:
        return phone
    return phone[:6] + "*" * (len(phone) - 9) + phone[-3:]


def table_of(name: str, column: str) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("id", sa.Integer()),
        sa.column(column, sa.String()),
        sa.column(f"{column}_encrypted", sa.Text()),
        sa.column(f"{column}_masked", sa.String()),
    )


def stored_values(name: str, column: str) -> list[tuple[int, str]]:
    table = table_of(name, column)
    query = sa.select(table.c.id, table.c[column]).where(table.c[column].is_not(None))
    return [(row[0], row[1]) for row in op.get_bind().execute(query)]


def cipher_for(needed: bool, doing: str) -> Cipher | None:
    """The data key handed in by db.migrate, checked against a stored NIK, or an error."""
    cipher: Cipher | None = context.config.attributes.get(CIPHER)
    if not needed:
        return cipher
    if cipher is None:
        raise MigrationKeyError(
            f"Stored phone numbers and children's names must be {doing}, and this migration "
            "has no data key: run `python -m bot migrate` (it uses DATA_KEY or DATA_KEY_FILE) "
            "rather than alembic on its own. Nothing was changed."
        )
    nik = op.get_bind().execute(
        sa.text("SELECT nik_encrypted FROM registrations WHERE nik_encrypted IS NOT NULL LIMIT 1")
    )
    token = nik.scalar()
    if token is not None:
        try:
            cipher.decrypt(token)
        except Exception as error:
            raise MigrationKeyError(
                "The data key given does not open the NIKs already stored, so it is not this "
                "database's key: check DATA_KEY or DATA_KEY_FILE. Nothing was changed."
            ) from error
    return cipher


def upgrade() -> None:
    plain = {(name, column): stored_values(name, column) for name, column, _, _ in PLAIN_COLUMNS}
    cipher = cipher_for(any(plain.values()), "encrypted")
    connection = op.get_bind()
    for name, column, _, masked in PLAIN_COLUMNS:
        op.add_column(name, sa.Column(f"{column}_encrypted", sa.Text(), nullable=True))
        if masked:
            op.add_column(name, sa.Column(f"{column}_masked", sa.String(length=20), nullable=True))
        rows = plain[(name, column)]
        if rows and cipher is not None:
            table = table_of(name, column)
            values = {f"{column}_encrypted": sa.bindparam("encrypted")}
            if masked:
                values[f"{column}_masked"] = sa.bindparam("masked")
            connection.execute(
                table.update().where(table.c.id == sa.bindparam("row_id")).values(values),
                [
                    {"row_id": row_id, "encrypted": cipher.encrypt(value)}
                    | ({"masked": mask_phone(value)} if masked else {})
                    for row_id, value in rows
                ],
            )
        op.drop_column(name, column)


def downgrade() -> None:
    encrypted = {
        (name, column): stored_values(name, f"{column}_encrypted")
        for name, column, _, _ in PLAIN_COLUMNS
    }
    cipher = cipher_for(any(encrypted.values()), "decrypted")
    decrypted: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for (name, column), rows in encrypted.items():
        decrypted[(name, column)] = []
        for row_id, token in rows:
            try:
                value = cipher.decrypt(token)  # type: ignore[union-attr]
            except Exception as error:
                raise MigrationKeyError(
                    f"A stored value in {name} (id {row_id}) does not open with the data key "
                    "given: nothing was changed."
                ) from error
            decrypted[(name, column)].append((row_id, value))
    connection = op.get_bind()
    for name, column, plain_type, masked in PLAIN_COLUMNS:
        op.add_column(name, sa.Column(column, plain_type, nullable=True))
        if rows := decrypted[(name, column)]:
            table = table_of(name, column)
            connection.execute(
                table.update()
                .where(table.c.id == sa.bindparam("row_id"))
                .values({column: sa.bindparam("plain")}),
                [{"row_id": row_id, "plain": value} for row_id, value in rows],
            )
        op.drop_column(name, f"{column}_encrypted")
        if masked:
            op.drop_column(name, f"{column}_masked")
