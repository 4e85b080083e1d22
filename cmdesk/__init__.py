"""cmdesk: the desk of a solo community manager."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("cmdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
