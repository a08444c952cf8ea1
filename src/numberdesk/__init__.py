"""numberdesk: a self-hostable, Sinch-compatible numbers platform."""

__version__ = "0.1.0"
