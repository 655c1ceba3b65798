"""Harbor's changes to how Rasa runs, installed once per process when a model is loaded.

Not NLU and not dialogue: patches of Rasa's own classes (``RemoteAction``, the response
generator), each in its own module, and :mod:`bot.runtime.loader`, the graph component in
``config.yml`` that installs them wherever a model is served.
"""
