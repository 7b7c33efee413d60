"""Where attachment files live, behind one interface: a local directory (PRACHUM_UPLOADS, the default) or
S3-compatible object storage through boto3 (PRACHUM_STORAGE=s3, PRACHUM_S3_ENDPOINT, PRACHUM_S3_BUCKET, and the
standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), so that several web nodes share the same files.

Callers use `storage()` and never a path: put, read, stream (for downloads, in chunks), delete, exists, keys,
ready. A storage that cannot do it raises StorageError, which the attachment services turn into a 503."""
from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from flask import current_app

CHUNK = 64 * 1024


class StorageError(Exception):
    """The storage cannot be reached or refused the operation."""


class Storage(Protocol):
    name: str

    def put(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def stream(self, key: str) -> tuple[Iterator[bytes], int]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self) -> Iterator[str]: ...
    def ready(self) -> bool: ...


class LocalStorage:
    """Files in one directory, named by their key."""

    name = "local"

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise StorageError(f"not a storage key: {key!r}")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.write_bytes(data)
        except OSError as error:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # a partly written file
            raise StorageError(str(error)) from error

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as error:
            raise StorageError(str(error)) from error

    def stream(self, key: str) -> tuple[Iterator[bytes], int]:
        path = self._path(key)
        try:
            handle = path.open("rb")
            size = path.stat().st_size
        except OSError as error:
            raise StorageError(str(error)) from error

        def chunks() -> Iterator[bytes]:
            with handle:
                while block := handle.read(CHUNK):
                    yield block

        return chunks(), size

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> Iterator[str]:
        if self.root.is_dir():
            yield from sorted(path.name for path in self.root.iterdir() if path.is_file())

    def ready(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root) as probe:
                probe.write(b"ok")
                probe.flush()
        except OSError:
            return False
        return True


class S3Storage:
    """Objects in one bucket of an S3-compatible service, named by their key."""

    name = "s3"

    def __init__(self, bucket: str, endpoint: str | None = None, region: str | None = None):
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint or None, region_name=region or "us-east-1",
                                   config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                                 connect_timeout=5, read_timeout=30))

    def _call(self, operation: str, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(kwargs.get("Key")) from error
            raise StorageError(str(error)) from error
        except BotoCoreError as error:
            raise StorageError(str(error)) from error

    def put(self, key: str, data: bytes) -> None:
        self._call("put_object", Key=key, Body=data)

    def read(self, key: str) -> bytes:
        try:
            return self._call("get_object", Key=key)["Body"].read()
        except FileNotFoundError as error:
            raise StorageError(f"no object {key}") from error

    def stream(self, key: str) -> tuple[Iterator[bytes], int]:
        try:
            answer = self._call("get_object", Key=key)
        except FileNotFoundError as error:
            raise StorageError(f"no object {key}") from error
        body = answer["Body"]

        def chunks() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        return chunks(), int(answer["ContentLength"])

    def delete(self, key: str) -> None:
        self._call("delete_object", Key=key)

    def exists(self, key: str) -> bool:
        try:
            self._call("head_object", Key=key)
        except FileNotFoundError:
            return False
        return True

    def keys(self) -> Iterator[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
                for item in page.get("Contents", []):
                    yield item["Key"]
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error

    def ready(self) -> bool:
        try:
            self._call("head_bucket")
        except (StorageError, FileNotFoundError):
            return False
        return True


def storage_from(config, kind: str | None = None) -> Storage:
    """The storage a configuration names (kind: "local" or "s3"; default PRACHUM_STORAGE)."""
    kind = (kind or config.get("PRACHUM_STORAGE") or "local").lower()
    if kind == "s3":
        if not config.get("PRACHUM_S3_BUCKET"):
            raise StorageError("PRACHUM_STORAGE=s3 needs PRACHUM_S3_BUCKET")
        return S3Storage(config["PRACHUM_S3_BUCKET"], config.get("PRACHUM_S3_ENDPOINT"), config.get("PRACHUM_S3_REGION"))
    if kind == "local":
        return LocalStorage(config["PRACHUM_UPLOADS"])
    raise StorageError(f"PRACHUM_STORAGE must be local or s3, not {kind!r}")


def storage() -> Storage:
    """This app's attachment storage (made once per app and settings)."""
    config = current_app.config
    key = (config.get("PRACHUM_STORAGE"), config.get("PRACHUM_UPLOADS"), config.get("PRACHUM_S3_BUCKET"),
           config.get("PRACHUM_S3_ENDPOINT"))
    kept = current_app.extensions.get("prachum_storage")
    if kept is None or kept[0] != key:
        kept = (key, storage_from(config))
        current_app.extensions["prachum_storage"] = kept
    return kept[1]


def move_files(source: Storage, target: Storage, keys: list[str], *, keep: bool = False) -> tuple[int, int]:
    """Copy each key from source to target (checked by reading it back), then delete it from the source unless
    `keep`; (moved, missing in the source)."""
    moved = missing = 0
    for key in keys:
        try:
            data = source.read(key)
        except StorageError:
            missing += 1
            continue
        target.put(key, data)
        if target.read(key) != data:
            raise StorageError(f"{key}: the copy in {target.name} differs")
        if not keep:
            source.delete(key)
        moved += 1
    return moved, missing


# --- command line ------------------------------------------------------------------------------------

import click  # noqa: E402
from flask.cli import AppGroup  # noqa: E402

storage_cli = AppGroup("storage", help="The attachment storage: local directory or S3-compatible bucket.")


@storage_cli.command("move")
@click.option("--from", "source", type=click.Choice(["local", "s3"]), required=True)
@click.option("--to", "target", type=click.Choice(["local", "s3"]), required=True)
@click.option("--keep", is_flag=True, help="Copy only: leave the files in the source too.")
def move_command(source: str, target: str, keep: bool) -> None:
    """Move every attachment file from one storage to the other (each copy read back before the original goes);
    then set PRACHUM_STORAGE to the target on every node."""
    from sqlalchemy import select

    from app.attachments.models import Attachment
    from app.extensions import db

    if source == target:
        raise click.BadParameter("--from and --to name the same storage")
    keys = list(db.session.scalars(select(Attachment.storage_key).where(Attachment.storage_key.is_not(None))
                                   .order_by(Attachment.id)))
    try:
        moved, missing = move_files(storage_from(current_app.config, source), storage_from(current_app.config, target),
                                    keys, keep=keep)
    except StorageError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"moved {moved} files from {source} to {target}; missing in {source}: {missing}")
    if missing:
        raise SystemExit(1)
