"""Harbor's rasa-sdk actions: one module per feature, each a thin layer over ``bot``."""
