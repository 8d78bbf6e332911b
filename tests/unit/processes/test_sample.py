"""The sample's payload carries personal numbers as masked values."""

from __future__ import annotations

from civicrpa.processes.sample.inputs import SampleApplication
from civicrpa.processes.sample.process import seed_applications


def test_the_sample_payload_prints_masked_and_stores_in_clear() -> None:
    item = next(seed_applications(1, seed=3))
    application = SampleApplication.model_validate(item.payload)
    assert application.applicant_rrn is not None
    assert application.account_no is not None
    clear = application.applicant_rrn.reveal()
    assert clear in str(item.payload["applicant_rrn"])  # stored in clear, then sealed
    assert clear[-6:] not in repr(application)
    assert application.account_no.reveal()[-5:] not in repr(application)
    assert SampleApplication.model_validate(application.model_dump(mode="json")) == application
