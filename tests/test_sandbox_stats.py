"""Database and shard statistics over HTTPS: intervals, stime/etime windows, sample
counts, repeatable values, `stats/last` keyed by uid, metrics filters and errors."""

from datetime import datetime, timedelta, timezone

import pytest
from bdb_helpers import MB, create_bdb, unique_name, wait_action
from sandbox_client import session

KEPT = {"1sec": (1, 10), "10sec": (10, 30), "5min": (300, 12), "15min": (900, 96),
        "1hour": (3600, 168), "12hour": (43200, 62), "1week": (604800, 53)}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def stats_bdb(sandbox):
    s = session(sandbox)
    return create_bdb(s, sandbox, shards_count=2, sharding=True, memory_size=256 * MB)


@pytest.mark.parametrize("interval", list(KEPT))
def test_each_interval_keeps_its_documented_number_of_samples(sandbox, stats_bdb, interval):
    s = session(sandbox)
    r = s.get(f"{sandbox.url}/v1/bdbs/stats/{stats_bdb['uid']}", params={"interval": interval})
    assert r.status_code == 200
    body = r.json()
    assert body["uid"] == str(stats_bdb["uid"])
    step, kept = KEPT[interval]
    samples = body["intervals"]
    assert len(samples) == kept
    starts = [parse(x["stime"]) for x in samples]
    assert all(b - a == timedelta(seconds=step) for a, b in zip(starts, starts[1:], strict=False))
    for sample in samples:
        assert sample["interval"] == interval
        assert parse(sample["etime"]) - parse(sample["stime"]) == timedelta(seconds=step)


def test_stime_and_etime_choose_the_window(sandbox, stats_bdb):
    s = session(sandbox)
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    end = now - timedelta(hours=5)
    start = end - timedelta(hours=3)
    params = {"interval": "1hour", "stime": iso(start), "etime": iso(end)}
    samples = s.get(f"{sandbox.url}/v1/bdbs/stats/{stats_bdb['uid']}", params=params).json()
    samples = samples["intervals"]
    assert [x["stime"] for x in samples] == [iso(start + timedelta(hours=h)) for h in range(3)]
    assert samples[-1]["etime"] == iso(end)
    again = s.get(f"{sandbox.url}/v1/bdbs/stats/{stats_bdb['uid']}", params=params).json()
    assert again["intervals"] == samples  # the same object and time give the same values


def test_samples_carry_plausible_database_metrics(sandbox, stats_bdb):
    s = session(sandbox)
    samples = s.get(f"{sandbox.url}/v1/bdbs/stats/{stats_bdb['uid']}",
                    params={"interval": "5min"}).json()["intervals"]
    for sample in samples:
        for metric in ("used_memory", "no_of_keys", "avg_latency", "total_req", "conns",
                       "read_hits", "write_hits", "ingress_bytes", "egress_bytes"):
            assert isinstance(sample[metric], (int, float)) and sample[metric] >= 0
        assert 0 < sample["used_memory"] < stats_bdb["memory_size"]
        assert sample["last_req_time"] == sample["etime"]
        assert not any(name.startswith("bigstore") for name in sample)
    assert len({x["used_memory"] for x in samples}) > 1


def test_all_bdbs_stats_and_last_are_keyed_by_uid(sandbox, stats_bdb):
    s = session(sandbox)
    uid = str(stats_bdb["uid"])
    every = s.get(f"{sandbox.url}/v1/bdbs/stats", params={"interval": "10sec"}).json()
    assert uid in {entry["uid"] for entry in every}

    last = s.get(f"{sandbox.url}/v1/bdbs/stats/last").json()
    assert uid in last
    assert last[uid]["interval"] == "1sec"
    assert parse(last[uid]["etime"]) - parse(last[uid]["stime"]) == timedelta(seconds=1)

    one = s.get(f"{sandbox.url}/v1/bdbs/stats/last/{uid}",
                params={"metrics": "no_of_keys,used_memory"}).json()
    assert list(one) == [uid]
    assert set(one[uid]) == {"stime", "etime", "no_of_keys", "used_memory"}


def test_shard_stats_by_parent_and_metrics(sandbox, stats_bdb):
    s = session(sandbox)
    r = s.get(f"{sandbox.url}/v1/shards/stats",
              params={"parent_uid": stats_bdb["uid"], "metrics": "used_memory,no_of_keys",
                      "interval": "1sec"})
    assert r.status_code == 200
    shards = r.json()
    assert sorted(int(x["uid"]) for x in shards) == sorted(stats_bdb["shard_list"])
    for shard in shards:
        assert shard["status"] == "active" and shard["node_uid"]
        assert len(shard["intervals"]) == 10
        for sample in shard["intervals"]:
            assert set(sample) == {"interval", "stime", "etime", "used_memory", "no_of_keys"}

    uid = shards[0]["uid"]
    one = s.get(f"{sandbox.url}/v1/shards/stats/{uid}", params={"interval": "1hour"}).json()
    assert one["uid"] == uid and one["role"] in ("master", "slave")
    assert "used_memory_peak" in one["intervals"][0]
    last = s.get(f"{sandbox.url}/v1/shards/stats/last/{uid}").json()
    assert list(last) == [uid]
    every = s.get(f"{sandbox.url}/v1/shards/stats/last").json()
    assert {str(x) for x in stats_bdb["shard_list"]} <= set(every)


def test_stats_errors(sandbox, stats_bdb):
    s = session(sandbox)
    for path in ("/v1/bdbs/stats/999999", "/v1/bdbs/stats/last/999999",
                 "/v1/shards/stats/999999", "/v1/shards/stats/last/999999"):
        r = s.get(f"{sandbox.url}{path}")
        assert r.status_code == 404, path
        assert r.json()["error_code"]

    r = s.post(f"{sandbox.url}/v1/bdbs", json={"name": unique_name("fail"), "memory_size": MB})
    wait_action(s, sandbox, r.json()["action_uid"])
    r = s.get(f"{sandbox.url}/v1/bdbs/stats/{r.json()['uid']}")
    assert r.status_code == 406
    assert r.json()["error_code"]

    for params in ({"interval": "2min"}, {"stime": "yesterday"}, {"etime": "2024-13-01"}):
        r = s.get(f"{sandbox.url}/v1/bdbs/stats/{stats_bdb['uid']}", params=params)
        assert r.status_code == 400, params
        assert r.json()["error_code"]
