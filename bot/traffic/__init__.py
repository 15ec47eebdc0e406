"""Traffic: how updates are let in and scheduled. Different chats run at once while one chat's
updates keep their order, and one user's flood is turned away cheaply. No `db/` here."""
