"""zhashui: a curated, verifiable fact base of the Zhashui County bulletin, and a CLI over it."""

__version__ = "0.1.0"
