"""Property-based fuzzing of the JSON API from its OpenAPI schema (schemathesis): whatever a
client sends that the schema allows — and the malformed variants schemathesis derives from it —
the server never answers 5xx.

It runs against a real ``consensus-kit serve`` process with the chair's bearer token (the role
that may call the most routes), a bounded, derandomised number of examples per route and mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.web.test_live import running_server

EXAMPLES = 25  # per route and mode (valid, then malformed)


@pytest.mark.timeout(240)
def test_no_request_the_schema_describes_makes_the_server_fail(tmp_path: Path) -> None:
    sent: list[tuple[str, int]] = []
    failures: list[str] = []
    with running_server(tmp_path) as server:
        schema = schemathesis.openapi.from_url(f"{server.base}/schema/openapi.json")
        headers = {"Authorization": f"Bearer {server.token('chair')}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 38
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                    derandomize=True,  # the same examples in every run
                    database=None,
                )
                def call(case: Any) -> None:
                    response = case.call(headers=headers, timeout=30)
                    sent.append((f"{case.method} {case.path}", response.status_code))
                    if response.status_code >= 500:
                        failures.append(
                            f"{case.method} {case.formatted_path} query={case.query} "
                            f"body={case.body!r}: {response.status_code} {response.text[:200]}"
                        )

                try:
                    call()
                except Exception as exc:  # an operation schemathesis cannot generate for
                    if "Unsatisfiable" not in type(exc).__name__:
                        raise
    print(f"\nschemathesis: {len(sent)} requests over {len(operations)} operations")
    assert len(sent) >= len(operations) * 2
    assert failures == []
