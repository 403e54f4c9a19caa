"""The partner sandboxes' shared state (services.core.sandbox): lists that several processes append to at once."""

import threading

from django.core.cache import cache

import pytest

from services.core import sandbox
from services.core.sandbox import SandboxState

STATE = SandboxState("test-sandbox-state:", {"errors_500": 0})


@pytest.fixture(autouse=True)
def _clean():
    STATE.delete("a", "b", "faults")
    yield
    STATE.delete("a", "b", "faults")


def test_append_keeps_the_last_values_oldest_first_under_each_key():
    for n in range(5):
        STATE.append(("a", {"n": n}, 3), ("b", {"n": n}, 10))
    assert STATE.items("a") == [{"n": 2}, {"n": 3}, {"n": 4}]
    assert STATE.items("b") == [{"n": n} for n in range(5)]
    assert STATE.items("never written") == []
    STATE.delete("a")
    assert STATE.items("a") == []


def test_get_many_reads_several_values_and_the_faults_can_be_read_with_them():
    STATE.set_faults(errors_500=2)
    stored = STATE.get_many("faults", "missing")
    assert stored["missing"] is None and STATE.faults(stored["faults"]) == {"errors_500": 2} == STATE.faults()


@pytest.mark.skipif(sandbox._redis() is None, reason="the atomic append is Redis's; another cache is one process's")
def test_on_redis_appends_from_many_threads_at_once_lose_nothing():
    def add(worker):
        for n in range(25):
            STATE.append(("a", {"worker": worker, "n": n}, 1000))

    threads = [threading.Thread(target=add, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = STATE.items("a")
    assert len(found) == 200 and {(v["worker"], v["n"]) for v in found} == {(w, n) for w in range(8) for n in range(25)}
    assert cache.client.get_client().ttl(cache.make_key("test-sandbox-state:a")) > 0  # it expires like the rest
