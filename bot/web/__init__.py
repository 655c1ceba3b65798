"""Harbor: bot/web — the small static server behind ``make serve-web``."""
