"""Where the bot talks: the one check that keeps personal data to private chats, what it says in
groups (a pointer to the private chat, never a screen), being added to a group, join requests,
and a person blocking or unblocking the bot. Telegram I/O only: imports `bot/` and `db/`."""
