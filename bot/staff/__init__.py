"""The staff console's shared parts: roles checked on the server, the command menus, the staff
group's side of a hand-off, and the audit log in words. Never imports `handlers/`."""
