"""snapshot_codec.decode pauses the cyclic garbage collector for the JSON parse only: it must
hand back the collector exactly as it found it, even when the data is bad."""
import gc

import pytest

from simulator import Cluster, snapshot_codec


def test_decode_round_trips_and_leaves_the_collector_enabled():
    c = Cluster(seed=3)
    state = {"a": [1, {"b": "c"}], "n": None}
    assert gc.isenabled()
    assert snapshot_codec.decode(snapshot_codec.encode(state)) == state
    assert gc.isenabled()
    restored = Cluster.restore(c.snapshot())
    assert restored.run("kubectl get ns").exit_code == 0
    assert gc.isenabled()


def test_decode_keeps_a_disabled_collector_disabled():
    gc.disable()
    try:
        snapshot_codec.decode(snapshot_codec.encode([1, 2]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bad_data_still_reenables_the_collector():
    import base64
    import zlib
    bad = base64.b64encode(zlib.compress(b"{not json")).decode()
    with pytest.raises(ValueError):
        snapshot_codec.decode(bad)
    assert gc.isenabled()
