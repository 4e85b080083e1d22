"""A fresh, migrated store per test."""

import pytest

from cmdesk.store.database import connect


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "cmdesk.sqlite3")
    yield c
    c.close()
