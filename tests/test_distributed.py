"""Dask: the same per-partition functions on a LocalCluster give the single-machine results exactly."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from quotetrace import QuotetraceError, extract_quotes, match_quotes
from quotetrace.cli import main

distributed = pytest.importorskip("distributed", reason="the dask extra is installed by make test")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def generated():
    rng = random.Random(2)
    words = "council budget flood school tweet leader staff report vote homes river wall plan road".split()
    statements = [" ".join(rng.choice(words) for _ in range(14)).capitalize() + "." for _ in range(40)]
    texts = []
    for i in range(600):
        s = rng.choice(statements)
        if i % 3 == 0:
            s = s.replace(s.split()[3], s.split()[3] + "x", 1)  # a typo
        texts.append(f"Story {i}.\n\nCoun Ann Lee said: “{s}”\n\n{' '.join(rng.choice(words) for _ in range(60))}.")
    return pd.DataFrame({"article_id": [f"a{i:04d}" for i in range(len(texts))], "text": texts})


def test_extract_and_match_on_a_local_cluster_are_identical(cluster, generated):
    here_quotes = extract_quotes(generated)
    dask_quotes = extract_quotes(generated, scheduler=cluster.scheduler_address, partition_size=100)
    pd.testing.assert_frame_equal(here_quotes, dask_quotes)
    here = match_quotes(here_quotes, generated, include_missing=False)
    there = match_quotes(here_quotes, generated, include_missing=False, scheduler=cluster.scheduler_address, partition_size=75)
    assert len(here) > 1000 and set(here["status"]) >= {"verbatim", "variant"}
    pd.testing.assert_frame_equal(here, there)


def test_local_dask_schedulers_give_the_same_result(generated):
    quotes = extract_quotes(generated.head(60))
    here = match_quotes(quotes, generated.head(60))
    pd.testing.assert_frame_equal(here, match_quotes(quotes, generated.head(60), scheduler="threads", partition_size=7))


def test_run_on_a_cluster_from_the_command_line(cluster, tmp_path):
    assert main(["run", "tweetgate", "--out", str(tmp_path), "--run-id", "d1", "--scheduler", cluster.scheduler_address]) == 0
    assert len(pd.read_csv(tmp_path / "tweetgate" / "d1" / "quotes.csv")) == 36


def test_unreachable_scheduler_is_a_clear_error(generated):
    quotes = extract_quotes(generated.head(5))
    with pytest.raises(QuotetraceError, match="Cannot reach the Dask scheduler"):
        match_quotes(quotes, generated.head(5), scheduler="tcp://127.0.0.1:9")
