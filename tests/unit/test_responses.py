"""Pure parts of the speed fixes: static fingerprints, the roll-up's page window and its entity tag."""
from __future__ import annotations

import hashlib
import os

import pytest

from app.api.reports import UNITS_PER_PAGE, RollupQuery, version_etag
from app.responses import content_fingerprint, is_static_endpoint


def test_the_fingerprint_is_the_start_of_the_content_hash_and_follows_changes(tmp_path):
    path = tmp_path / "site.css"
    path.write_bytes(b"body { color: black }")
    first = content_fingerprint(str(path))
    assert first == hashlib.sha256(b"body { color: black }").hexdigest()[:12]
    assert content_fingerprint(str(path)) == first  # kept while the file is unchanged
    path.write_bytes(b"body { color: navy; }")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert content_fingerprint(str(path)) == hashlib.sha256(b"body { color: navy; }").hexdigest()[:12] != first


def test_no_fingerprint_for_a_missing_file(tmp_path):
    assert content_fingerprint(str(tmp_path / "missing.js")) is None


@pytest.mark.parametrize("endpoint,static", [("static", True), ("bootstrap.static", True), ("swagger.static", True),
                                             ("main.home", False), ("staticpages", False), (None, False)])
def test_static_endpoints(endpoint, static):
    assert is_static_endpoint(endpoint) is static


@pytest.mark.parametrize("params,window", [
    ({}, None),
    ({"units": 1}, None),
    ({"page": 1}, (0, UNITS_PER_PAGE)),
    ({"page": 3, "per_page": 50}, (100, 50)),
    ({"per_page": 20}, (0, 20)),
])
def test_the_unit_lines_window(params, window):
    assert RollupQuery(round=1, **params).units_window() == window


def test_the_entity_tag_depends_on_every_part():
    base = ((7, 1, "2020-07-15", "open", 42, 10, 12, 99), 3, "2026-12-04", None, None, None)
    tag = version_etag(*base)
    assert tag == version_etag(*base) and len(tag) == 32 and '"' not in tag
    for i in range(len(base)):
        changed = list(base)
        changed[i] = "other"
        assert version_etag(*changed) != tag
