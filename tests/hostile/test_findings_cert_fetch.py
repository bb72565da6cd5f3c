"""Issue 14, finding 12: the certificate URL of an Alexa request is the sender's choice, and it is
read before anything is verified. Unsigned requests must not make the service download what they
like, as often as they like, for as long as the far end cares to trickle it: a query string is
refused, a refused URL is not fetched again, and a download has an overall deadline and a size
cap. The far end here is a server of the test's own on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter

import pytest

from skill import verification
from skill.verification import VerificationError, fetch_certificate_chain, verify_request

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
BODY = b'{"request": {"type": "LaunchRequest"}}'
SIGNATURE = "c2lnbmF0dXJl"  # base64 of "signature": it never gets as far as being checked


@pytest.fixture(autouse=True)
def empty_caches():
    verification.clear_certificate_cache()
    yield
    verification.clear_certificate_cache()


class CountingFetch:
    def __init__(self):
        self.urls: Counter[str] = Counter()

    def __call__(self, url: str) -> bytes:
        self.urls[url] += 1
        raise OSError("403 Forbidden")  # what S3 answers for a file that is not there


def refused(cert_url: str, fetch) -> str:
    with pytest.raises(VerificationError) as raised:
        verify_request({"SignatureCertChainUrl": cert_url, "Signature-256": SIGNATURE}, BODY, fetch=fetch)
    return raised.value.reason


@pytest.mark.parametrize("suffix", ["?x=1", "?x=2", "?", "?versionId=abc", "?x=1#frag"])
def test_a_certificate_url_with_a_query_string_is_refused_without_a_download(suffix):
    fetch = CountingFetch()
    assert refused(CERT_URL + suffix, fetch) == "certificate URL has a query string"
    assert sum(fetch.urls.values()) == 0


def test_a_url_that_was_refused_is_not_downloaded_again():
    fetch = CountingFetch()
    first = refused(CERT_URL, fetch)
    for _ in range(20):
        assert refused(CERT_URL, fetch) == first
    assert fetch.urls[CERT_URL] == 1


# ---- a far end of our own -------------------------------------------------------------------------


class Trickler:
    """Accepts connections on 127.0.0.1 and answers each with `script(connection)` in a thread of
    its own; stops everything it started when the test ends."""

    def __init__(self, script):
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, connection):
        with connection:
            connection.settimeout(1)
            try:
                connection.recv(4096)  # the request
                self.script(connection, self.stopping)
            except OSError:
                pass

    def url(self, path: str = "/echo.api/chain.pem") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.stopping.set()
        self.listener.close()
        self.acceptor.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=5)


TRICKLE_FOR_S = 15.0  # far past the deadline; the test's own bound if the deadline did not work


def trickle(prefix: bytes, filler: bytes):
    def script(connection, stopping):
        connection.sendall(prefix)
        end = time.monotonic() + TRICKLE_FOR_S
        while time.monotonic() < end and not stopping.is_set():
            connection.sendall(filler)
            time.sleep(0.25)
    return script


@pytest.fixture
def far_end():
    started = []

    def start(script) -> Trickler:
        server = Trickler(script)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.mark.parametrize(("prefix", "filler"), [
    pytest.param(b"HTTP/1.1 200 OK\r\n", b"X-Slow: a\r\n", id="headers a line at a time"),
    pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n", b"-", id="a body a byte at a time"),
    pytest.param(b"", b"H", id="a status line a byte at a time"),
])
def test_a_download_that_trickles_gives_up_at_the_overall_deadline(far_end, prefix, filler):
    server = far_end(trickle(prefix, filler))
    started = time.monotonic()
    with pytest.raises(VerificationError) as raised:
        fetch_certificate_chain(server.url())
    took = time.monotonic() - started
    assert took < verification.FETCH_DEADLINE_SECONDS + 1.5, f"the download went on for {took:.1f} s"
    assert raised.value.reason in ("certificate chain download took too long",
                                   "certificate chain could not be downloaded")


def test_a_chain_larger_than_the_cap_is_refused_even_without_a_content_length(far_end):
    def endless(connection, stopping):
        connection.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        chunk = b"A" * 8192
        for _ in range(64):  # 512 KiB at most, eight times the cap
            if stopping.is_set():
                return
            connection.sendall(chunk)

    server = far_end(endless)
    with pytest.raises(VerificationError) as raised:
        fetch_certificate_chain(server.url())
    assert raised.value.reason == "certificate chain is too large"


def test_made_up_urls_cannot_start_more_than_a_few_downloads_a_minute(far_end):
    def not_found(connection, stopping):
        connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    server = far_end(not_found)
    for n in range(3 * verification.DOWNLOADS_PER_MINUTE):
        with pytest.raises(VerificationError):
            fetch_certificate_chain(server.url(f"/echo.api/made-up-{n}.pem"))
    deadline = time.monotonic() + 2
    while server.accepted < verification.DOWNLOADS_PER_MINUTE and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.accepted == verification.DOWNLOADS_PER_MINUTE
