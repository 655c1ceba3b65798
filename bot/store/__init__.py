"""Harbor: bot/store."""
