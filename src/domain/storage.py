"""Where uploaded files live: a folder under the data folder on a machine, an S3 bucket on AWS.

The interface is small on purpose (put, get, delete by key); callers run it off the event loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from src.settings import Settings

_KEY = re.compile(r"^[a-z]+/[A-Za-z0-9._-]{1,200}$")


class InvalidKeyError(ValueError):
    pass


def check_key(key: str) -> str:
    """Keys are `folder/name` made by the app; anything else (a `..`, a slash) is refused."""
    if not _KEY.match(key) or ".." in key:
        raise InvalidKeyError(key)
    return key


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    content_type: str


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> StoredFile | None: ...
    def delete(self, key: str) -> None: ...


_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class LocalStorage:
    root: Path

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file

    def get(self, key: str) -> StoredFile | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        return StoredFile(data, _TYPES.get(path.suffix, "application/octet-stream"))

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


@dataclass(frozen=True)
class S3Storage:
    bucket: str
    client: Any  # a boto3 S3 client (the Lambda runtime provides boto3)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type
        )

    def get(self, key: str) -> StoredFile | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return StoredFile(answer["Body"].read(), answer.get("ContentType", "image/webp"))

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))


@cache
def storage(settings: Settings) -> Storage:
    """The configured storage: S3 when UPLOAD_BUCKET is set, else the data folder."""
    if settings.upload_bucket:
        import boto3  # type: ignore[import-not-found]  # in the Lambda runtime

        return S3Storage(settings.upload_bucket, boto3.client("s3"))
    return LocalStorage(settings.data_dir / "uploads")
