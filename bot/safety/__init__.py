"""Harbor: bot/safety."""
