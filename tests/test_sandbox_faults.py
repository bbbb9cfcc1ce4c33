"""Faults on demand: off by default, set at start or at run time, each observable."""

import time

import pytest
import requests
from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session

NO_FAULTS = {"latency": 0.0, "error_rate": 0.0, "drop_rate": 0.0, "truncate_rate": 0.0}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    home = tmp_path_factory.mktemp("faults-home")
    data_dir = home / "box"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--fault-error-rate", "1")
    yield box
    stop_sandbox(box)


def _set(box, **changes) -> dict:
    r = session(box).put(f"{box.url}/sandbox/faults", json={**NO_FAULTS, **changes})
    r.raise_for_status()
    return r.json()


def test_faults_are_off_by_default(sandbox):
    s = session(sandbox)
    assert s.get(f"{sandbox.url}/sandbox/faults").json() == NO_FAULTS
    assert all(s.get(f"{sandbox.url}/v1/nodes").status_code == 200 for _ in range(30))


def test_start_flag_sets_a_fault_and_run_time_endpoint_clears_it(faulty):
    s = session(faulty)
    assert s.get(f"{faulty.url}/sandbox/faults").json()["error_rate"] == 1.0
    failed = s.get(f"{faulty.url}/v1/cluster")
    assert failed.status_code == 503
    assert failed.json()["error_code"] == "service_unavailable"
    assert _set(faulty) == NO_FAULTS
    assert s.get(f"{faulty.url}/v1/cluster").status_code == 200


def test_faults_endpoint_is_for_admins_and_checks_values(faulty):
    assert session(faulty, "cluster_member").get(f"{faulty.url}/sandbox/faults").status_code == 403
    assert session(faulty, role=None).get(f"{faulty.url}/sandbox/faults").status_code == 401
    s = session(faulty)
    assert s.put(f"{faulty.url}/sandbox/faults", json={"error_rate": 2}).status_code == 400
    assert s.put(f"{faulty.url}/sandbox/faults", json={"bogus": 1}).status_code == 400


def test_dropped_connections(faulty):
    _set(faulty, drop_rate=1.0)
    try:
        with pytest.raises(requests.ConnectionError):
            session(faulty).get(f"{faulty.url}/v1/cluster", timeout=10)
    finally:
        _set(faulty)


def test_truncated_bodies(faulty):
    _set(faulty, truncate_rate=1.0)
    try:
        with pytest.raises((requests.exceptions.ChunkedEncodingError,
                            requests.ConnectionError)):
            session(faulty).get(f"{faulty.url}/v1/nodes", timeout=10)
    finally:
        _set(faulty)


def test_share_of_errors(faulty):
    _set(faulty, error_rate=0.5)
    try:
        s = session(faulty)
        codes = [s.get(f"{faulty.url}/v1/nodes/1").status_code for _ in range(60)]
    finally:
        _set(faulty)
    assert set(codes) == {200, 503}  # 60 draws at 1/2: each outcome missing is 2**-60


def test_added_latency(faulty):
    _set(faulty, latency=0.4)
    try:
        s = session(faulty)
        started = time.monotonic()
        assert s.get(f"{faulty.url}/v1/nodes/1").status_code == 200
        elapsed = time.monotonic() - started
    finally:
        _set(faulty)
    assert elapsed >= 0.4  # a lower bound only: a busy machine can only add to it
