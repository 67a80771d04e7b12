"""Every request of `cvgen smoke` has a total deadline: a server that answers a byte at a
time (each byte well inside the socket's timeout) cannot keep it waiting."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvgen.smoke.client import Client, FetchError
from tests.conftest import run_cvgen

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"


class Trickle:
    """Answers every connection a byte every 0.05 s: in the headers (`head=True`) or once
    the headers are sent, in the body. Stops, and closes its sockets, when the test ends."""

    def __init__(self, head: bool) -> None:
        self.head = head
        self.stop = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/"
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            worker = threading.Thread(target=self._trickle, args=(conn,), daemon=True)
            self.threads.append(worker)
            worker.start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            answer = HEAD + b"x" * 100_000
            if not self.head:
                conn.sendall(HEAD)
                answer = answer[len(HEAD) :]
            for byte in answer:
                if self.stop.wait(0.05):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(5)
        self.server.close()


@pytest.fixture(params=[True, False], ids=["headers", "body"])
def trickle(request: pytest.FixtureRequest) -> Iterator[Trickle]:
    server = Trickle(head=request.param)
    yield server
    server.close()


def test_a_request_fails_at_its_deadline_however_the_bytes_trickle(trickle: Trickle) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no whole answer within 1 s \(--timeout\)"):
        Client(timeout=1.0).request("GET", trickle.url)
    assert time.monotonic() - started < 3


def test_cvgen_smoke_stops_at_the_deadline_with_a_failed_check(
    trickle: Trickle, tmp_path: Path
) -> None:
    (tmp_path / "cvgen.yaml").write_text("site:\n  title: T\n")
    (tmp_path / "content").mkdir()
    started = time.monotonic()
    done = run_cvgen(
        "smoke", "--root", str(tmp_path), "--url", trickle.url, "--timeout", "1", timeout=60
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "no whole answer within 1 s" in done.stdout + done.stderr
    assert time.monotonic() - started < 20
