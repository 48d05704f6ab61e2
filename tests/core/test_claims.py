"""FlowClaims: which jobs' claims a flow took for its own runs."""

from __future__ import annotations

from routilux.claims import FlowClaims


def test_a_claim_taken_again_before_the_old_one_is_forgotten_stays_known() -> None:
    # a run's end releases the job's claim in the store, then forgets it here; a pause
    # or resume may take the claim again in between: the flow still holds that one
    claims = FlowClaims()
    claims.add("job")  # the run's
    claims.add("job")  # taken again once the store released the run's
    claims.discard("job")  # the run's end forgets its own
    assert "job" in claims
    claims.discard("job")
    assert "job" not in claims
    claims.discard("job")  # forgetting one not held is harmless
    assert "job" not in claims
