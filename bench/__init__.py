"""Harbor's benchmark: ``python -m bench`` (``make bench``).

Measures NLU quality, the safety layer, latency and throughput of the served bot next to
Rasa's own starter bot, training time, start-up time and memory, and writes
``bench/results/<date>.json`` plus a markdown table. Nothing runs at import time.
"""
