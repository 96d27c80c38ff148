"""The object store goes away in the middle of an ingest and comes back (a real SeaweedFS server, SIGKILLed and
started again on its data folder): the run ends with one line naming the store, a run while it is still down says
the same, and once it is back the next run publishes the reference result with every landed record in the lake
exactly once."""

from __future__ import annotations

import pytest

from tests.seaweed import CREDENTIALS, Weed

from .conftest import Ground, assert_recovered, copy_ground, file_hash, meltano_jobs_running, wait_for

pytestmark = pytest.mark.slow
BUCKET = "northwind"


@pytest.fixture
def weed(tmp_path):
    server = Weed(tmp_path / "weed")
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def s3_ground(ground_template, tmp_path, weed) -> Ground:
    """The ground with its landing zone and lake in the object store; the warehouse stays local."""
    local = copy_ground(ground_template, tmp_path / "local")
    client = weed.client()
    client.create_bucket(Bucket=BUCKET)
    for zone in ("landing", "lake"):
        for path in (local.root / zone).rglob("*"):
            if path.is_file():
                client.upload_file(str(path), BUCKET, f"{zone}/{path.relative_to(local.root / zone)}")
    ground = Ground(tmp_path / "data")
    ground.root.mkdir()
    (local.root / "warehouse").rename(ground.warehouse)
    ground.extra_env = CREDENTIALS | {
        "LANDING_URI": f"s3://{BUCKET}/landing",
        "LAKE_URI": f"s3://{BUCKET}/lake",
        "S3_ENDPOINT_URL": weed.endpoint,
    }
    return ground


def test_the_store_going_away_mid_ingest_is_named_and_recovered_from(s3_ground, weed, reference):
    ground = s3_ground
    published = file_hash(ground.current)
    victim = ground.start("run")
    wait_for(lambda: meltano_jobs_running(ground) > 0 or victim.poll() is not None, 300, "Meltano's job to start")
    weed.kill()
    _, stderr = victim.communicate(timeout=600)
    error = " ".join(stderr.split())
    assert victim.returncode == 2, error[-2000:]
    assert f"The object store at {weed.endpoint} did not answer" in error, error[-2000:]
    assert "Block run completed" not in error and "Traceback" not in stderr
    assert file_hash(ground.current) == published

    while_down = ground.cli("run")  # the store is still down: the same cause, before anything is read
    error = " ".join(while_down.stderr.split())
    assert while_down.returncode == 2 and f"object store at {weed.endpoint}" in error, error[-2000:]
    assert "Block run completed" not in error

    weed.start()
    assert_recovered(ground, reference, published, lake=f"s3://{BUCKET}/lake")
