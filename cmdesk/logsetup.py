"""Logging for the app and the CLI: a rotating file in the user log dir, and stderr.

The file (`cmdesk.log` in platformdirs' user log directory, or
$CMDESK_LOG_DIR) keeps INFO and up (DEBUG with `--debug`), rotated at 1 MB
with 5 old files kept. The terminal shows warnings only, INFO with
`--verbose`, everything with `--debug`. Credentials written inside URLs
(`https://user:secret@host`) are masked in every record.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "cmdesk"
LOG_DIR_ENV = "CMDESK_LOG_DIR"
LOG_FILENAME = "cmdesk.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+:[^/\s@]*@")


class RedactCredentials(logging.Filter):
    """Masks user:password@ in URLs, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "@" in msg and "://" in msg:
            record.msg = _URL_CREDENTIALS.sub(r"\g<scheme>***@", msg)
            record.args = None
        return True


def log_dir() -> Path:
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _feed_results_stay_in_the_file(record: logging.LogRecord) -> bool:
    """A feed in error is a refresh result the CLI and the window already
    show; on the console its log line would only repeat it (and break the
    progress bar). It goes to the log file; --verbose shows it too."""
    return record.name != "cmdesk.services.refresh" or record.levelno >= logging.ERROR


def setup_logging(*, verbose: bool = False, debug: bool = False, to_file: bool = True) -> Path | None:
    """Install cmdesk's log handlers on the root logger; returns the log file (None if not writable).

    Safe to call again (handlers it installed before are replaced).
    """
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_cmdesk", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    redact = RedactCredentials()
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter(FORMAT))
    console.addFilter(redact)
    if not (verbose or debug):
        console.addFilter(_feed_results_stay_in_the_file)
    console._cmdesk = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if not to_file:
        return None
    path = log_dir() / LOG_FILENAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                       encoding="utf-8", delay=True)
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setLevel(logging.DEBUG if debug else logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(redact)
    handler._cmdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
