"""Only requests Alexa really sent, recently, for this skill, get past skill.verification.

Every case signs with a test PKI (tests/skill/alexa_ca.py) injected as the only trusted root and
serves the chain through an injected fetch: no network.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alexa_ca import (
    AMAZON_CHAIN_2023,
    AMAZON_CHAIN_2023_URL,
    CERT_URL,
    SKILL_ID,
    AlexaSigner,
    body_of,
    launch_envelope,
    pem,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill import verification
from skill.verification import VerificationError, fetch_certificate_chain, normalised_cert_url, verify_request

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NOT_UNDER_ECHO_API = "certificate URL path is not under /echo.api/"


@pytest.fixture(autouse=True)
def empty_certificate_cache():
    verification.clear_certificate_cache()
    yield
    verification.clear_certificate_cache()


@pytest.fixture
def amazon() -> AlexaSigner:
    return AlexaSigner(NOW)


def signed_launch(amazon: AlexaSigner, *, sent_at: datetime = NOW, application_id: str = SKILL_ID):
    body = body_of(launch_envelope(sent_at, application_id=application_id))
    return amazon.headers(body), body


def verify(amazon: AlexaSigner, headers, body, *, now: datetime = NOW, skill_id: str | None = SKILL_ID):
    return verify_request(
        headers, body, now=now, skill_id=skill_id, trust_roots=amazon.trust_roots, fetch=amazon.fetch
    )


def refusal(amazon: AlexaSigner, headers, body, **kwargs) -> str:
    with pytest.raises(VerificationError) as refused:
        verify(amazon, headers, body, **kwargs)
    return refused.value.reason


# --- the good path -------------------------------------------------------------------------------


def test_a_request_signed_with_alexas_certificate_is_accepted_and_returned_parsed(amazon):
    headers, body = signed_launch(amazon)

    envelope = verify(amazon, headers, body)

    assert envelope == json.loads(body)
    assert envelope["request"]["type"] == "LaunchRequest"


def test_header_names_are_matched_whatever_their_case(amazon):
    headers, body = signed_launch(amazon)
    lowercase = {name.lower(): value for name, value in headers.items()}

    assert verify(amazon, lowercase, body)["request"]["type"] == "LaunchRequest"


def test_without_a_configured_skill_id_any_skills_request_is_accepted(amazon):
    headers, body = signed_launch(amazon, application_id="amzn1.ask.skill.someone-else")

    assert verify(amazon, headers, body, skill_id=None)["session"]["application"]["applicationId"] == (
        "amzn1.ask.skill.someone-else"
    )


# --- the signature -------------------------------------------------------------------------------


def test_a_body_changed_after_signing_is_refused(amazon):
    headers, body = signed_launch(amazon)
    tampered = body.replace(b"LaunchRequest", b"IntentRequest")

    assert refusal(amazon, headers, tampered) == "signature does not match the body"


def test_a_body_differing_only_in_whitespace_is_refused_because_the_raw_bytes_are_signed(amazon):
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body + b" ") == "signature does not match the body"


def test_a_signature_made_by_another_key_is_refused(amazon):
    headers, body = signed_launch(amazon)
    impostor = AlexaSigner(NOW, prefix="impostor")
    headers["Signature-256"] = impostor.signature(body)

    assert refusal(amazon, headers, body) == "signature does not match the body"


@pytest.mark.parametrize("malformed", ["not base64 at all!", "QUJD*", "  ", "=="])
def test_a_signature_that_is_not_base64_is_refused(amazon, malformed):
    headers, body = signed_launch(amazon)
    headers["Signature-256"] = malformed

    with pytest.raises(VerificationError):
        verify(amazon, headers, body)


def test_the_legacy_sha1_signature_header_alone_is_not_accepted(amazon):
    headers, body = signed_launch(amazon)
    headers["Signature"] = headers.pop("Signature-256")

    assert refusal(amazon, headers, body) == "Signature-256 header is missing"


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_a_request_missing_a_signing_header_is_refused(amazon, missing):
    headers, body = signed_launch(amazon)
    del headers[missing]

    assert refusal(amazon, headers, body) == f"{missing} header is missing"


def test_a_request_with_no_headers_at_all_is_refused(amazon):
    _, body = signed_launch(amazon)

    with pytest.raises(VerificationError):
        verify(amazon, {}, body)


# --- the certificate URL -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cert_url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "certificate URL is not https"),
        ("ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", "certificate URL is not https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "certificate URL host is not s3.amazonaws.com"),
        (
            "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
            "certificate URL host is not s3.amazonaws.com",
        ),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", NOT_UNDER_ECHO_API),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", NOT_UNDER_ECHO_API),
        ("https://s3.amazonaws.com/echo.api/../x", NOT_UNDER_ECHO_API),
        ("https://s3.amazonaws.com/echo.api/%2e%2e/x", NOT_UNDER_ECHO_API),
        ("https://s3.amazonaws.com/echo.api", NOT_UNDER_ECHO_API),
        ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem", "certificate URL port is not 443"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "certificate URL port is not 443"),
        ("https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem", "certificate URL is not a URL"),
        (
            "https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert.pem",
            "certificate URL carries credentials",
        ),
        ("echo.api/echo-api-cert.pem", "certificate URL is not https"),
    ],
)
def test_a_certificate_url_outside_amazons_rules_is_refused_without_downloading(amazon, cert_url, reason):
    amazon.served[cert_url] = amazon.served[CERT_URL]
    _, body = signed_launch(amazon)
    headers = amazon.headers(body, cert_url=cert_url)

    assert refusal(amazon, headers, body) == reason
    assert sum(amazon.downloads.values()) == 0


@pytest.mark.parametrize(
    "cert_url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/../echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/./echo-api-cert-test.pem",
    ],
)
def test_certificate_urls_amazon_allows_are_accepted_and_downloaded_in_normal_form(amazon, cert_url):
    served_at = normalised_cert_url(cert_url)
    amazon.served[served_at] = amazon.served[CERT_URL]
    _, body = signed_launch(amazon)

    verify(amazon, amazon.headers(body, cert_url=cert_url), body)

    assert list(amazon.downloads) == [served_at]
    assert served_at.startswith("https://s3.amazonaws.com")
    assert "/echo.api/echo-api-cert-test.pem" in served_at


# --- the certificate -----------------------------------------------------------------------------


def test_an_expired_signing_certificate_is_refused(amazon):
    amazon.serve(
        CERT_URL, amazon.issue_leaf(not_before=NOW - timedelta(days=90), not_after=NOW - timedelta(seconds=1))
    )
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate has expired"


def test_a_signing_certificate_not_yet_valid_is_refused(amazon):
    amazon.serve(
        CERT_URL, amazon.issue_leaf(not_before=NOW + timedelta(minutes=5), not_after=NOW + timedelta(days=90))
    )
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate is not yet valid"


def test_a_signing_certificate_without_a_subject_alternative_name_is_refused(amazon):
    amazon.serve(CERT_URL, amazon.issue_leaf(dns_names=()))
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate is not for echo-api.amazon.com"


def test_a_signing_certificate_for_another_name_is_refused(amazon):
    amazon.serve(CERT_URL, amazon.issue_leaf(dns_names=("echo-api.amazon.com.evil.example", "evil.example")))
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate is not for echo-api.amazon.com"


def test_a_chain_from_an_untrusted_root_is_refused(amazon):
    impostor = AlexaSigner(NOW, prefix="impostor")
    headers, body = signed_launch(impostor)

    # The impostor's chain is perfectly formed; only the trusted roots tell it apart.
    with pytest.raises(VerificationError) as refused:
        verify_request(
            headers, body, now=NOW, skill_id=SKILL_ID, trust_roots=amazon.trust_roots, fetch=impostor.fetch
        )
    assert refused.value.reason == "signing certificate does not chain to a trusted root"


def test_a_leaf_served_without_its_intermediate_is_refused(amazon):
    amazon.served[CERT_URL] = pem(amazon.leaf)
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate does not chain to a trusted root"


def test_an_intermediate_that_has_expired_breaks_the_chain(amazon):
    from alexa_ca import make_intermediate, make_leaf

    stale = make_intermediate(
        "stale intermediate",
        amazon.intermediate_key,
        amazon.root,
        amazon.root_key,
        NOW - timedelta(days=400),
        NOW - timedelta(days=1),
    )
    leaf = make_leaf(
        amazon.leaf_key, stale, amazon.intermediate_key, NOW - timedelta(days=2), NOW + timedelta(days=30)
    )
    amazon.served[CERT_URL] = pem(leaf, stale)
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "signing certificate does not chain to a trusted root"


def test_a_download_that_is_not_a_pem_chain_is_refused(amazon):
    amazon.served[CERT_URL] = b"<html>Access Denied</html>"
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "certificate chain is not PEM"


def test_a_failed_download_is_refused_not_raised_as_something_else(amazon):
    del amazon.served[CERT_URL]
    headers, body = signed_launch(amazon)

    assert refusal(amazon, headers, body) == "certificate chain could not be downloaded"


def test_an_empty_trust_store_trusts_nothing(amazon):
    headers, body = signed_launch(amazon)

    with pytest.raises(VerificationError):
        verify_request(headers, body, now=NOW, trust_roots=[], fetch=amazon.fetch)


def test_by_default_the_chain_must_lead_to_a_root_certifi_trusts(amazon):
    headers, body = signed_launch(amazon)

    with pytest.raises(VerificationError) as refused:
        verify_request(headers, body, now=NOW, fetch=amazon.fetch)
    assert refused.value.reason == "signing certificate does not chain to a trusted root"


def _request_under_amazons_2023_chain(amazon: AlexaSigner, at: datetime):
    body = body_of(launch_envelope(at))
    # Amazon's key is Amazon's, so the best a test can sign with is its own: the refusal reason
    # then shows how far the real chain got.
    headers = amazon.headers(body, cert_url=AMAZON_CHAIN_2023_URL)
    return headers, body, {AMAZON_CHAIN_2023_URL: AMAZON_CHAIN_2023}.__getitem__


def test_amazons_real_2023_chain_is_trusted_through_certifi_while_it_was_valid(amazon):
    at = datetime(2023, 6, 1, 12, tzinfo=UTC)
    headers, body, fetch = _request_under_amazons_2023_chain(amazon, at)

    with pytest.raises(VerificationError) as refused:
        verify_request(headers, body, now=at, fetch=fetch)
    # Past the URL, the dates, the name and the chain to Amazon Root CA 1: only our key is wrong.
    assert refused.value.reason == "signature does not match the body"


def test_amazons_real_2023_chain_is_refused_after_it_expired(amazon):
    at = datetime(2024, 1, 1, tzinfo=UTC)
    headers, body, fetch = _request_under_amazons_2023_chain(amazon, at)

    with pytest.raises(VerificationError) as refused:
        verify_request(headers, body, now=at, fetch=fetch)
    assert refused.value.reason == "signing certificate has expired"


# --- the body ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00",
        b"[1, 2, 3]",
        b'"LaunchRequest"',
        b'{"version": "1.0"}',
        b'{"request": 7}',
    ],
)
def test_a_correctly_signed_body_that_is_not_an_alexa_envelope_is_refused(amazon, body):
    with pytest.raises(VerificationError) as refused:
        verify(amazon, amazon.headers(body), body)
    assert refused.value.reason in {"body is not JSON", "body is not an Alexa request envelope"}


def test_the_reason_for_a_refusal_never_repeats_the_body(amazon):
    body = b'{"request": {"type": "IntentRequest", "timestamp": "yesterday"}, "pain_score": 9, "pop": "yes"'
    with pytest.raises(VerificationError) as refused:
        verify(amazon, amazon.headers(body), body)

    assert "pain_score" not in str(refused.value)
    assert "pain_score" not in repr(refused.value)
    assert isinstance(refused.value, ValueError)


# --- the timestamp -------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [timedelta(seconds=151), timedelta(minutes=10), timedelta(days=1)])
def test_a_request_sent_more_than_150_seconds_ago_is_refused(amazon, offset):
    headers, body = signed_launch(amazon, sent_at=NOW - offset)

    assert refusal(amazon, headers, body) == "request timestamp is more than 150 seconds from now"


@pytest.mark.parametrize("offset", [timedelta(seconds=151), timedelta(hours=1)])
def test_a_request_stamped_more_than_150_seconds_in_the_future_is_refused(amazon, offset):
    headers, body = signed_launch(amazon, sent_at=NOW + offset)

    assert refusal(amazon, headers, body) == "request timestamp is more than 150 seconds from now"


@pytest.mark.parametrize("offset", [timedelta(seconds=-150), timedelta(seconds=150), timedelta(0)])
def test_a_request_within_150_seconds_either_way_is_accepted(amazon, offset):
    headers, body = signed_launch(amazon, sent_at=NOW + offset)

    assert verify(amazon, headers, body)["request"]["type"] == "LaunchRequest"


def test_timestamps_with_milliseconds_are_understood(amazon):
    envelope = launch_envelope(NOW)
    envelope["request"]["timestamp"] = "2026-03-02T09:29:59.123Z"
    body = body_of(envelope)

    assert verify(amazon, amazon.headers(body), body)["request"]["timestamp"].endswith(".123Z")


@pytest.mark.parametrize("stamp", [None, 1772443800, "not a time", "", "2026-13-45T99:00:00Z"])
def test_a_missing_or_unreadable_timestamp_is_refused(amazon, stamp):
    envelope = launch_envelope(NOW)
    envelope["request"]["timestamp"] = stamp
    body = body_of(envelope)

    assert refusal(amazon, amazon.headers(body), body).startswith("request timestamp is")


# --- the skill id --------------------------------------------------------------------------------


def test_a_request_for_another_skill_is_refused(amazon):
    headers, body = signed_launch(amazon, application_id="amzn1.ask.skill.someone-else")

    assert refusal(amazon, headers, body) == "request is for another skill"


def test_a_request_without_a_session_is_matched_on_the_context_application_id(amazon):
    envelope = launch_envelope(NOW)
    del envelope["session"]
    body = body_of(envelope)

    assert "session" not in verify(amazon, amazon.headers(body), body)


def test_a_request_whose_session_and_context_name_different_skills_is_refused(amazon):
    envelope = launch_envelope(NOW)
    envelope["context"]["System"]["application"] = {"applicationId": "amzn1.ask.skill.someone-else"}
    body = body_of(envelope)

    assert refusal(amazon, amazon.headers(body), body) == "request is for another skill"


def test_a_request_naming_no_skill_is_refused_when_a_skill_id_is_configured(amazon):
    envelope = launch_envelope(NOW)
    del envelope["session"]
    del envelope["context"]
    body = body_of(envelope)

    assert refusal(amazon, amazon.headers(body), body) == "request is for another skill"


# --- the certificate cache -----------------------------------------------------------------------


def test_a_verified_chain_is_reused_without_downloading_it_again(amazon):
    for seconds in range(3):
        headers, body = signed_launch(amazon, sent_at=NOW + timedelta(seconds=seconds))
        verify(amazon, headers, body, now=NOW + timedelta(seconds=seconds))

    assert amazon.downloads[CERT_URL] == 1


def test_a_cached_chain_still_checks_every_signature(amazon):
    headers, body = signed_launch(amazon)
    verify(amazon, headers, body)

    assert refusal(amazon, headers, body.replace(b"en-US", b"en-GB")) == "signature does not match the body"
    assert amazon.downloads[CERT_URL] == 1


def test_the_cache_expires_with_the_certificate(amazon):
    expires = NOW + timedelta(hours=1)
    amazon.serve(CERT_URL, amazon.issue_leaf(not_after=expires))
    headers, body = signed_launch(amazon)
    verify(amazon, headers, body)

    later = expires + timedelta(seconds=1)
    headers, body = signed_launch(amazon, sent_at=later)

    assert refusal(amazon, headers, body, now=later) == "signing certificate has expired"
    assert amazon.downloads[CERT_URL] == 2


def test_after_expiry_a_renewed_certificate_at_the_same_url_is_downloaded_and_used(amazon):
    expires = NOW + timedelta(hours=1)
    amazon.serve(CERT_URL, amazon.issue_leaf(not_after=expires))
    headers, body = signed_launch(amazon)
    verify(amazon, headers, body)

    amazon.serve(CERT_URL, amazon.issue_leaf(not_after=NOW + timedelta(days=90)))
    later = expires + timedelta(minutes=1)
    headers, body = signed_launch(amazon, sent_at=later)

    assert verify(amazon, headers, body, now=later)["request"]["type"] == "LaunchRequest"
    assert amazon.downloads[CERT_URL] == 2


def test_a_chain_verified_against_one_set_of_roots_is_not_trusted_under_another(amazon):
    headers, body = signed_launch(amazon)
    verify(amazon, headers, body)
    other_roots = AlexaSigner(NOW, prefix="impostor").trust_roots

    with pytest.raises(VerificationError):
        verify_request(headers, body, now=NOW, trust_roots=other_roots, fetch=amazon.fetch)


def test_the_cache_holds_a_bounded_number_of_chains(amazon):
    urls = [
        f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(verification.CACHE_MAX_ENTRIES + 5)
    ]
    for url in urls:
        amazon.serve(url, amazon.leaf)
        _, body = signed_launch(amazon)
        verify(amazon, amazon.headers(body, cert_url=url), body)

    # The oldest chains were dropped, so the first URL is downloaded again and the newest is not.
    for url in (urls[0], urls[-1]):
        _, body = signed_launch(amazon)
        verify(amazon, amazon.headers(body, cert_url=url), body)
    assert amazon.downloads[urls[0]] == 2
    assert amazon.downloads[urls[-1]] == 1


def test_concurrent_requests_all_verify(amazon):
    results: list[object] = []

    def one(seconds: int) -> None:
        headers, body = signed_launch(amazon, sent_at=NOW + timedelta(seconds=seconds))
        try:
            results.append(
                verify(amazon, headers, body, now=NOW + timedelta(seconds=seconds))["request"]["type"]
            )
        except Exception as error:  # collected so the assertion below reports it
            results.append(error)

    threads = [threading.Thread(target=one, args=(n % 60,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["LaunchRequest"] * 16


# --- the default download ------------------------------------------------------------------------


class _LoopbackS3(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/chain.pem")
            self.end_headers()
            return
        payload = b"x" * (verification.FETCH_MAX_BYTES + 1) if self.path == "/huge" else b"PEM"
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_s3():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LoopbackS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_default_download_returns_the_bytes_served(loopback_s3):
    assert fetch_certificate_chain(f"{loopback_s3}/chain.pem") == b"PEM"


def test_the_default_download_does_not_follow_redirects(loopback_s3):
    with pytest.raises(VerificationError) as refused:
        fetch_certificate_chain(f"{loopback_s3}/redirect")
    assert refused.value.reason == "certificate chain could not be downloaded"


def test_the_default_download_refuses_an_oversized_chain(loopback_s3):
    with pytest.raises(VerificationError) as refused:
        fetch_certificate_chain(f"{loopback_s3}/huge")
    assert refused.value.reason == "certificate chain is too large"


# --- anything at all -----------------------------------------------------------------------------

_FUZZ_SIGNER = AlexaSigner(NOW, prefix="fuzz")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cert_url=st.one_of(
        st.text(max_size=80), st.sampled_from([CERT_URL, "https://s3.amazonaws.com/echo.api/"])
    ),
    signature=st.one_of(
        st.text(max_size=40), st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode())
    ),
    body=st.one_of(st.binary(max_size=200), st.just(body_of(launch_envelope(NOW)))),
)
def test_any_headers_and_body_are_either_verified_or_refused_never_crash(cert_url, signature, body):
    headers = {"SignatureCertChainUrl": cert_url, "Signature-256": signature}
    try:
        verify_request(headers, body, now=NOW, trust_roots=_FUZZ_SIGNER.trust_roots, fetch=_FUZZ_SIGNER.fetch)
    except VerificationError as refused:
        assert refused.reason


# --- POST /alexa: the same rules at the door of the Flask app -------------------------------------
# The app is built by tests/conftest.py's `app_config`, with this PKI injected through the seams
# exporter/alexa.py reads (ALEXA_TRUST_ROOTS, ALEXA_CERT_FETCH) and the app's fixed CLOCK as "now".


@pytest.fixture
def alexa(clock) -> AlexaSigner:
    return AlexaSigner(clock.now)


@pytest.fixture
def verified_client(app_config, alexa):
    from exporter import create_app

    config = dict(
        app_config,
        COACH_ALEXA_VERIFY="1",
        COACH_ALEXA_SKILL_ID=SKILL_ID,
        ALEXA_TRUST_ROOTS=alexa.trust_roots,
        ALEXA_CERT_FETCH=alexa.fetch,
        SKILL_TIMEZONE_LOOKUP=lambda handler_input: "Europe/London",
        BLUEPRINTS=("skill",),
    )
    flask_app = create_app(config)
    yield flask_app.test_client()
    flask_app.extensions["plan_store"].close()


def launch_body(clock, *, sent_at: datetime | None = None, application_id: str = SKILL_ID) -> bytes:
    from skill import envelopes

    return body_of(envelopes.launch_request(application_id=application_id, timestamp=sent_at or clock.now))


def post(client, headers, body):
    return client.post("/alexa", data=body, headers=headers)


def test_post_alexa_answers_a_verified_launch_with_the_skills_response(verified_client, alexa, clock):
    body = launch_body(clock)

    answer = post(verified_client, alexa.headers(body), body)

    assert answer.status_code == 200
    assert answer.get_json()["response"]["outputSpeech"]["ssml"]


def test_post_alexa_downloads_the_chain_once_for_many_requests(verified_client, alexa, clock):
    for _ in range(3):
        body = launch_body(clock)
        assert post(verified_client, alexa.headers(body), body).status_code == 200

    assert alexa.downloads[CERT_URL] == 1


def _tampered(alexa, clock):
    body = launch_body(clock)
    return alexa.headers(body), body.replace(b"en-US", b"en-GB")


def _cert_url(url):
    def case(alexa, clock):
        body = launch_body(clock)
        return alexa.headers(body, cert_url=url), body

    return case


def _leaf(**dates):
    def case(alexa, clock):
        shifted = {name: clock.now + offset for name, offset in dates.items()}
        alexa.serve(CERT_URL, alexa.issue_leaf(**shifted))
        body = launch_body(clock)
        return alexa.headers(body), body

    return case


def _no_san(alexa, clock):
    alexa.serve(CERT_URL, alexa.issue_leaf(dns_names=()))
    body = launch_body(clock)
    return alexa.headers(body), body


def _untrusted_root(alexa, clock):
    impostor = AlexaSigner(clock.now, prefix="impostor")
    alexa.served[CERT_URL] = impostor.served[CERT_URL]
    body = launch_body(clock)
    return impostor.headers(body), body


def _sent(offset):
    def case(alexa, clock):
        body = launch_body(clock, sent_at=clock.now + offset)
        return alexa.headers(body), body

    return case


def _other_skill(alexa, clock):
    body = launch_body(clock, application_id="amzn1.ask.skill.someone-else")
    return alexa.headers(body), body


def _without(header):
    def case(alexa, clock):
        body = launch_body(clock)
        headers = alexa.headers(body)
        del headers[header]
        return headers, body

    return case


def _signature(value):
    def case(alexa, clock):
        body = launch_body(clock)
        return dict(alexa.headers(body), **{"Signature-256": value}), body

    return case


def _malformed_json(alexa, clock):
    body = b'{"request": {"type": "LaunchRequest", "timestamp": '
    return alexa.headers(body), body


REFUSED_AT_THE_DOOR = {
    "body changed after signing": _tampered,
    "certificate over http": _cert_url("http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"),
    "certificate from another host": _cert_url("https://notamazon.com/echo.api/echo-api-cert-test.pem"),
    "certificate outside /echo.api/": _cert_url(
        "https://s3.amazonaws.com/invalid.path/echo-api-cert-test.pem"
    ),
    "certificate path climbing out": _cert_url("https://s3.amazonaws.com/echo.api/../x"),
    "certificate on port 8443": _cert_url("https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem"),
    "expired certificate": _leaf(not_before=-timedelta(days=90), not_after=-timedelta(seconds=1)),
    "certificate not yet valid": _leaf(not_before=timedelta(minutes=5), not_after=timedelta(days=90)),
    "certificate without echo-api.amazon.com": _no_san,
    "chain to an untrusted root": _untrusted_root,
    "sent 151 seconds ago": _sent(-timedelta(seconds=151)),
    "stamped 151 seconds ahead": _sent(timedelta(seconds=151)),
    "for another skill": _other_skill,
    "no certificate URL header": _without("SignatureCertChainUrl"),
    "no Signature-256 header": _without("Signature-256"),
    "signature not base64": _signature("%%% not base64 %%%"),
    "signature by another key": _signature(AlexaSigner(NOW, prefix="impostor").signature(b"something else")),
    "malformed JSON": _malformed_json,
}


@pytest.mark.parametrize("make_request", REFUSED_AT_THE_DOOR.values(), ids=REFUSED_AT_THE_DOOR.keys())
def test_post_alexa_refuses_with_400_json_every_request_that_fails_verification(
    verified_client, alexa, clock, make_request
):
    headers, body = make_request(alexa, clock)

    answer = post(verified_client, headers, body)

    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "verification_failed"
    assert "response" not in answer.get_json()
