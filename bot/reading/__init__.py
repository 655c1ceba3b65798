"""Reading what a person typed: ratings, numbers, country names, times, answers in the flows.

Plain functions over text, used by the NLU extractors (``bot.nlu``) and the actions.
"""
