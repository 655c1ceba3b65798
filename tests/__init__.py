"""Harbor: tests."""
