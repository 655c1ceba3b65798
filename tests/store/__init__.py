"""Tests of bot.store: repositories, facade, migrations, privacy, tracker store."""
