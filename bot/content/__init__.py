"""Staff-edited content: the programme catalogue, the FAQ and the Sekolah Rakyat texts as YAML
beside their loaders, validated at start-up and on /reload. No `telegram` and no `db/` here."""
