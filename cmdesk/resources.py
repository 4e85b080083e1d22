"""The one way to find bundled resources (lexicons, demo data, icons, templates).

In a source checkout or an editable install they are the repository's
top-level `resources/` folder; a wheel or a frozen app carries them as
`cmdesk/_resources`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resources_root() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cmdesk's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. resource_path("lexicons", "fr.tsv")."""
    return resources_root().joinpath(*parts)
