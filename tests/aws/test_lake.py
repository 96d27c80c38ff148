"""Every S3 bucket: encrypted (with the lake key, except the access-log bucket), versioned, public access blocked,
TLS only, owner-enforced, logged into the access-log bucket, with the lifecycle rules the brief sets."""

from __future__ import annotations

import pytest

from tests.aws.hcl import MODULES, as_list, default, locals_, of_type, one, references, statements

LAKE = MODULES / "lake"
BUCKETS = of_type(LAKE, "resource", "aws_s3_bucket")
COMPANIONS = (
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_lifecycle_configuration",
)
LOG_TARGET = "access_logs"


def companion(type_name: str, bucket: str) -> dict:
    """The `type_name` resource configuring bucket resource `bucket`, created for each of its instances."""
    found = [
        body
        for body in of_type(LAKE, "resource", type_name).values()
        if references(body.get("bucket"), "aws_s3_bucket") == {bucket}
    ]
    assert len(found) == 1, f"aws_s3_bucket.{bucket} has {len(found)} {type_name}"
    body, owner = found[0], BUCKETS[bucket]
    assert body.get("for_each") == owner.get("for_each") and body.get("count") == owner.get("count"), (
        f"{type_name} of aws_s3_bucket.{bucket} is not created for every instance of the bucket"
    )
    return body


def test_the_lake_module_names_the_buckets() -> None:
    # data_stack.promote.declared derives the bucket names this way.
    names = str(locals_(LAKE)["data_buckets"])
    for suffix in ("landing", "lake", "athena-results"):
        assert f"${{var.name}}-{suffix}" in names
    assert BUCKETS[LOG_TARGET]["bucket"] == "${var.name}-access-logs"
    assert set(BUCKETS) == {"this", LOG_TARGET}


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_bucket_is_versioned(bucket: str) -> None:
    body = companion("aws_s3_bucket_versioning", bucket)
    assert one(body["versioning_configuration"])["status"] == "Enabled"


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_bucket_blocks_public_access(bucket: str) -> None:
    body = companion("aws_s3_bucket_public_access_block", bucket)
    for setting in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert body[setting] is True, f"aws_s3_bucket.{bucket}: {setting} is {body[setting]}"


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_bucket_owner_enforced(bucket: str) -> None:
    body = companion("aws_s3_bucket_ownership_controls", bucket)
    assert one(body["rule"])["object_ownership"] == "BucketOwnerEnforced"


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_bucket_is_encrypted(bucket: str) -> None:
    rule = one(
        one(companion("aws_s3_bucket_server_side_encryption_configuration", bucket)["rule"])[
            "apply_server_side_encryption_by_default"
        ]
    )
    if bucket == LOG_TARGET:
        # S3 server access logs can only be delivered to an SSE-S3 bucket.
        assert rule["sse_algorithm"] == "AES256"
    else:
        assert rule["sse_algorithm"] == "aws:kms"
        assert rule["kms_master_key_id"] == "${local.kms_key_arn}"
        assert "aws_kms_key.lake[0].arn" in str(locals_(LAKE)["kms_key_arn"])


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_bucket_denies_insecure_transport(bucket: str) -> None:
    policy = companion("aws_s3_bucket_policy", bucket)["policy"]
    (document_name,) = references(policy, "data.aws_iam_policy_document")
    document = of_type(LAKE, "data", "aws_iam_policy_document")[document_name]
    denies = [
        statement
        for statement in statements(document)
        if statement.get("effect") == "Deny"
        and any(
            condition["test"] == "Bool"
            and condition["variable"] == "aws:SecureTransport"
            and as_list(condition["values"]) == ["false"]
            for condition in statement.get("condition", [])
        )
    ]
    assert len(denies) == 1, f"aws_s3_bucket.{bucket}: no Deny on aws:SecureTransport = false"
    deny = denies[0]
    assert as_list(deny["actions"]) == ["s3:*"]
    assert one(deny["principals"])["identifiers"] == ["*"]
    resources = as_list(deny["resources"])
    assert any(references(item, "aws_s3_bucket") == {bucket} and not str(item).endswith("/*") for item in resources)
    assert any(references(item, "aws_s3_bucket") == {bucket} and str(item).endswith("/*") for item in resources)


