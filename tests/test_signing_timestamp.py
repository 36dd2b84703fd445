"""PAdES B-T: with a timestamp server configured (``vanthu key tsa URL``) every signature carries a timestamp."""
import pytest

import signkit
from test_signing_flow import Office, validate

pytestmark = pytest.mark.pdf


def test_with_a_timestamp_server_both_signatures_are_timestamped(tmp_path):
    office = Office(tmp_path)
    server, url = signkit.tsa_server(signkit.make_tsa(office.root))
    try:
        office.ok("key", "tsa", url)
        _, path, pdf = office.issued_pdf()
    finally:
        server.shutdown()
    results = validate(pdf, office.trust())
    assert len(results) == 2
    for _, status in results:
        assert status.intact and status.valid and status.trusted
        assert status.timestamp_validity is not None and status.timestamp_validity.intact
        assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    out = office.ok("signatures", path).out
    assert out.count("(có dấu thời gian)") == 2
