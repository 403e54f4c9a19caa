import threading

from django.db import connection, transaction

import pytest

from services.core.models import Sequence
from services.core.sequences import format_number, sequence_next


def test_numbers_follow_each_other(db):
    with transaction.atomic():
        assert [sequence_next(key="A_2026") for _ in range(3)] == [1, 2, 3]
    with transaction.atomic():
        assert sequence_next(key="B_2026") == 1


def test_a_rolled_back_transaction_gives_its_number_back(db):
    with transaction.atomic():
        sequence_next(key="A_2026")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert sequence_next(key="A_2026") == 2
        raise ZeroDivisionError
    with transaction.atomic():
        assert sequence_next(key="A_2026") == 2


@pytest.mark.django_db(transaction=True)
def test_must_run_in_a_transaction():
    with pytest.raises(RuntimeError):
        sequence_next(key="A_2026")


def test_format():
    assert format_number(code="SERV06_UTENTI", year=2022, value=8) == "SERV06_UTENTI_2022.0000008"


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_gapless_numbers():
    # Real concurrency needs row locks: PostgreSQL (CI). SQLite serialises writers, so there the
    # same check runs with the callers one after the other.
    workers = 8 if connection.vendor == "postgresql" else 1
    per_worker = 25
    numbers, errors = [], []
    lock = threading.Lock()

    def work():
        from django.db import connections

        try:
            for _ in range(per_worker):
                with transaction.atomic():
                    value = sequence_next(key="C_2026")
                with lock:
                    numbers.append(value)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, workers * per_worker + 1))
    assert Sequence.objects.get(key="C_2026").last_value == workers * per_worker
