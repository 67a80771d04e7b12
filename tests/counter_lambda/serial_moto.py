"""`python -m tests.counter_lambda.serial_moto PORT`: moto's server with requests serialised.

moto's DynamoDB backend applies `UpdateItem ... ADD` as an unlocked read-modify-write in
Python, so under concurrent requests moto itself loses increments (16 threads x 1,000 raw
boto3 ADDs against `python -m moto.server` ended at 998 in one of three trials). Real
DynamoDB applies each UpdateItem atomically; this server restores that property by
running one request at a time, while clients still send concurrently. A client that read
then wrote would still lose updates here, so exactness tests keep their power.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from tests.conftest import moto_process

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def running() -> Iterator[str]:
    """Run the server in a subprocess on a free loopback port; yields its endpoint."""
    argv = [sys.executable, "-m", "tests.counter_lambda.serial_moto", "{port}"]
    with moto_process(argv, cwd=REPO) as server:
        yield server.endpoint


def main(port: int) -> None:
    moto_app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            return list(moto_app(environ, start_response))

    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main(int(sys.argv[1]))
