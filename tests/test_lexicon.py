"""The one agency table: every stage names an agency the same way (invented datelines)."""

from __future__ import annotations

import pytest

from rashomon.corpus.dedupe import agency_of_outlet, credited_agency
from rashomon.lexicon import AGENCIES, AGENCY_CREDITS, WIRE_AGENCIES, Agency


@pytest.mark.parametrize("agency", AGENCIES, ids=lambda a: a.name)
def test_every_credit_of_an_agency_gives_its_one_name(agency: Agency) -> None:
    for form in (agency.name, *agency.names, *agency.credits):
        text = f"MARLOWE BAY, June 3 ({form}) — The ferry pier reopened."
        assert credited_agency(text) == agency.name, form
    for domain in agency.domains:
        assert agency_of_outlet(f"www.{domain}") == agency.name


def test_sources_and_copies_share_canonical_names() -> None:
    assert set(WIRE_AGENCIES.values()) == set(AGENCY_CREDITS)
    assert WIRE_AGENCIES["Associated Press"] == "AP"
    assert agency_of_outlet("Associated Press") == "AP"


def test_ambiguous_short_forms_count_only_as_credits() -> None:
    # "PA" is also a state and "CP" many things: never an agency in running text.
    assert "PA" not in WIRE_AGENCIES
    assert "CP" not in WIRE_AGENCIES
    assert credited_agency("HARTWELL, PA — The bridge reopened.") is None
