"""Harbor: bot/channels."""
