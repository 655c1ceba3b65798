"""Harbor: bot/nlu."""
