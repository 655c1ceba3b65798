"""Progress: what lowered the urge, the no-contact streak and slips, as numbers and a picture.

The numbers come from :mod:`bot.store.progress`; ``chart`` draws them as a PNG with
matplotlib's Agg canvas (imported on first use only); ``links`` makes the chart's
short-lived, unguessable link.
"""
