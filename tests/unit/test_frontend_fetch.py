"""tools/frontend.py: tarballs are checked against their integrity and only listed files are written."""
from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("frontend", Path(__file__).parents[2] / "tools" / "frontend.py")
frontend = importlib.util.module_from_spec(spec)
spec.loader.exec_module(frontend)


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_tarball_url_of_plain_and_scoped_packages():
    assert frontend.tarball_url("https://r.example/", "axe-core", "4.1.0") == "https://r.example/axe-core/-/axe-core-4.1.0.tgz"
    assert (frontend.tarball_url("https://r.example", "@fontsource/sarabun", "5.0.0")
            == "https://r.example/@fontsource/sarabun/-/sarabun-5.0.0.tgz")


def test_integrity_mismatch_is_refused():
    data = tarball({"package/a.js": b"ok"})
    frontend.check_integrity(data, sri(data))
    with pytest.raises(ValueError):
        frontend.check_integrity(data + b"x", sri(data))


def test_only_listed_files_and_directories_are_written(tmp_path: Path):
    data = tarball({"package/dist/a.js": b"a", "package/files/x.woff2": b"x", "package/files/y.woff2": b"y",
                    "package/secret.txt": b"no"})
    frontend.extract(data, {"dist/a.js": "lib/a.js", "files/": "font/"}, tmp_path)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["font/x.woff2", "font/y.woff2", "lib/a.js"]


def test_a_missing_file_or_an_escaping_path_is_refused(tmp_path: Path):
    data = tarball({"package/a.js": b"a"})
    with pytest.raises(ValueError):
        frontend.extract(data, {"b.js": "b.js"}, tmp_path)
    with pytest.raises(ValueError):
        frontend.extract(data, {"a.js": "../../outside.js"}, tmp_path)
