"""`cvgen infra deploy|plan|destroy` against moto's CloudFormation on loopback.

The templates are the real ones minus what moto cannot create (see `moto_template` in
conftest.py): the counter stack deploys its table, function, role, log groups and invoke
permission; the site stack its bucket and bucket policy; the ci stack its deploy role; the
identity stack its guest role. API Gateway v2, CloudFront, Secrets Manager, Cognito and the
OIDC provider are stand-in values.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cvgen.cli import cli
from cvgen.errors import CvgenError
from cvgen.infra.deploy import StackDeployer
from cvgen.infra.package import build_package
from cvgen.infra.stacks import StackSpec
from cvgen.resources import counter_lambda_dir
from cvgen.settings.config import load_config
from tests.conftest import MotoServer, RecordingUi
from tests.tls import self_signed

pytestmark = [pytest.mark.aws, pytest.mark.slow]
ARTIFACTS = "cvgen-artifacts-123456789012-us-east-1"


def invoke(root: Path, *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["infra", *args, "--root", str(root)], input=input)
    assert not (result.exception and not isinstance(result.exception, SystemExit)), result.output
    return result


def stack_status(moto: MotoServer, name: str) -> str | None:
    cfn = moto.client("cloudformation")
    try:
        return str(cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"])
    except cfn.exceptions.ClientError:
        return None


def outputs(moto: MotoServer, name: str) -> dict[str, str]:
    stack = moto.client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def resource_ids(moto: MotoServer, name: str) -> dict[str, str]:
    found = moto.client("cloudformation").describe_stack_resources(StackName=name)
    return {
        r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
        for r in found["StackResources"]
        if "LogicalResourceId" in r
    }


@pytest.mark.usefixtures("moto_templates")
def test_deploy_creates_the_stacks_and_writes_cvgen_yaml(
    cfn_env: MotoServer, site_root: Path
) -> None:
    result = invoke(site_root, "deploy", "--yes")
    assert result.exit_code == 0, result.output

    # the change sets were shown, then executed with progress
    assert "cvgen-counter (create): 6 changes" in result.output
    assert "  Add     Table             AWS::DynamoDB::Table" in result.output
    assert "cvgen-counter: CREATE_COMPLETE" in result.output
    assert "cvgen-site: CREATE_COMPLETE" in result.output

    # the counter stack's resources are real moto resources
    counter = outputs(cfn_env, "cvgen-counter")
    table = cfn_env.client("dynamodb").describe_table(TableName=counter["TableName"])["Table"]
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    function = cfn_env.client("lambda").get_function(FunctionName=counter["FunctionName"])
    config = function["Configuration"]
    assert config["Runtime"] == "python3.12"
    assert config["Handler"] == "counter_lambda.handler.handler"
    assert config["Role"] == counter["FunctionRoleArn"]
    assert config["Environment"]["Variables"]["TABLE_NAME"] == counter["TableName"]
    package = build_package(counter_lambda_dir())
    assert config["CodeSha256"] == base64.b64encode(hashlib.sha256(package.data).digest()).decode()
    stored = cfn_env.client("s3").get_object(Bucket=ARTIFACTS, Key=package.key)["Body"].read()
    assert stored == package.data
    role = counter["FunctionRoleArn"].split("/")[-1]
    policies = cfn_env.client("iam").list_role_policies(RoleName=role)["PolicyNames"]
    assert policies == ["counter-table"]
    ids = resource_ids(cfn_env, "cvgen-counter")
    assert {"Table", "Function", "FunctionRole", "FunctionLogGroup"} <= set(ids)

    # the site bucket exists, and cvgen.yaml now points publish at it
    site = outputs(cfn_env, "cvgen-site")
    cfn_env.client("s3").head_bucket(Bucket=site["BucketName"])
    loaded = load_config(site_root)
    assert loaded.publish.bucket == site["BucketName"]
    assert loaded.publish.distribution_id == site["DistributionId"] == "E2EXAMPLE0ABCD"
    assert loaded.publish.region == "us-east-1"
    assert loaded.counter.api == "/api/views" and loaded.counter.mode == "public"
    assert loaded.infra.artifact_bucket == ARTIFACTS
    # the example's placeholder address gives way to where the site is served
    assert loaded.site.url == "https://d111111abcdef8.cloudfront.net/"
    text = (site_root / "cvgen.yaml").read_text(encoding="utf-8")
    assert text.startswith("# cvgen site settings.")  # comments survive
    assert "note: site.url" not in result.output
    assert "next: cvgen build && cvgen publish" in result.output

    # a second deploy uploads nothing, changes nothing, and rewrites cvgen.yaml identically
    again = invoke(site_root, "deploy", "--yes")
    assert again.exit_code == 0, again.output
    assert "counter code unchanged" in again.output
    assert "uploading counter code" not in again.output
    assert "cvgen-counter: no changes" in again.output and "cvgen-site: no changes" in again.output
    assert (site_root / "cvgen.yaml").read_text(encoding="utf-8") == text


@pytest.mark.usefixtures("moto_templates")
def test_the_cost_guard_is_recommended_then_deployed_when_asked(
    cfn_env: MotoServer, site_root: Path
) -> None:
    first = invoke(site_root, "deploy", "--yes")
    assert first.exit_code == 0, first.output
    advice = "recommended: nothing caps what CloudFront bills if traffic runs away"
    assert any(line.startswith(advice) for line in first.output.splitlines())
    guarded = invoke(
        site_root, "deploy", "--yes", "--budget", "5", "--alert-email", "me@example.com"
    )
    assert guarded.exit_code == 0, guarded.output
    assert "cvgen-budget: CREATE_COMPLETE" in guarded.output
    assert not any(line.startswith(advice) for line in guarded.output.splitlines())
    # moto's CloudFormation makes the alarm's topic but neither the budget nor the alarm
    # (the template test checks those); the stack got what they need
    stack = cfn_env.client("cloudformation").describe_stacks(StackName="cvgen-budget")["Stacks"][0]
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert parameters["DistributionId"] == "E2EXAMPLE0ABCD"
    assert parameters["RequestsPerFiveMinutes"] == "15000"  # 50 requests/s by default
    topic = resource_ids(cfn_env, "cvgen-budget")["AlarmTopic"]
    subscriptions = cfn_env.client("sns").list_subscriptions_by_topic(TopicArn=topic)
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions["Subscriptions"]] == [
        ("email", "me@example.com")
    ]
    again = invoke(site_root, "deploy", "--yes")  # the guard exists: no more advice
    assert again.exit_code == 0
    # (the doctor's line still warns: moto's CloudFormation made no budget for it to find)
    assert not any(line.startswith(advice) for line in again.output.splitlines())


@pytest.mark.usefixtures("moto_templates")
def test_an_opted_in_remote_photo_reaches_the_site_stacks_csp(
    cfn_env: MotoServer, site_root: Path
) -> None:
    """`photo.remote: true` and a photo on another host: the site stack gets that origin for
    its CSP's img-src; without the opt-in, none. The header itself is CloudFront's, which
    moto does not run (see test_templates.py for how the template resolves it), and moto
    sees no change in a parameter only CloudFront uses: so each case is a stack's creation."""
    (site_root / "content").mkdir()
    cv = site_root / "content" / "cv.yaml"
    cv.write_text("basics:\n  name: Ada\n  image: https://img.example.com/ada.jpg\n")
    config = site_root / "cvgen.yaml"
    settings = config.read_text("utf-8")
    cfn = cfn_env.client("cloudformation")

    def image_origins(stack: str) -> str:
        found = cfn.describe_stacks(StackName=stack)["Stacks"][0]["Parameters"]
        return next(p["ParameterValue"] for p in found if p["ParameterKey"] == "ImageOrigins")

    for prefix, opt_in, origin in (
        ("cvgen", "", ""),
        ("photo", "photo:\n  remote: true\n", "https://img.example.com"),
    ):
        config.write_text(settings + opt_in, "utf-8")
        result = invoke(site_root, "deploy", "--yes", "--stack-prefix", prefix)
        assert result.exit_code == 0, result.output
        assert image_origins(f"{prefix}-site") == origin


