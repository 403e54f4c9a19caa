"""SMS behind a small interface; the backend is chosen by settings.SMS_BACKEND.

- `services.notifications.sms.ConsoleBackend`: prints (dev)
- `services.notifications.sms.FileBackend`: one file per message in SMS_FILE_PATH (dev)
- `services.notifications.sms.LocmemBackend`: keeps messages in `outbox` (tests)
A gateway backend implements `send(to, text)` the same way.
"""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list[tuple[str, str]] = []


class ConsoleBackend:
    def send(self, to: str, text: str) -> None:
        print(f"SMS to {to[:4]}…: {text}")  # noqa: T201 - the development backend


class FileBackend:
    def send(self, to: str, text: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{time.time():.0f}-{uuid.uuid4().hex[:8]}.txt").write_text(f"To: {to}\n\n{text}\n")


class LocmemBackend:
    def send(self, to: str, text: str) -> None:
        outbox.append((to, text))


def send_sms(*, to: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to, text)
