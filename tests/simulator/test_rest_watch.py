"""Watches through Cluster.api: events as simulated time advances, replay from a resourceVersion,
410 Expired, WatchList initial events with the end bookmark, Table events."""
from __future__ import annotations

import json
from pathlib import Path

from simulator import Cluster

MANIFEST = (Path(__file__).resolve().parents[1] / "fixtures/reference-manifests/kubia-deployment-v1.yaml").read_text()
PODS = "/api/v1/namespaces/default/pods"


def drain(it) -> list[dict]:
    out = []
    for chunk in it:
        if not chunk:
            return out
        out.extend(json.loads(line) for line in chunk.splitlines())
    return out


def created() -> Cluster:
    c = Cluster(0)
    c.files["d.yaml"] = MANIFEST
    assert c.run("kubectl create -f d.yaml").exit_code == 0
    return c


def test_watch_follows_simulated_time_and_ends_at_timeout():
    c = created()
    rv = c.api("GET", PODS).json()["metadata"]["resourceVersion"]
    r = c.api("GET", PODS, query={"watch": "true", "resourceVersion": rv, "timeoutSeconds": "30"})
    assert r.status == 200 and r.streaming
    it = iter(r.body)
    assert drain(it) == []  # nothing happened since the list
    phases = []
    while True:
        due = c.next_due()
        c.advance((due - c.now) if due is not None and due - c.now < 30 else 30)
        events = None
        try:
            events = drain(it)
        except StopIteration:
            pass
        for e in events or []:
            assert e["type"] in ("ADDED", "MODIFIED", "DELETED")
            phases.append(e["object"]["status"].get("phase"))
        if c.now >= 30:
            break
    assert "Running" in phases
    assert list(it) == []  # the stream ended at timeoutSeconds (simulated)


def test_watch_replays_from_resource_version_and_expires_too_old():
    c = Cluster(0)
    rv = c.api("GET", PODS).json()["metadata"]["resourceVersion"]
    c.files["d.yaml"] = MANIFEST
    c.run("kubectl create -f d.yaml")
    events = drain(iter(c.api("GET", PODS, query={"watch": "1", "resourceVersion": rv}).body))
    types = [e["type"] for e in events]
    assert types.count("ADDED") == 3 and set(types) <= {"ADDED", "MODIFIED"}  # created, then bound
    assert [int(e["object"]["metadata"]["resourceVersion"]) for e in events] == sorted(
        int(e["object"]["metadata"]["resourceVersion"]) for e in events)
    old = c.api("GET", PODS, query={"watch": "1", "resourceVersion": "5"})
    assert old.status == 410 and old.json()["reason"] == "Expired"
    assert c.api("GET", PODS, query={"watch": "1", "resourceVersion": "x"}).status == 400


def test_watch_list_initial_events_end_with_a_bookmark():
    c = created()
    events = drain(iter(c.api("GET", PODS, query={"watch": "1", "sendInitialEvents": "true",
                                                  "allowWatchBookmarks": "true",
                                                  "resourceVersionMatch": "NotOlderThan"}).body))
    assert [e["type"] for e in events] == ["ADDED"] * 3 + ["BOOKMARK"]
    assert events[-1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_table_watch_sends_column_definitions_once():
    c = created()
    accept = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
    events = drain(iter(c.api("GET", PODS, query={"watch": "1"}, headers=accept).body))
    assert [e["object"]["kind"] for e in events] == ["Table"] * 3
    assert "columnDefinitions" in events[0]["object"] and "columnDefinitions" not in events[1]["object"]
    assert events[0]["object"]["rows"][0]["cells"][2] == "Pending"


def test_deleted_event_and_name_watch():
    c = created()
    name = c.list("Pod", "default")[0]["metadata"]["name"]
    rv = str(c.changes)
    it = iter(c.api("GET", PODS, query={"watch": "1", "resourceVersion": rv,
                                        "fieldSelector": f"metadata.name={name}"}).body)
    c.run(f"kubectl delete pod {name} --now --wait=false")
    c.advance(5)
    types = [e["type"] for e in drain(it)]
    assert types[-1] == "DELETED" and all(t in ("MODIFIED", "DELETED") for t in types)


def test_watch_with_bookmarks_sends_one_a_minute_of_quiet():
    # apiserver storage/cacher: bookmarkFrequency = time.Minute; only for allowWatchBookmarks
    c = created()
    c.advance(60)  # the rollout settles
    rv = c.api("GET", PODS).json()["metadata"]["resourceVersion"]
    plain = iter(c.api("GET", PODS, query={"watch": "true", "resourceVersion": rv}).body)
    marked = iter(c.api("GET", PODS, query={"watch": "true", "resourceVersion": rv,
                                            "allowWatchBookmarks": "true"}).body)
    assert drain(plain) == [] and drain(marked) == []
    c.advance(61)
    events = drain(marked)
    assert [e["type"] for e in events] == ["BOOKMARK"]
    assert events[0]["object"]["kind"] == "Pod" and events[0]["object"]["metadata"]["resourceVersion"] == rv
    assert drain(plain) == []
