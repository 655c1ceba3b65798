"""The one exception type Harbor's store raises for database trouble."""


class StoreUnavailable(Exception):
    """The database could not be reached or refused the operation.

    Its message never contains user text or SQL parameters, so it is safe to log.
    Callers (actions) catch it and tell the person plainly that this one was not saved.
    """