@pytest.mark.usefixtures("moto_templates")
def test_deploy_asks_and_no_changes_nothing(cfn_env: MotoServer, site_root: Path) -> None:
    before = (site_root / "cvgen.yaml").read_bytes()
    result = invoke(site_root, "deploy", input="n\n")
    assert result.exit_code == 1
    assert "cvgen-counter (create): 6 changes" in result.output
    assert "Deploy these changes to cvgen-counter? [y/N]: n" in result.output
    assert "Error: stopped at cvgen-counter: nothing was changed in it" in result.output
    assert stack_status(cfn_env, "cvgen-counter") is None  # the review stack was removed
    assert (site_root / "cvgen.yaml").read_bytes() == before


@pytest.mark.usefixtures("moto_templates")
def test_deploy_asks_and_yes_deploys(cfn_env: MotoServer, site_root: Path) -> None:
    result = invoke(site_root, "deploy", input="y\ny\ny\ny\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("? [y/N]: y") == 2  # counter and site; moto sees no 2nd-pass diff
    assert stack_status(cfn_env, "cvgen-counter") == "CREATE_COMPLETE"
    assert stack_status(cfn_env, "cvgen-site") == "CREATE_COMPLETE"


@pytest.mark.usefixtures("moto_templates")
def test_deploy_with_github_repo_creates_the_ci_role_and_prints_the_variables(
    cfn_env: MotoServer, site_root: Path
) -> None:
    result = invoke(
        site_root, "deploy", "--yes", "--github-repo", "octo/cv", "--stack-prefix", "mycv"
    )
    assert result.exit_code == 0, result.output
    role_arn = outputs(cfn_env, "mycv-ci")["DeployRoleArn"]
    assert f"  AWS_ROLE_ARN={role_arn}\n" in result.output
    assert "  AWS_REGION=us-east-1\n" in result.output
    role = cfn_env.client("iam").get_role(RoleName=role_arn.split("/")[-1])["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    condition = trust["Statement"][0]["Condition"]["StringEquals"]
    assert (
        condition["token.actions.githubusercontent.com:sub"] == "repo:octo/cv:ref:refs/heads/main"
    )
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    loaded = load_config(site_root)
    assert loaded.infra.github_repo == "octo/cv" and loaded.infra.stack_prefix == "mycv"
    assert loaded.infra.artifact_bucket == "mycv-artifacts-123456789012-us-east-1"


@pytest.mark.usefixtures("moto_templates")
def test_deploy_cognito_writes_the_identity_pool(cfn_env: MotoServer, site_root: Path) -> None:
    result = invoke(site_root, "deploy", "--yes", "--cognito")
    assert result.exit_code == 0, result.output
    assert "cvgen-identity: CREATE_COMPLETE" in result.output
    loaded = load_config(site_root)
    assert loaded.counter.mode == "cognito"
    assert loaded.counter.identity_pool_id == "us-east-1:0123abcd-0123-4567-89ab-0123456789ab"
    assert loaded.counter.region == "us-east-1"
    assert loaded.counter.api == "https://abcde12345.execute-api.us-east-1.amazonaws.com/api/views"
    # the next deploy keeps Cognito mode without the flag (CI runs it that way)
    again = invoke(site_root, "deploy", "--yes")
    assert again.exit_code == 0, again.output
    assert load_config(site_root).counter.mode == "cognito"


@pytest.mark.usefixtures("moto_templates")
def test_changed_code_is_uploaded_under_a_new_key(
    cfn_env: MotoServer, site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "counter_lambda"
    shutil.copytree(counter_lambda_dir(), source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("cvgen.infra.run.counter_lambda_dir", lambda: source)
    assert invoke(site_root, "deploy", "--yes").exit_code == 0
    first = build_package(source).key
    with (source / "core.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a code change\n")
    result = invoke(site_root, "deploy", "--yes")
    assert result.exit_code == 0, result.output
    second = build_package(source).key
    assert second != first
    assert f"uploading counter code: s3://{ARTIFACTS}/{second}" in result.output
    keys = [o["Key"] for o in cfn_env.client("s3").list_objects_v2(Bucket=ARTIFACTS)["Contents"]]
    assert sorted(keys) == sorted([first, second])


@pytest.mark.usefixtures("moto_templates")
def test_plan_shows_change_sets_and_changes_nothing(cfn_env: MotoServer, site_root: Path) -> None:
    before = (site_root / "cvgen.yaml").read_bytes()
    result = invoke(site_root, "plan", "--github-repo", "octo/cv")
    assert result.exit_code == 0, result.output
    assert "cvgen-counter (create): 6 changes" in result.output
    assert "cvgen-site (create): 3 changes" in result.output
    assert "cvgen-ci (create): 1 change" in result.output
    assert "placeholder inputs" in result.output
    assert (
        "plan: changes in cvgen-counter, cvgen-site, cvgen-ci; nothing was changed" in result.output
    )
    for name in ("cvgen-counter", "cvgen-site", "cvgen-ci"):
        assert stack_status(cfn_env, name) is None
    assert not cfn_env.client("s3").list_buckets()["Buckets"]  # nothing uploaded either
    assert (site_root / "cvgen.yaml").read_bytes() == before

    assert invoke(site_root, "deploy", "--yes").exit_code == 0
    result = invoke(site_root, "plan")
    assert "cvgen-counter: no changes" in result.output
    assert "plan: everything is up to date; nothing was changed" in result.output


@pytest.mark.usefixtures("moto_templates")
def test_destroy_asks_empties_the_versioned_bucket_and_deletes_the_stacks(
    cfn_env: MotoServer, site_root: Path
) -> None:
    assert invoke(site_root, "deploy", "--yes").exit_code == 0
    bucket = outputs(cfn_env, "cvgen-site")["BucketName"]
    table = outputs(cfn_env, "cvgen-counter")["TableName"]
    s3 = cfn_env.client("s3")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for body in (b"one", b"two"):
        s3.put_object(Bucket=bucket, Key="index.html", Body=body)
    s3.delete_object(Bucket=bucket, Key="index.html")  # leaves a delete marker

    declined = invoke(site_root, "destroy", input="n\n")
    assert declined.exit_code == 1 and "nothing was deleted" in declined.output
    assert (
        "The counter table is kept (DeletionPolicy Retain and deletion protection)"
        in declined.output
    )
    assert stack_status(cfn_env, "cvgen-site") == "CREATE_COMPLETE"

    result = invoke(site_root, "destroy", input="y\n")
    assert result.exit_code == 0, result.output
    assert f"emptied s3://{bucket}: 3 object versions removed" in result.output
    assert stack_status(cfn_env, "cvgen-site") is None
    assert stack_status(cfn_env, "cvgen-counter") is None
    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert bucket not in names and ARTIFACTS not in names
    assert table in cfn_env.client("dynamodb").list_tables()["TableNames"]  # retained
    loaded = load_config(site_root)
    assert loaded.publish.bucket is None and loaded.publish.distribution_id is None


def test_a_failing_stack_reports_the_reason(aws_env: MotoServer) -> None:
    taken = f"taken-{uuid.uuid4().hex[:12]}"
    aws_env.client("s3").create_bucket(Bucket=taken)
    template = {
        "Resources": {
            "Logs": {"Type": "AWS::Logs::LogGroup"},
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": taken}},
        }
    }
    ui = RecordingUi()
    deployer = StackDeployer(aws_env.client("cloudformation"), ui, poll_seconds=0.05)
    spec = StackSpec("site", f"failing-{taken}", "x.yaml", {})
    change_set = deployer.create_change_set(spec, json.dumps(template))
    assert [c.logical_id for c in change_set.changes] == ["Logs", "Bucket"]
    with pytest.raises(CvgenError) as failure:
        deployer.execute(change_set)
    message = str(failure.value)
    assert message.startswith(f"deploying failing-{taken} failed: ")
    assert "BucketAlreadyExists" in message


def test_code_only_never_deletes_a_failed_first_create(tmp_path: Path) -> None:
    # Stubber: moto never leaves a failed create in ROLLBACK_COMPLETE (it stays in review),
    # and real IAM would refuse CI's role the delete. The Stubber fails on any call not
    # queued here, so a DeleteStack attempt would fail the test.
    import boto3
    from botocore.stub import Stubber

    from cvgen.infra.deploy import _apply

    cfn = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    (tmp_path / "counter.yaml").write_text("Resources: {}\n", encoding="utf-8")
    spec = StackSpec("counter", "cvgen-counter", "counter.yaml", {})
    stack = {
        "StackName": "cvgen-counter",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/cvgen-counter/1a2b",
        "StackStatus": "ROLLBACK_COMPLETE",
        "CreationTime": "2026-12-06T04:00:00Z",
    }
    ui = RecordingUi()
    with Stubber(cfn) as stub:
        stub.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": "cvgen-counter"})
        with pytest.raises(CvgenError) as refused:
            _apply(StackDeployer(cfn, ui), spec, tmp_path, ui, yes=True, code_only=True)
        stub.assert_no_pending_responses()
    assert str(refused.value) == (
        "stack cvgen-counter is ROLLBACK_COMPLETE after a failed first deploy; "
        "`cvgen infra deploy` deletes and re-creates it"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--github-repo", "no-slash"], "Error: --github-repo 'no-slash': expected OWNER/REPO"),
        (["--domain", "cv.example.com"], "Error: --domain cv.example.com needs --certificate-arn"),
        (["--stack-prefix", "Bad Prefix"], "Error: --stack-prefix 'Bad Prefix'"),
    ],
)
def test_bad_flags_fail_cleanly_before_touching_aws(
    aws_env: MotoServer, site_root: Path, args: list[str], message: str
) -> None:
    result = invoke(site_root, "deploy", "--yes", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_cvgen_yaml_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke(tmp_path, "plan")
    assert result.exit_code == 1 and "no cvgen.yaml" in result.output


def test_infra_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["infra", "--help"])
    assert result.exit_code == 0
    for command in ("deploy", "plan", "destroy"):
        assert command in result.output
    deploy_help = CliRunner().invoke(cli, ["infra", "deploy", "--help"]).output
    for flag in (
        "--stack-prefix",
        "--region",
        "--domain",
        "--certificate-arn",
        "--hosted-zone-id",
        "--github-repo",
        "--cognito",
        "--yes",
        "--endpoint-url",
        "--profile",
        "--root",
    ):
        assert flag in deploy_help


def test_progress_shows_only_this_deploys_events(aws_env: MotoServer) -> None:
    ui = RecordingUi()
    deployer = StackDeployer(aws_env.client("cloudformation"), ui, poll_seconds=0.05)
    name = f"progress-{uuid.uuid4().hex[:12]}"
    spec = StackSpec("counter", name, "x.yaml", {})
    one = {"Resources": {"A": {"Type": "AWS::Logs::LogGroup"}}}
    deployer.execute(deployer.create_change_set(spec, json.dumps(one)))
    assert ui.lines[-1] == f"{name}: CREATE_COMPLETE"
    assert any("CREATE_IN_PROGRESS" in line for line in ui.lines)

    ui.lines.clear()
    two = {"Resources": {**one["Resources"], "B": {"Type": "AWS::Logs::LogGroup"}}}
    change_set = deployer.create_change_set(spec, json.dumps(two))
    assert not change_set.is_new_stack
    assert ("Add", "B") in [(c.action, c.logical_id) for c in change_set.changes]
    deployer.execute(change_set)
    assert ui.lines[-1] == f"{name}: UPDATE_COMPLETE"
    assert any("UPDATE_IN_PROGRESS" in line for line in ui.lines)
    assert not any("CREATE_" in line for line in ui.lines)  # the first deploy's events
    assert deployer.outputs(name) == {}


@pytest.mark.usefixtures("moto_templates")
def test_deploy_with_a_domain_sets_the_url_and_dns(cfn_env: MotoServer, site_root: Path) -> None:
    route53 = cfn_env.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="cvgen-test")
    zone_id = zone["HostedZone"]["Id"].split("/")[-1]
    certificate = issued_certificate(cfn_env, "cv.example.com")  # the doctor checks it
    result = invoke(
        site_root,
        "deploy",
        "--yes",
        "--domain",
        "cv.example.com",
        "--certificate-arn",
        certificate,
        "--hosted-zone-id",
        zone_id,
    )
    assert result.exit_code == 0, result.output
    loaded = load_config(site_root)
    assert loaded.site.url == "https://cv.example.com/"
    assert loaded.infra.domain == "cv.example.com"
    assert loaded.infra.certificate_arn == certificate
    assert loaded.infra.hosted_zone_id == zone_id
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    aliases = {(r["Name"].rstrip("."), r["Type"]) for r in records if "AliasTarget" in r}
    assert aliases == {("cv.example.com", "A"), ("cv.example.com", "AAAA")}
    targets = {r["AliasTarget"]["HostedZoneId"] for r in records if "AliasTarget" in r}
    assert targets == {"Z2FDTNDATAQYW2"}  # CloudFront's fixed zone
    # the counter serves the domain and, once the distribution exists, its own address too:
    # visitors still on *.cloudfront.net while DNS moves keep their count
    assert (
        "the site's origin is now known (https://cv.example.com,https://d111111abcdef8.cloudfront"
        ".net); allowing it on the counter API" in result.output
    )
    # (moto's change sets show no change for new parameter values, so the function's
    # ALLOWED_ORIGINS is not updated here; test_stacks pins the parameter itself)
    # later deploys reuse the domain from cvgen.yaml
    again = invoke(site_root, "deploy", "--yes")
    assert again.exit_code == 0 and "cvgen-site: no changes" in again.output


@pytest.mark.usefixtures("moto_templates")
def test_endpoint_url_flag_reaches_every_client(
    cfn_env: MotoServer, site_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    result = invoke(site_root, "plan", "--endpoint-url", cfn_env.endpoint, "--region", "us-east-1")
    assert result.exit_code == 0, result.output
    assert "cvgen-counter (create): 6 changes" in result.output


def test_destroy_with_nothing_deployed_says_so(cfn_env: MotoServer, site_root: Path) -> None:
    result = invoke(site_root, "destroy", "--yes")
    assert result.exit_code == 0, result.output
    assert "no cvgen stacks named cvgen-* in us-east-1" in result.output
    assert load_config(site_root).publish.bucket is None


@pytest.mark.usefixtures("moto_templates")
def test_deploy_keeps_a_real_site_url_and_never_breaks_a_flow_style_file(
    cfn_env: MotoServer, site_root: Path
) -> None:
    text = (
        "site: {url: 'https://me.dev/'}\n"
        "publish: {region: us-east-1}\n"
        "infra:\n    stack_prefix: cvgen\n"
    )
    (site_root / "cvgen.yaml").write_text(text, encoding="utf-8")
    result = invoke(site_root, "deploy", "--yes")
    assert result.exit_code == 0, result.output
    after = (site_root / "cvgen.yaml").read_text(encoding="utf-8")
    # flow-style sections are the user's to edit; the block one took its keys at 4 spaces
    assert after.startswith(text.split("infra:")[0] + 'infra:\n    stack_prefix: "cvgen"\n')
    assert f'\n    artifact_bucket: "{ARTIFACTS}"\n' in after
    loaded = load_config(site_root)  # still valid: no duplicate `publish:`
    assert loaded.site.url == "https://me.dev/"  # a real address is never replaced
    assert "add them yourself:" in result.output
    bucket = outputs(cfn_env, "cvgen-site")["BucketName"]
    assert f'\n    publish:\n      bucket: "{bucket}"\n' in result.output
    assert "note: site.url is https://me.dev/ but the site is served at" in result.output


def issued_certificate(moto: MotoServer, domain: str) -> str:
    """An ISSUED certificate for `domain` in moto's ACM (imported: moto keeps a requested one
    PENDING_VALIDATION for a minute)."""
    made = self_signed([domain])
    imported = moto.client("acm").import_certificate(
        Certificate=made.cert_pem, PrivateKey=made.key_pem
    )
    return str(imported["CertificateArn"])
