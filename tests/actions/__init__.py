"""Tests of the rasa-sdk actions, one module per feature."""
