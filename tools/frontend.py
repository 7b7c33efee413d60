#!/usr/bin/env python3
"""Fetch the front-end packages listed in frontend.json from the npm registry into static/vendor/.

Python only (urllib, tarfile, hashlib): no Node.js needed to serve the app. Each tarball is checked against
the registry's sha512 integrity before anything is extracted; only the listed files are written. Government
networks are often offline: run this once where the registry is reachable (or point NPM_CONFIG_REGISTRY at a
mirror), then the app serves every file itself.

    python3 tools/frontend.py          # fetch what is missing or changed (idempotent)
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "frontend.json"
VENDOR = ROOT / "static" / "vendor"
STAMP = VENDOR / ".fetched"
DEFAULT_REGISTRY = "https://registry.npmjs.org"


def tarball_url(registry: str, name: str, version: str) -> str:
    """The registry's address of a package's tarball (scoped names keep their scope in the path only)."""
    basename = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{basename}-{version}.tgz"


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise when the bytes do not match an SRI string such as 'sha512-…'."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in {"sha512", "sha384", "sha256", "sha1"}:
        raise ValueError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ValueError("integrity check failed")


def extract(data: bytes, files: dict[str, str], target: Path) -> list[Path]:
    """Write the listed files (or directories, keys ending in '/') of an npm tarball under target."""
    written: list[Path] = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        for source, destination in files.items():
            matched = False
            for member in members:
                inner = member.name.split("/", 1)[1] if "/" in member.name else member.name
                if source.endswith("/"):
                    if not inner.startswith(source):
                        continue
                    out = target / destination / inner[len(source):]
                elif inner == source:
                    out = target / destination
                else:
                    continue
                resolved = out.resolve()
                if not str(resolved).startswith(str(target.resolve()) + os.sep):
                    raise ValueError(f"{member.name} would be written outside {target}")
                resolved.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as stream, open(resolved, "wb") as handle:
                    shutil.copyfileobj(stream, handle)
                written.append(resolved)
                matched = True
            if not matched:
                raise ValueError(f"{source} is not in the tarball")
    return written


def fetch_all(manifest: Path = MANIFEST, target: Path = VENDOR) -> bool:
    """Fetch every package unless the manifest is unchanged since the last fetch; True when something was fetched."""
    text = manifest.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    stamp = target / ".fetched"
    if stamp.exists() and stamp.read_text() == digest:
        return False
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry") or DEFAULT_REGISTRY
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for package in json.loads(text)["packages"]:
        url = tarball_url(registry, package["name"], package["version"])
        print(f"fetching {package['name']}@{package['version']} …", flush=True)
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        check_integrity(data, package["integrity"])
        extract(data, package["files"], target)
    stamp.write_text(digest)
    return True


if __name__ == "__main__":
    try:
        fetch_all()
    except (OSError, ValueError) as error:
        sys.exit(f"front-end packages: {error}")