@pytest.mark.parametrize("bucket", sorted(set(BUCKETS) - {LOG_TARGET}))
def test_bucket_is_logged_into_the_access_log_bucket(bucket: str) -> None:
    body = companion("aws_s3_bucket_logging", bucket)
    assert references(body["target_bucket"], "aws_s3_bucket") == {LOG_TARGET}


def test_the_access_log_bucket_is_the_only_unlogged_one_and_accepts_log_delivery() -> None:
    logged = {
        name
        for body in of_type(LAKE, "resource", "aws_s3_bucket_logging").values()
        for name in references(body["bucket"], "aws_s3_bucket")
    }
    assert set(BUCKETS) - logged == {LOG_TARGET}
    document = of_type(LAKE, "data", "aws_iam_policy_document")[LOG_TARGET]
    delivery = [s for s in statements(document) if s.get("effect") == "Allow"]
    assert len(delivery) == 1
    assert one(delivery[0]["principals"])["identifiers"] == ["logging.s3.amazonaws.com"]
    assert as_list(delivery[0]["actions"]) == ["s3:PutObject"]


def lifecycle_rules(bucket: str) -> dict[str, dict]:
    """Rule id -> rule; a `dynamic "rule"` carries the condition choosing its buckets under "applies_to"."""
    body = companion("aws_s3_bucket_lifecycle_configuration", bucket)
    rules = {rule["id"]: rule | {"applies_to": "every bucket"} for rule in body.get("rule", [])}
    for dynamic in body.get("dynamic", []):
        if "rule" in dynamic:
            rule = one(dynamic["rule"]["content"])
            rules[rule["id"]] = rule | {"applies_to": str(dynamic["rule"]["for_each"])}
    return rules


@pytest.mark.parametrize("bucket", sorted(BUCKETS))
def test_every_bucket_aborts_uploads_and_expires_old_versions(bucket: str) -> None:
    rules = [rule for rule in lifecycle_rules(bucket).values() if one(rule["filter"]) == {}]
    assert any(
        default(LAKE, one(rule["abort_incomplete_multipart_upload"])["days_after_initiation"]) == 7
        for rule in rules
        if "abort_incomplete_multipart_upload" in rule
    )
    assert any(
        default(LAKE, one(rule["noncurrent_version_expiration"])["noncurrent_days"]) > 0
        for rule in rules
        if "noncurrent_version_expiration" in rule
    )


def test_bronze_ages_into_cheaper_storage_and_quarantine_and_results_expire() -> None:
    rules = lifecycle_rules("this")
    bronze = rules["bronze-tiering"]
    assert one(bronze["filter"]) == {"prefix": "bronze/"}
    transitions = {item["storage_class"]: default(LAKE, item["days"]) for item in bronze["transition"]}
    assert transitions == {"STANDARD_IA": 30, "GLACIER_IR": 180}

    quarantine = rules["quarantine-expiry"]
    assert one(quarantine["filter"]) == {"prefix": "quarantine/"}
    assert default(LAKE, one(quarantine["expiration"])["days"]) == 90

    results = rules["results-expiry"]
    assert one(results["filter"]) == {}
    assert default(LAKE, one(results["expiration"])["days"]) == 7
    assert '"lake"' in bronze["applies_to"] and '"lake"' in quarantine["applies_to"]
    assert '"athena_results"' in results["applies_to"]


def test_the_key_rotates_and_has_a_policy() -> None:
    key = of_type(LAKE, "resource", "aws_kms_key")["lake"]
    assert key["enable_key_rotation"] is True
    assert "data.aws_iam_policy_document.key" in key["policy"]
