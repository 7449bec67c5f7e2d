"""The packaged CloudFormation template of each stage: what it creates, and how safely.

Expectations are derived from the code wherever the code decides: tables from the pynamodb
models, CORS and lifecycle from the documents storage module, the static CSP from the local
stack, rate-limited paths from the declared routes, settings from ``chalicelib.config``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib import config
from chalicelib.store.tables import TABLE_MODELS
from infra import tables as table_file
from infra.package import pinned, stages
from tests.infra import recorder
from tests.infra.cfn import DEPLOY, Deployment
from tests.infra.conftest import Packaged

pytestmark = pytest.mark.xdist_group("infra-package")

PLACEHOLDERS = {"AWS::Region": "REGION", "AWS::URLSuffix": "amazonaws.com", "AWS::Partition": "aws", "AWS::AccountId": "ACCOUNT"}


def deployed(packaged: Packaged, **parameters: str) -> Deployment:
    return Deployment(packaged.template, **{**DEPLOY, **parameters})


def csp_sources(csp: str, directive: str) -> list[str]:
    (sources,) = [d.split()[1:] for d in csp.split(";") if d.split() and d.split()[0] == directive]
    return sources


def sub(value: Any, variables: dict[str, str] | None = None) -> str:
    """A string property with ``Fn::Sub`` and ``Ref`` resolved against ``variables`` (unknown names stay ``${Name}``)."""
    known = {**PLACEHOLDERS, **(variables or {})}
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return known.get(value["Ref"], "${" + value["Ref"] + "}")
    template, local = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
    names = {**known, **{k: "${" + k + "}" for k in local}}
    return re.sub(r"\$\{([^}]+)\}", lambda m: names.get(m.group(1), m.group(0)), template)


def table_suffix(model: type[Model]) -> str:
    return str(model.Meta.table_name).removeprefix(config.get("SSP_TABLE_PREFIX") + "-")


def table_of(packaged: Packaged, model: type[Model]) -> dict[str, Any]:
    wanted = "${NamePrefix}-" + table_suffix(model)
    found = [p for p in (t["Properties"] for t in packaged.of_type("AWS::DynamoDB::Table").values()) if sub(p["TableName"]) == wanted]
    assert len(found) == 1, f"the template has no table {wanted} for {model.__name__}: run `python -m infra.tables` and review infra/tables.yaml"
    return found[0]


def key_of(attributes: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {("HASH" if a.is_hash_key else "RANGE"): (a.attr_name, a.attr_type) for a in attributes.values() if a.is_hash_key or a.is_range_key}


def template_key(schema: list[dict[str, str]], types: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {k["KeyType"]: (k["AttributeName"], types[k["AttributeName"]]) for k in schema}


def test_every_model_has_a_table_with_its_keys_indexes_and_ttl(packaged: Packaged) -> None:
    for model in TABLE_MODELS:
        table = table_of(packaged, model)
        types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
        assert template_key(table["KeySchema"], types) == key_of(model.get_attributes()), model.__name__
        assert table["KeySchema"][0]["KeyType"] == "HASH"
        expected_indexes = {}
        for index in model._indexes.values():
            projection = index.Meta.projection
            expected_indexes[index.Meta.index_name] = (
                "GlobalSecondaryIndexes" if isinstance(index, GlobalSecondaryIndex) else "LocalSecondaryIndexes",
                key_of(index.Meta.attributes),
                projection.projection_type,
                sorted(projection.non_key_attributes or []),
            )
        found_indexes = {
            i["IndexName"]: (kind, template_key(i["KeySchema"], types), i["Projection"]["ProjectionType"], sorted(i["Projection"].get("NonKeyAttributes", [])))
            for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
            for i in table.get(kind, [])
        }
        assert found_indexes == expected_indexes, model.__name__
        schemas = [table["KeySchema"]] + [i["KeySchema"] for k in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes") for i in table.get(k, [])]
        used = {key["AttributeName"] for schema in schemas for key in schema}
        assert set(types) == used, f"{model.__name__}: attribute definitions must be exactly the key attributes"
        ttl = model._ttl_attribute()
        if ttl is None:
            assert "TimeToLiveSpecification" not in table, model.__name__
        else:
            assert table["TimeToLiveSpecification"] == {"AttributeName": ttl.attr_name, "Enabled": True}, model.__name__
    assert len(packaged.of_type("AWS::DynamoDB::Table")) == len(TABLE_MODELS), "a table in the template has no model"


def test_sessions_devices_and_documents_expire_by_expires_at(packaged: Packaged) -> None:
    tables = [t["Properties"] for t in packaged.of_type("AWS::DynamoDB::Table").values()]
    ttl = {sub(t["TableName"]).split("-", 1)[1]: t.get("TimeToLiveSpecification") for t in tables}
    for table in ("sessions", "devices", "documents"):
        assert ttl[table] == {"AttributeName": "expires_at", "Enabled": True}


def test_tables_file_is_what_the_models_generate() -> None:
    assert table_file.TABLES_FILE.read_text() == table_file.render(), "infra/tables.yaml is out of date: run `python -m infra.tables` and review the diff"


def test_tables_are_on_demand_recoverable_encrypted_with_the_stack_key_and_kept(packaged: Packaged) -> None:
    for name, table in packaged.of_type("AWS::DynamoDB::Table").items():
        properties = table["Properties"]
        assert properties["BillingMode"] == "PAY_PER_REQUEST", name
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "DataKey"}}, name
        assert properties["DeletionProtectionEnabled"] == {"Fn::If": ["ProtectData", True, False]}, name
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name
    assert packaged.template["Parameters"]["DeletionProtection"]["AllowedValues"] == ["true", "false"]
    assert packaged.template["Conditions"]["ProtectData"] == {"Fn::Equals": [{"Ref": "DeletionProtection"}, "true"]}


def test_the_data_key_rotates_and_outlives_the_stack(packaged: Packaged) -> None:
    key = packaged.resources["DataKey"]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def _bucket(packaged: Packaged) -> dict[str, Any]:
    bucket = packaged.properties("DocumentsBucket")
    assert bucket["BucketName"] == {"Ref": "DocumentsBucketName"}
    assert packaged.template["Parameters"]["DocumentsBucketName"]["AllowedValues"] == [packaged.names.documents_bucket]
    return bucket


def test_documents_bucket_is_private_owner_enforced_and_kms_encrypted_with_a_bucket_key(packaged: Packaged) -> None:
    bucket = _bucket(packaged)
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}}
    assert rule["BucketKeyEnabled"] is True
    environment = packaged.properties("APIHandler")["Environment"]["Variables"]
    assert environment["SSP_DOCUMENTS_SSE"] == "aws:kms"
    assert environment["SSP_DOCUMENTS_KMS_KEY_ID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}


def _denies_insecure_transport(packaged: Packaged, policy_name: str, bucket_name: str) -> bool:
    policy = packaged.properties(policy_name)
    assert policy["Bucket"] == {"Ref": bucket_name}
    for statement in policy["PolicyDocument"]["Statement"]:
        resources = [sub(r, {bucket_name + ".Arn": "BUCKET"}) if "Fn::Sub" in r else r for r in statement["Resource"]]
        if (
            statement["Effect"] == "Deny"
            and statement["Principal"] == "*"
            and statement["Action"] == "s3:*"
            and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            and {"Fn::GetAtt": [bucket_name, "Arn"]} in resources
            and "BUCKET/*" in resources
        ):
            return True
    return False


def test_buckets_refuse_anything_but_tls(packaged: Packaged) -> None:
    assert _denies_insecure_transport(packaged, "DocumentsBucketPolicy", "DocumentsBucket")
    assert _denies_insecure_transport(packaged, "FrontendBucketPolicy", "FrontendBucket")


def test_documents_bucket_cors_and_lifecycle_are_the_local_stacks(packaged: Packaged) -> None:
    from chalicelib.documents import storage

    bucket = _bucket(packaged)
    (expected_cors,) = storage.cors_rules(["https://${DomainName}"])
    (cors,) = bucket["CorsConfiguration"]["CorsRules"]
    assert [sub(origin) for origin in cors["AllowedOrigins"]] == expected_cors["AllowedOrigins"], "CORS for the portal's origin only"
    assert cors["AllowedMethods"] == expected_cors["AllowedMethods"]
    assert cors["AllowedHeaders"] == expected_cors["AllowedHeaders"]
    assert cors["ExposedHeaders"] == expected_cors["ExposeHeaders"]
    assert cors["MaxAge"] == expected_cors["MaxAgeSeconds"]
    expected_rules = [
        {
            "Id": rule["ID"],
            "Status": rule["Status"],
            "Prefix": rule["Filter"]["Prefix"],
            "ExpirationInDays": rule["Expiration"]["Days"],
            "AbortIncompleteMultipartUpload": rule["AbortIncompleteMultipartUpload"],
        }
        for rule in storage.LIFECYCLE_RULES
    ]
    assert bucket["LifecycleConfiguration"]["Rules"] == expected_rules
    assert any(rule["Prefix"] == storage.UPLOADS for rule in expected_rules), "unfinished uploads must expire"


def test_cloudfront_serves_the_frontend_privately_and_routes_api_to_api_gateway(packaged: Packaged) -> None:
    distribution = packaged.properties("Distribution")["DistributionConfig"]
    origins = {o["Id"]: o for o in distribution["Origins"]}
    default = distribution["DefaultCacheBehavior"]
    frontend = origins[default["TargetOriginId"]]
    assert frontend["DomainName"] == {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]}
    assert frontend["OriginAccessControlId"] == {"Fn::GetAtt": ["FrontendOriginAccessControl", "Id"]}
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    (api_behaviour,) = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    api_origin = origins[api_behaviour["TargetOriginId"]]
    stage = packaged.properties("RestAPI")["StageName"]
    assert sub(api_origin["DomainName"]) == "${RestAPI}.execute-api.REGION.amazonaws.com"
    assert api_origin["OriginPath"] == f"/{stage}", "the browser's /api/... is the API stage's /api/..."
    assert api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert set(api_behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api_behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "API answers are never cached"
    assert api_behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac", "cookies and query strings reach the API"
    assert distribution["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert distribution["Aliases"] == [{"Ref": "DomainName"}]
    assert packaged.properties("APIHandler")["Environment"]["Variables"]["SSP_PUBLIC_URL"] == {"Fn::Sub": "https://${DomainName}"}


def test_cloudfront_sends_the_local_stacks_csp_and_hsts_frame_and_referrer_headers(packaged: Packaged, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.documents import storage
    from infra.local.portal import static_csp

    distribution = packaged.properties("Distribution")["DistributionConfig"]
    policy = packaged.properties(distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"])["ResponseHeadersPolicyConfig"]
    headers = policy["SecurityHeadersConfig"]
    deployment = deployed(packaged, DocumentsBucketName=packaged.names.documents_bucket)
    csp = deployment.resolve(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    bucket = packaged.names.documents_bucket
    upload_origin = f"https://s3.eu-west-1.amazonaws.com/{bucket}"
    staff_idp = "https://staff-idp.gov.example"  # the staff console fetches its discovery document and token from the browser
    agent = "http://127.0.0.1:4700"  # the officer's console calls the edge agent on loopback (docs/assisted.md)
    assert csp == static_csp(connect_src=[upload_origin, staff_idp, agent], form_action=["https://esignet.id.gov.example"])
    # The browser POSTs uploads to the URL the app presigns with the stack's endpoint: the CSP must allow exactly it.
    endpoint = packaged.properties("APIHandler")["Environment"]["Variables"]["SSP_S3_PUBLIC_ENDPOINT"]
    monkeypatch.setenv("SSP_S3_PUBLIC_ENDPOINT", sub(endpoint, {"AWS::Region": "eu-west-1"}))
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("SSP_DOCUMENTS_BUCKET", bucket)
    with recorder.paused():  # the stage's own names: not a call the dev policy must grant
        assert storage.presign_upload(storage.upload_key("r-1", "d-1"), "application/pdf", 10, 60)["url"] == upload_origin
    api_policy = packaged.properties(distribution["CacheBehaviors"][0]["ResponseHeadersPolicyId"]["Ref"])["ResponseHeadersPolicyConfig"]
    for config_headers in (headers, api_policy["SecurityHeadersConfig"]):
        assert "frame-ancestors 'none'" in sub(config_headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        assert config_headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
        assert config_headers["FrameOptions"]["FrameOption"] == "DENY"
        assert config_headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"
        assert config_headers["ContentTypeOptions"]["Override"] is True


def _through_cloudfront(security_headers: dict[str, Any], origin_csp: str | None) -> str | None:
    """The CSP a browser gets when the origin sent ``origin_csp`` (CloudFront's response headers policy rules)."""
    policy = security_headers.get("ContentSecurityPolicy")
    if policy is None:
        return origin_csp
    if origin_csp is not None and not policy["Override"]:
        return origin_csp
    return str(policy["ContentSecurityPolicy"])


def test_the_apis_html_pages_keep_their_own_csp_and_styles_through_cloudfront(packaged: Packaged) -> None:
    from chalicelib.auth import login_page
    from chalicelib.person import export
    from chalicelib.web import SECURITY_HEADERS

    distribution = packaged.properties("Distribution")["DistributionConfig"]
    (api_behaviour,) = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    headers = packaged.properties(api_behaviour["ResponseHeadersPolicyId"]["Ref"])["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    for page_csp in (login_page.CSP, export.HTML_CSP):
        assert "style-src 'sha256-" in page_csp
        assert _through_cloudfront(headers, page_csp) == page_csp, "CloudFront must not replace the CSP of the API's HTML pages"
    assert _through_cloudfront(headers, SECURITY_HEADERS["Content-Security-Policy"]) == SECURITY_HEADERS["Content-Security-Policy"]
    # API Gateway's and the firewall's own answers carry no CSP: they still get a strict one.
    assert csp_sources(str(_through_cloudfront(headers, None)), "default-src") == ["'none'"]


def test_staff_sign_in_is_configured_and_the_console_may_reach_the_staff_idp(packaged: Packaged, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.auth.service import staff_sign_in

    distribution = packaged.properties("Distribution")["DistributionConfig"]
    frontend_policy = distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"]
    for token_origin in ("", "https://ssp-staff.auth.eu-west-1.amazoncognito.com"):
        deployment = deployed(packaged, StaffClientId="ssp-staff-console", StaffTokenOrigin=token_origin)
        variables = deployment.properties("APIHandler")["Environment"]["Variables"]
        for name, value in variables.items():
            monkeypatch.setenv(name, str(value))
        monkeypatch.delenv("SSP_STAFF_JWKS", raising=False)
        sign_in = staff_sign_in()
        assert sign_in["configured"] is True and sign_in["client_id"] == "ssp-staff-console"
        csp = deployment.properties(frontend_policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]
        connect = csp_sources(csp["ContentSecurityPolicy"], "connect-src")
        discovery = re.match(r"https://[^/]+", sign_in["discovery_url"])
        assert discovery and discovery.group(0) in connect, "the console fetches the staff IdP's discovery document from the browser"
        if token_origin:
            assert token_origin in connect, "and exchanges its code at the token endpoint, here on another origin"
        else:
            agent = "http://127.0.0.1:4700"  # the officer's console calls the edge agent on loopback
            assert connect == ["'self'", f"https://s3.eu-west-1.amazonaws.com/{packaged.names.documents_bucket}", discovery.group(0), agent]
    hidden = deployed(packaged).properties("APIHandler")["Environment"]["Variables"]
    assert hidden["SSP_STAFF_CLIENT_ID"] == "", "without a client id the console hides staff sign-in"
    assert not re.fullmatch(packaged.template["Parameters"]["StaffIssuer"]["AllowedPattern"], "http://staff-idp.gov.example")


def test_the_userinfo_encryption_key_is_an_optional_secret_read_like_the_signing_key(packaged: Packaged) -> None:
    from chalicelib.auth.providers import parse_providers
    from tests.infra.iam import Need, check

    prefix = packaged.names.prefix
    plain = deployed(packaged).properties("APIHandler")["Environment"]["Variables"]["SSP_OIDC_PROVIDERS"]
    (provider,) = parse_providers(plain)
    assert provider.signing_key == f"secretsmanager:{prefix}/esignet-signing-key"
    assert provider.encryption_key is None
    secret = f"{prefix}/esignet-userinfo-key"
    encrypted = deployed(packaged, EsignetEncryptionKeySecret=secret).properties("APIHandler")["Environment"]["Variables"]["SSP_OIDC_PROVIDERS"]
    (provider,) = parse_providers(encrypted)
    assert provider.encryption_key == f"secretsmanager:{secret}"
    assert provider.signing_key == f"secretsmanager:{prefix}/esignet-signing-key"
    pattern = packaged.template["Parameters"]["EsignetEncryptionKeySecret"]["AllowedPattern"]
    assert re.fullmatch(pattern, "") and re.fullmatch(pattern, secret)
    assert not re.fullmatch(pattern, "other-app/esignet-userinfo-key"), "the role reads only the stage's secrets"
    policy = json.loads(packaged.names.policy_file.read_text())
    assert not check(policy, {Need("secretsmanager:GetSecretValue", f"arn:aws:secretsmanager:*:*:secret:{secret}-AbCdEf")}).missing


def test_the_capture_audit_bucket_is_optional_private_kms_encrypted_tls_only_and_expires(packaged: Packaged) -> None:
    parameters = packaged.template["Parameters"]
    assert parameters["CaptureAudit"]["Default"] == "false", "no capture is kept unless asked for"
    assert parameters["CaptureAuditBucketName"]["AllowedValues"] == [packaged.names.capture_audit_bucket]
    assert not deployed(packaged).exists("CaptureAuditBucket")
    assert "SSP_CAPTURE_AUDIT_BUCKET" not in deployed(packaged).properties("APIHandler")["Environment"]["Variables"]
    for resource in ("CaptureAuditBucket", "CaptureAuditBucketPolicy"):
        assert packaged.resources[resource]["Condition"] == "KeepCaptureAudit"
    assert packaged.template["Conditions"]["KeepCaptureAudit"] == {"Fn::Equals": [{"Ref": "CaptureAudit"}, "true"]}

    bucket = packaged.properties("CaptureAuditBucket")
    blocked = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    assert bucket["PublicAccessBlockConfiguration"] == dict.fromkeys(blocked, True)
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}}
    assert _denies_insecure_transport(packaged, "CaptureAuditBucketPolicy", "CaptureAuditBucket")
    (expiry,) = bucket["LifecycleConfiguration"]["Rules"]
    assert (expiry["Status"], expiry["Prefix"], expiry["ExpirationInDays"]) == ("Enabled", "captures/", {"Ref": "CaptureAuditDays"})
    assert int(parameters["CaptureAuditDays"]["Default"]) <= 90, "a short time"

    kept = deployed(packaged, CaptureAudit="true", CaptureAuditDays="14")
    variables = kept.properties("APIHandler")["Environment"]["Variables"]
    assert variables["SSP_CAPTURE_AUDIT_BUCKET"] == packaged.names.capture_audit_bucket
    assert variables["SSP_CAPTURE_AUDIT_KMS_KEY_ID"] == "<DataKey.Arn>"
    assert kept.properties("CaptureAuditBucket")["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == "14"


def test_kept_captures_land_where_the_bucket_expires_them_and_the_role_may_write(packaged: Packaged, monkeypatch: pytest.MonkeyPatch) -> None:
    """The devices code, configured as the template configures it, writes under the prefix the
    lifecycle rule expires, with the stack's key; the stage's policy allows exactly that."""
    import boto3
    from moto import mock_aws

    from chalicelib.devices.service import _retain_for_audit
    from chalicelib.identity.callers import StaffCaller
    from infra.package import stage_names
    from tests.infra.iam import check, needs_for, stage_needs, stage_view

    tested = stage_names("dev").capture_audit_bucket  # the tests run with the dev stage's names
    variables = deployed(packaged, CaptureAudit="true").properties("APIHandler")["Environment"]["Variables"]
    key_arn = "arn:aws:kms:eu-west-1:111122223333:key/data-key"
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_BUCKET", tested)
    monkeypatch.setenv("SSP_CAPTURE_AUDIT_KMS_KEY_ID", variables["SSP_CAPTURE_AUDIT_KMS_KEY_ID"].replace("<DataKey.Arn>", key_arn))
    prefix = packaged.properties("CaptureAuditBucket")["LifecycleConfiguration"]["Rules"][0]["Prefix"]
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket=tested, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        _retain_for_audit(StaffCaller(ref="officer-ref", subject="officer", roles=frozenset({"officer"})), "capture-1", "header.payload.signature")
        (kept,) = s3.list_objects_v2(Bucket=tested)["Contents"]
        head = s3.head_object(Bucket=tested, Key=kept["Key"])
    assert kept["Key"].startswith(prefix)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == key_arn
    needs = needs_for("s3", "PutObject", {"Bucket": tested, "Key": kept["Key"]})
    policy = json.loads(packaged.names.policy_file.read_text())
    verdict = check(policy, stage_needs(needs, stage_view(packaged.names.stage)))
    assert not verdict.missing, verdict.report()


def test_api_gateway_throttles_and_answers_429_in_the_portals_error_shape(packaged: Packaged) -> None:
    from chalicelib.errors import Throttled

    api = packaged.properties("RestAPI")
    (settings,) = api["MethodSettings"]
    assert settings["ResourcePath"] == "/*" and settings["HttpMethod"] == "*"
    assert settings["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}
    throttled = api["GatewayResponses"]["THROTTLED"]
    assert throttled["StatusCode"] == "429"
    assert json.loads(throttled["ResponseTemplates"]["application/json"]) == Throttled().body()
    firewall = packaged.properties("ApiFirewall")
    assert json.loads(firewall["CustomResponseBodies"]["throttled"]["Content"]) == Throttled().body()


def _rate_rule(firewall: dict[str, Any], name: str) -> dict[str, Any]:
    (rule,) = [r for r in firewall["Rules"] if r["Name"] == name]
    assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    statement: dict[str, Any] = rule["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "FORWARDED_IP"
    assert statement["ForwardedIPConfig"]["HeaderName"] == "x-ssp-viewer-ip"
    return statement


def _search_strings(statement: dict[str, Any], field: str) -> list[str]:
    found = []
    for inner in statement.get("OrStatement", statement.get("AndStatement", {"Statements": [statement]}))["Statements"]:
        match = inner["ByteMatchStatement"]
        if field in match["FieldToMatch"]:
            found.append(match["SearchString"])
    return found


def test_waf_rate_limits_the_login_and_upload_routes_the_app_declares(packaged: Packaged) -> None:
    from app import app  # noqa: F401 - declares the routes
    from chalicelib.web import OPERATIONS

    routes = [(op.method, op.path) for op in OPERATIONS]
    firewall = packaged.properties("ApiFirewall")
    assert firewall["Scope"] == "REGIONAL"
    login = _rate_rule(firewall, "login-rate")
    assert login["Limit"] == {"Ref": "LoginRateLimit"}
    login_paths = _search_strings(login["ScopeDownStatement"], "UriPath")
    for method, path in routes:
        if path.startswith("/api/auth/login/") or path == "/api/auth/callback":
            assert any(fragment in path for fragment in login_paths), f"{method} {path} is not rate limited"
    for fragment in login_paths:
        assert any(fragment in path for _, path in routes), f"the WAF limits {fragment}, which no route serves"
    upload = _rate_rule(firewall, "upload-rate")
    assert upload["Limit"] == {"Ref": "UploadRateLimit"}
    assert _search_strings(upload["ScopeDownStatement"], "Method") == ["POST"]
    (upload_fragment,) = _search_strings(upload["ScopeDownStatement"], "UriPath")
    assert ("POST", upload_fragment) in routes, "uploads are declared with POST /api/documents"
    association = packaged.properties("ApiFirewallAssociation")
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiFirewall", "Arn"]}
    assert "/restapis/${RestAPI}/stages/${RestAPI.Stage}" in sub(association["ResourceArn"])


def test_the_api_refuses_requests_that_did_not_come_through_cloudfront(packaged: Packaged) -> None:
    firewall = packaged.properties("ApiFirewall")
    first = min(firewall["Rules"], key=lambda r: r["Priority"])
    match = first["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert "Block" in first["Action"]
    header = match["FieldToMatch"]["SingleHeader"]["Name"]
    distribution = packaged.properties("Distribution")["DistributionConfig"]
    (api_origin,) = [o for o in distribution["Origins"] if "CustomOriginConfig" in o]
    (sent,) = [h for h in api_origin["OriginCustomHeaders"] if h["HeaderName"] == header]
    assert sent["HeaderValue"] == match["SearchString"]
    assert "{{resolve:secretsmanager:" in sub(match["SearchString"]), "the shared value lives in Secrets Manager, not in the template"


def test_function_environment_holds_only_documented_settings_and_secrets_by_name(packaged: Packaged) -> None:
    functions = packaged.of_type("AWS::Serverless::Function")
    assert functions
    for name, function in functions.items():
        variables = function["Properties"]["Environment"]["Variables"]
        undocumented = sorted(set(variables) - set(config.SETTINGS))
        assert not undocumented, f"{name} sets variables chalicelib/config.py does not know: {undocumented}"
        assert variables["SSP_TABLE_PREFIX"] == packaged.names.prefix
        assert variables["SSP_DOCUMENTS_BUCKET"] == packaged.names.documents_bucket
    secret_name = f"{packaged.names.prefix}/esignet-key-2025"
    providers = json.loads(deployed(packaged, EsignetSigningKeySecret=secret_name).properties("APIHandler")["Environment"]["Variables"]["SSP_OIDC_PROVIDERS"])
    for provider in providers:
        assert provider["signing_key"] == f"secretsmanager:{secret_name}"
    secret = packaged.template["Parameters"]["EsignetSigningKeySecret"]
    assert re.fullmatch(secret["AllowedPattern"], f"{packaged.names.prefix}/esignet-signing-key")
    assert not re.fullmatch(secret["AllowedPattern"], "other-app/esignet-signing-key"), "the role reads only the stage's secrets"
    text = json.dumps(packaged.template)
    assert "PRIVATE KEY" not in text and '"d":' not in text


def test_every_function_is_named_under_the_prefix_and_logs_to_a_kept_encrypted_group(packaged: Packaged) -> None:
    groups = {sub(g["Properties"]["LogGroupName"]): g["Properties"] for g in packaged.of_type("AWS::Logs::LogGroup").values()}
    for name, function in packaged.of_type("AWS::Serverless::Function").items():
        function_name = sub(function["Properties"].get("FunctionName", {"Ref": "AWS::NoValue"}))
        assert function_name.startswith("${NamePrefix}-"), f"{name} needs a FunctionName under the prefix (infra/template.yaml): its role may log only there"
        group = groups[f"/aws/lambda/{function_name}"]
        assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert group["KmsKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}


def test_the_role_policy_is_the_stage_policy_file(packaged: Packaged) -> None:
    roles = packaged.of_type("AWS::IAM::Role")
    policy = json.loads(packaged.names.policy_file.read_text())
    for name, role in roles.items():
        (inline,) = role["Properties"]["Policies"]
        assert inline["PolicyDocument"] == policy, name
        assert "ManagedPolicyArns" not in role["Properties"], f"{name} must have no managed policy besides the file"
    tables = {sub(t["Properties"]["TableName"], {"NamePrefix": packaged.names.prefix}) for t in packaged.of_type("AWS::DynamoDB::Table").values()}
    named = {r.split(":table/")[1].split("/")[0] for s in policy["Statement"] for r in _resources(s) if ":table/" in r}
    assert named <= tables, f"the policy names tables the stack does not create: {sorted(named - tables)}"
    names = pinned(packaged.names)
    buckets = {sub(b["Properties"]["BucketName"], names) for b in packaged.of_type("AWS::S3::Bucket").values() if "BucketName" in b["Properties"]}
    named_buckets = {r.removeprefix("arn:aws:s3:::").split("/")[0] for s in policy["Statement"] for r in _resources(s) if r.startswith("arn:aws:s3:::")}
    assert named_buckets <= buckets, (
        f"the policy names buckets the stack does not create: {sorted(named_buckets - buckets)} "
        "(a test keeping captures must use the dev stage's capture audit bucket name: docs/deploy.md)"
    )


def _resources(statement: dict[str, Any]) -> list[str]:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]


def test_production_tables_are_protected_from_deletion_by_default(packaged_stages: dict[str, Packaged]) -> None:
    assert packaged_stages["prod"].template["Parameters"]["DeletionProtection"]["Default"] == "true"


def _normalised(packaged: Packaged) -> str:
    template = json.loads(json.dumps(packaged.template))
    for parameter in template["Parameters"].values():
        parameter.pop("Default", None)  # a stage's defaults are its configuration (infra/stages/)
    text = json.dumps(template, sort_keys=True)
    for value, placeholder in ((packaged.names.documents_bucket, "<bucket>"), (packaged.names.prefix, "<prefix>"), (packaged.names.stage, "<stage>")):
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", placeholder, text)
    return text


def test_stages_differ_only_by_their_configured_names(packaged_stages: dict[str, Packaged]) -> None:
    import difflib

    texts = [_normalised(p).replace(", ", ",\n").splitlines() for p in packaged_stages.values()]
    differences = [line for line in difflib.unified_diff(texts[0], texts[-1], lineterm="", n=0) if line[:1] in "+-"]
    assert not differences, "stages must differ only by configured names:\n" + "\n".join(differences[:40])


def test_code_never_checks_the_stage_name() -> None:
    root = Path(__file__).resolve().parents[2]
    stages = "|".join(re.escape(s) for s in json.loads((root / ".chalice/config.json").read_text())["stages"])
    pattern = re.compile(rf"""(==|!=|\bin\b)\s*[\[(]?\s*["']({stages})["']|["']({stages})["']\s*(==|!=)""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in [root / "app.py", *sorted((root / "chalicelib").rglob("*.py"))]
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line) or re.search(r"""chalice_stage|CHALICE_STAGE|\[\s*["']stage["']\s*\]|get\(\s*["']stage["']""", line)
    ]
    assert not offenders, f"code must not branch on the stage: {offenders}"


@pytest.mark.parametrize("stage", stages())
def test_packaged_template_passes_cfn_lint(stage: str, packaged_stages: dict[str, Packaged]) -> None:
    from cfnlint.api import lint_file

    problems = [str(match) for match in lint_file(packaged_stages[stage].path)]
    assert not problems, "\n".join(problems)


def test_the_deployment_package_runs_with_nothing_but_itself(packaged_stages: dict[str, Packaged], tmp_path: Path) -> None:
    """Lambda gets the zip and a bare Python: every module of the app and every library in
    requirements.txt must import from the zip alone (Linux wheels included)."""
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[2]
    requirements = [
        line.split("==")[0].strip().replace("-", "_").lower()
        for line in (root / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    with zipfile.ZipFile(packaged_stages["dev"].path.parent / "deployment.zip") as package:
        package.extractall(tmp_path)
        top_level = {name.split("/")[0] for name in package.namelist()}
    assert not top_level & {"tests", "infra", "frontend", "edge_agent", ".chalice", "node_modules"}
    script = (
        "import importlib, pkgutil, sys; sys.path.insert(0, sys.argv[1]); import app, chalicelib; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(chalicelib.__path__, 'chalicelib.')]; "
        "[importlib.import_module(name) for name in sys.argv[2:]]"
    )
    environment = {"AWS_DEFAULT_REGION": "eu-west-1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(  # noqa: S603 - our own interpreter on our own package
        [sys.executable, "-I", "-S", "-c", script, str(tmp_path), *requirements], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
