"""Harbor: bot/content."""
