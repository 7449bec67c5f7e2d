"""What IAM permissions an AWS call needs, and whether a policy grants exactly those.

``needs_for(service, operation, params)`` turns one botocore call (or one presigned URL/POST,
which makes no call but is signed with the role's credentials) into IAM actions on resource
ARNs, with the region and account left as ``*`` (the policy files leave them so too).
``check(policy, needs)`` answers the needs no statement grants (missing) and the
(statement, action, resource) a policy grants that no need uses (unused).

``python -m tests.infra.iam suggest [STAGE...] [--write] [--merge] [--from DIR]`` prints (or writes
into ``.chalice/policy-<stage>.json``) the least-privilege policy for the calls the last ``make test``
recorded in ``test-artifacts/aws-calls`` (or in DIR). ``--merge`` keeps the policy file as it is and
adds statements for what it lacks, for a recording of only some tests (which cannot tell what the
others use): only a whole ``make test``'s recording may take anything away. Read the diff before
committing it: it is the role's whole power in AWS.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RECORDING_DIR = REPO / "test-artifacts" / "aws-calls"
KMS_VIA_S3 = "s3.*.amazonaws.com"
KMS_VIA_DYNAMODB = "dynamodb.*.amazonaws.com"
KMS_VIA_SQS = "sqs.*.amazonaws.com"

# --- one call -> the permissions it needs ----------------------------------------------------

_DYNAMODB_TRANSACT = {"ConditionCheck": "ConditionCheckItem", "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "Get": "GetItem"}
# S3 operations whose IAM action is not named like the operation.
_S3_ACTIONS = {
    "HeadObject": "GetObject",
    "PostObject": "PutObject",  # a presigned POST
    "ListObjectsV2": "ListBucket",
    "ListObjects": "ListBucket",
    "HeadBucket": "ListBucket",
    "DeleteObjects": "DeleteObject",
    "DeleteObjectTagging": "DeleteObjectTagging",
}
_S3_READS_CONTENT = {"GetObject"}  # needs kms:Decrypt on an SSE-KMS object (HEAD does not)
_S3_WRITES_CONTENT = {"PutObject", "PostObject"}  # needs kms:GenerateDataKey

# Every table is encrypted with the stack's customer managed key (infra/tables.yaml), and DynamoDB
# uses it with the caller's permissions: reading an item needs kms:Decrypt, writing one the
# encrypting actions too (DynamoDB's documentation, "Using a customer managed key").
_DYNAMODB_READS = {"GetItem", "BatchGetItem", "Query", "Scan", "ConditionCheckItem"}
_DYNAMODB_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"}
KMS_FOR_TABLE_READS = ("kms:Decrypt",)
KMS_FOR_TABLE_WRITES = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*")

# SQS operations authorized by another action (a batch by its single form), and what each needs of
# the key of a queue encrypted with a customer managed key: a producer kms:GenerateDataKey and
# kms:Decrypt, a consumer kms:Decrypt (SQS's documentation, "Key management").
_SQS_ACTIONS = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage", "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}
KMS_FOR_QUEUE_SENDS = ("kms:Decrypt", "kms:GenerateDataKey")
KMS_FOR_QUEUE_RECEIVES = ("kms:Decrypt",)
_SQS_KMS = {"SendMessage": KMS_FOR_QUEUE_SENDS, "ReceiveMessage": KMS_FOR_QUEUE_RECEIVES}


def dynamodb_table(name: str) -> str:
    return f"arn:aws:dynamodb:*:*:table/{name}"


def s3_object(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


def kms_key_of(bucket: str) -> str:
    """Placeholder resource: the KMS key that encrypts ``bucket`` (resolved per stage by ``stage_needs``)."""
    return f"kms-key-of:{bucket}"


def sqs_queue(name: str) -> str:
    return f"arn:aws:sqs:*:*:{name}"


def kms_key_of_queue(name: str) -> str:
    """Placeholder resource: the KMS key that encrypts queue ``name`` (resolved per stage by ``stage_needs``)."""
    return f"kms-key-of-queue:{name}"


def needs_for(service: str, operation: str, params: dict[str, Any]) -> set[tuple[str, str]]:
    if service == "dynamodb":
        return _dynamodb_needs(operation, params)
    if service == "s3":
        return _s3_needs(operation, params)
    if service == "sqs" and "QueueUrl" in params:
        return _sqs_needs(operation, str(params["QueueUrl"]))
    if service == "secretsmanager" and ("SecretId" in params or "Name" in params):
        # CreateSecret names the secret it makes (Name); the others name one (SecretId: name or ARN).
        secret = str(params.get("SecretId") or params["Name"]).split(":secret:")[-1]
        return {(f"secretsmanager:{operation}", f"arn:aws:secretsmanager:*:*:secret:{secret}")}
    if service == "ssm" and ("Name" in params or "Names" in params or "Path" in params):
        names = params.get("Names") or [params.get("Name") or params.get("Path")]
        return {(f"ssm:{operation}", f"arn:aws:ssm:*:*:parameter/{str(name).lstrip('/')}") for name in names}
    if service == "sesv2":
        return {(f"ses:{operation}", "*")}  # SES v2's API is authorized under the ses: prefix
    return {(f"{service}:{operation}", "*")}


def _dynamodb_needs(operation: str, params: dict[str, Any]) -> set[tuple[str, str]]:
    if operation in ("TransactWriteItems", "TransactGetItems"):
        needs = set()
        for item in params.get("TransactItems", []):
            for kind, body in item.items():
                needs.add((f"dynamodb:{_DYNAMODB_TRANSACT[kind]}", dynamodb_table(body["TableName"])))
        return needs
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return {(f"dynamodb:{operation}", dynamodb_table(table)) for table in params.get("RequestItems", {})}
    table = params.get("TableName")
    if table is None:
        return {(f"dynamodb:{operation}", "*")}
    resource = dynamodb_table(table)
    if params.get("IndexName"):
        resource += f"/index/{params['IndexName']}"
    return {(f"dynamodb:{operation}", resource)}


def _sqs_needs(operation: str, queue_url: str) -> set[tuple[str, str]]:
    """A queue URL (``https://sqs.<region>.amazonaws.com/<account>/<name>``, or the emulator's)
    ends with the queue's name; its ARN's region and account are left as ``*``."""
    name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    needs = {(f"sqs:{_SQS_ACTIONS.get(operation, operation)}", sqs_queue(name))}
    needs |= {(kms_action, kms_key_of_queue(name)) for kms_action in _SQS_KMS.get(_SQS_ACTIONS.get(operation, operation), ())}
    return needs


def _s3_needs(operation: str, params: dict[str, Any]) -> set[tuple[str, str]]:
    bucket = params.get("Bucket")
    if bucket is None:
        return {(f"s3:{operation}", "*")}
    if operation == "CopyObject":
        source = params["CopySource"]
        if isinstance(source, str):
            source_bucket, _, source_key = source.lstrip("/").partition("/")
        else:
            source_bucket, source_key = source["Bucket"], source["Key"]
        needs = {
            ("s3:GetObject", s3_object(source_bucket, source_key)),
            ("kms:Decrypt", kms_key_of(source_bucket)),
            ("s3:PutObject", s3_object(bucket, params["Key"])),
            ("kms:GenerateDataKey", kms_key_of(bucket)),
        }
        if params.get("TaggingDirective", "COPY") == "COPY":
            # Copying the source's tags (a malware scanner's verdict, say) reads them.
            needs.add(("s3:GetObjectTagging", s3_object(source_bucket, source_key)))
        return needs
    action = "s3:" + _S3_ACTIONS.get(operation, operation)
    if operation == "DeleteObjects":
        return {(action, s3_object(bucket, o["Key"])) for o in params.get("Delete", {}).get("Objects", [])}
    if "Key" not in params:
        return {(action, f"arn:aws:s3:::{bucket}")}
    needs = {(action, s3_object(bucket, params["Key"]))}
    if operation in _S3_READS_CONTENT:
        needs.add(("kms:Decrypt", kms_key_of(bucket)))
    if operation in _S3_WRITES_CONTENT:
        needs.add(("kms:GenerateDataKey", kms_key_of(bucket)))
    return needs


# --- the stage's view of the recorded needs ---------------------------------------------------


@dataclass(frozen=True)
class Need:
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()

    def context_values(self, key: str) -> list[str]:
        return [value for name, value in self.context if name.lower() == key.lower()]


@dataclass(frozen=True)
class StageView:
    """How names recorded under the tests' configuration read in one stage's deployment."""

    prefix: str
    documents_bucket: str
    kms_buckets: frozenset[str]
    tested_prefix: str
    tested_documents_bucket: str
    buckets: tuple[tuple[str, str], ...] = ()  # (tested name, stage name) of every SSP_*_BUCKET setting and the capture audit bucket
    kms_queues: frozenset[str] = frozenset()  # the stage's queues encrypted with the stack's key
    functions: tuple[tuple[str, frozenset[Need]], ...] = ()  # (template resource, what Lambda does with its role)

    @property
    def key_alias(self) -> str:
        return f"alias/{self.prefix}-data"


def stage_view(stage: str) -> StageView:
    """The stage's names; the tests run with the dev stage's (tests/support/environment.py)."""
    from infra.package import chalice_config, merge_template, stage_names

    names, tested = stage_names(stage), stage_names("dev")
    config = chalice_config()
    settings = [{**config.get("environment_variables", {}), **config["stages"][s].get("environment_variables", {})} for s in ("dev", stage)]
    buckets = tuple((settings[0][name], settings[1][name]) for name in sorted(settings[0]) if name.endswith("_BUCKET") and name in settings[1])
    # The optional capture audit bucket is named after the documents bucket (infra.package pins it),
    # so the policy can name it; tests that keep captures use the dev stage's name.
    buckets += ((tested.capture_audit_bucket, names.capture_audit_bucket),)
    template = merge_template(stage)
    return StageView(
        prefix=names.prefix,
        documents_bucket=names.documents_bucket,
        # SSE-KMS with the stack's key (infra/template.yaml)
        kms_buckets=frozenset({names.documents_bucket, names.capture_audit_bucket}),
        tested_prefix=tested.prefix,
        tested_documents_bucket=tested.documents_bucket,
        buckets=buckets,
        kms_queues=frozenset(_encrypted_queues(template, names.prefix)),
        functions=tuple((name, frozenset(needs)) for name, needs in sorted(lambda_needs(template, names.prefix).items())),
    )


# --- what Lambda itself does with a function's role, read from the template -------------------

_STREAM_READS = ("DescribeStream", "GetRecords", "GetShardIterator", "ListStreams")
# What Lambda's SQS event source calls with the function's role (Lambda's documentation, "Execution
# role permissions"); on a KMS-encrypted queue, receiving needs kms:Decrypt too.
_SQS_EVENT_SOURCE = ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")


def _named(template: dict[str, Any], resource: str, prop: str, prefix: str) -> str:
    """The name a resource gets in the stage: its ``Fn::Sub: ${NamePrefix}-...`` resolved."""
    value = template["Resources"][resource]["Properties"][prop]
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    return str(text).replace("${NamePrefix}", prefix)


def _target(reference: Any) -> str:
    """The resource an ``Fn::GetAtt: [Name, Arn|StreamArn]`` points at."""
    return str(reference["Fn::GetAtt"][0])


def _encrypted_queues(template: dict[str, Any], prefix: str) -> set[str]:
    return {
        _named(template, name, "QueueName", prefix)
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::SQS::Queue" and resource["Properties"].get("KmsMasterKeyId") == {"Ref": "DataKey"}
    }


def lambda_needs(template: dict[str, Any], prefix: str) -> dict[str, set[Need]]:
    """Per function of the template, what Lambda itself calls with its role, which the tests cannot
    record: reading a DynamoDB stream, receiving from an SQS event source (and deleting what the
    function handled), and sending what it gives up on to an SQS on-failure destination; each with
    the stack's key through SQS where the queue is encrypted with it. (Writing logs: ``stage_needs``.)"""
    encrypted = _encrypted_queues(template, prefix)
    alias = (("kms:ResourceAliases", f"alias/{prefix}-data"), ("kms:ViaService", KMS_VIA_SQS))

    def queue_needs(queue: str, actions: Iterable[str], kms_actions: Iterable[str]) -> set[Need]:
        needs = {Need(f"sqs:{action}", sqs_queue(queue)) for action in actions}
        if queue in encrypted:
            needs |= {Need(kms_action, "arn:aws:kms:*:*:key/*", alias) for kms_action in kms_actions}
        return needs

    functions: dict[str, set[Need]] = {}
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        needs = functions.setdefault(name, set())
        for event in resource["Properties"].get("Events", {}).values():
            properties = event.get("Properties", {})
            if "Stream" in properties:
                table = _named(template, _target(properties["Stream"]), "TableName", prefix)
                needs |= {Need(f"dynamodb:{action}", f"arn:aws:dynamodb:*:*:table/{table}/stream/*") for action in _STREAM_READS}
            if "Queue" in properties:
                queue = _named(template, _target(properties["Queue"]), "QueueName", prefix)
                needs |= queue_needs(queue, _SQS_EVENT_SOURCE, KMS_FOR_QUEUE_RECEIVES)
            failure = properties.get("DestinationConfig", {}).get("OnFailure", {})
            if failure.get("Type") == "SQS":
                queue = _named(template, _target(failure["Destination"]), "QueueName", prefix)
                needs |= queue_needs(queue, ("SendMessage",), KMS_FOR_QUEUE_SENDS)
    return functions


def stage_needs(recorded: Iterable[tuple[str, str]], view: StageView) -> set[Need]:
    """The recorded needs renamed for a stage, KMS resolved (for the documents through S3, for the
    tables through DynamoDB, for the queues through SQS), plus what Lambda itself needs (logs, and
    ``lambda_needs``: the outbox's stream, the webhooks queue, the on-failure queues).

    Every function's role gets the same policy file (``.chalice/policy-<stage>.json``): the
    recording does not say which function made a call."""
    needs = {Need("logs:CreateLogStream", _log_groups(view)), Need("logs:PutLogEvents", _log_groups(view))}
    for _function, function_needs in view.functions:
        needs |= function_needs
    for action, resource in recorded:
        if resource.startswith("kms-key-of:"):
            bucket = _rename_bucket(resource.removeprefix("kms-key-of:"), view)
            if bucket in view.kms_buckets:
                context = (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", KMS_VIA_S3))
                needs.add(Need(action, "arn:aws:kms:*:*:key/*", context))
            continue
        if resource.startswith("kms-key-of-queue:"):
            queue = _rename(sqs_queue(resource.removeprefix("kms-key-of-queue:")), view).removeprefix(sqs_queue(""))
            if queue in view.kms_queues:
                needs.add(Need(action, "arn:aws:kms:*:*:key/*", (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", KMS_VIA_SQS))))
            continue
        if resource.startswith(tuple(kind + view.tested_prefix + "/" + path for kind, path in LOCAL_BACKENDS)):
            continue
        renamed = _rename(resource, view)
        needs.add(Need(action, renamed))
        needs.update(_table_key_needs(action, renamed, view))
    return needs


def _table_key_needs(action: str, resource: str, view: StageView) -> set[Need]:
    """What a DynamoDB action on one of the stack's tables needs of the key that encrypts it."""
    if not resource.startswith(f"arn:aws:dynamodb:*:*:table/{view.prefix}-"):
        return set()
    operation = action.removeprefix("dynamodb:")
    kms_actions = KMS_FOR_TABLE_WRITES if operation in _DYNAMODB_WRITES else KMS_FOR_TABLE_READS if operation in _DYNAMODB_READS else ()
    context = (("kms:ResourceAliases", view.key_alias), ("kms:ViaService", KMS_VIA_DYNAMODB))
    return {Need(kms_action, "arn:aws:kms:*:*:key/*", context) for kms_action in kms_actions}


# Stores only the local stack uses in place of an AWS service, which the tests exercise too: the
# local stack keeps webhook signing secrets in SSM (``SSP_WEBHOOK_SECRETS=ssm``), AWS in Secrets
# Manager (the template never sets it; test_iam_policy checks). Their calls are not the role's.
LOCAL_BACKENDS = (("arn:aws:ssm:*:*:parameter/", "webhooks/"),)


def _log_groups(view: StageView) -> str:
    return f"arn:aws:logs:*:*:log-group:/aws/lambda/{view.prefix}-*:*"


def _rename_bucket(bucket: str, view: StageView) -> str:
    if bucket == view.tested_documents_bucket:
        return view.documents_bucket
    return dict(view.buckets).get(bucket, bucket)


def _rename(resource: str, view: StageView) -> str:
    for kind in ("arn:aws:dynamodb:*:*:table/", "arn:aws:sqs:*:*:"):
        if resource.startswith(kind + view.tested_prefix + "-"):
            return kind + view.prefix + resource.removeprefix(kind + view.tested_prefix)
    if resource.startswith("arn:aws:s3:::"):
        bucket, slash, key = resource.removeprefix("arn:aws:s3:::").partition("/")
        return f"arn:aws:s3:::{_rename_bucket(bucket, view)}{slash}{key}"
    # Secrets and parameters the tests make up: in AWS every one the portal reads is named under
    # the stage's prefix (the template's AllowedPattern on the secret parameter says so).
    for kind in ("arn:aws:secretsmanager:*:*:secret:", "arn:aws:ssm:*:*:parameter/"):
        if resource.startswith(kind):
            name = resource.removeprefix(kind).removeprefix(view.tested_prefix + "/")
            return f"{kind}{view.prefix}/{name}"
    return resource


# --- a policy against the needs ---------------------------------------------------------------


@dataclass
class Verdict:
    missing: list[Need] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unused or self.unsupported)

    def report(self) -> str:
        lines = []
        lines += [f"  missing: {n.action} on {n.resource}" for n in sorted(self.missing, key=lambda n: (n.action, n.resource))]
        lines += [f"  unused:  {u}" for u in self.unused]
        lines += [f"  cannot check: {u}" for u in self.unsupported]
        return "\n".join(lines)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _condition_holds(condition: dict[str, Any], need: Need) -> bool:
    for operator, pairs in condition.items():
        for key, expected in pairs.items():
            values = need.context_values(key)
            patterns = [str(p) for p in _as_list(expected)]
            if not values:
                return False
            if operator in ("StringEquals", "ForAnyValue:StringEquals"):
                matched = any(v in patterns for v in values)
            elif operator in ("StringLike", "ForAnyValue:StringLike"):
                matched = any(fnmatchcase(v, p) for v in values for p in patterns)
            else:
                return False
            if not matched:
                return False
    return True


def _grants(statement: dict[str, Any], action_pattern: str, resource_pattern: str, need: Need) -> bool:
    return (
        fnmatchcase(need.action.lower(), action_pattern.lower())
        and fnmatchcase(need.resource, resource_pattern)
        and _condition_holds(statement.get("Condition", {}), need)
    )


def check(policy: dict[str, Any], needs: Iterable[Need]) -> Verdict:
    verdict = Verdict()
    needs = list(needs)
    statements = policy.get("Statement", [])
    allowed = []
    for statement in statements:
        sid = statement.get("Sid", "?")
        unknown = set(statement) - {"Sid", "Effect", "Action", "Resource", "Condition"}
        if statement.get("Effect") != "Allow" or unknown:
            verdict.unsupported.append(f"statement {sid}: only Allow with Action/Resource/Condition can be checked")
            continue
        operators = set(statement.get("Condition", {})) - {"StringEquals", "StringLike", "ForAnyValue:StringEquals", "ForAnyValue:StringLike"}
        if operators:
            verdict.unsupported.append(f"statement {sid}: condition operators {sorted(operators)}")
            continue
        allowed.append(statement)
    for need in needs:
        if not any(_grants(s, a, r, need) for s in allowed for a in _as_list(s.get("Action", [])) for r in _as_list(s.get("Resource", []))):
            verdict.missing.append(need)
    for statement in allowed:
        for action in _as_list(statement.get("Action", [])):
            for resource in _as_list(statement.get("Resource", [])):
                if not any(_grants(statement, action, resource, need) for need in needs):
                    verdict.unused.append(f"statement {statement.get('Sid', '?')}: {action} on {resource}")
    return verdict


# --- the recording, and the least-privilege policy it implies ---------------------------------


def load_recording(directory: Path) -> set[tuple[str, str]]:
    recorded: set[tuple[str, str]] = set()
    for path in sorted(directory.glob("*.json")):
        recorded.update((action, resource) for action, resource in json.loads(path.read_text()))
    return recorded


def minimal_policy(needs: Iterable[Need], prefix: str = "") -> dict[str, Any]:
    """One statement per resource family, grouping resources that need the same actions
    (``prefix``, the stage's, is left out of the statement ids of queues)."""
    by_resource: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = {}
    for need in needs:
        by_resource.setdefault((need.resource, need.context), set()).add(need.action)
    groups: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], list[str]] = {}
    for (resource, context), actions in sorted(by_resource.items()):
        family = _family(resource, context, prefix)
        groups.setdefault((family, tuple(sorted(actions)), context), []).append(resource)
    statements = []
    for (family, granted, context), resources in groups.items():
        statement: dict[str, Any] = {
            "Sid": family,
            "Effect": "Allow",
            "Action": list(granted),
            "Resource": resources if len(resources) > 1 else resources[0],
        }
        if context:
            condition: dict[str, Any] = {}
            for key, value in context:
                operator = "ForAnyValue:StringEquals" if key == "kms:ResourceAliases" else "StringLike"
                condition.setdefault(operator, {})[key] = value
            statement["Condition"] = condition
        statements.append(statement)
    statements.sort(key=lambda s: s["Sid"] != "Logs")
    _unique_sids(statements)
    return {"Version": "2012-10-17", "Statement": statements}


def _family(resource: str, context: tuple[tuple[str, str], ...] = (), prefix: str = "") -> str:
    """A statement id from the resource: ``Logs``, ``ApplicationsTable``, ``DocumentsBucket``, ..."""
    if resource.startswith("arn:aws:logs:"):
        return "Logs"
    if resource.startswith("arn:aws:dynamodb:"):
        table = resource.split(":table/")[1].split("/")[0]
        suffix = table.split("-")[-1]
        kind = "Indexes" if "/index/" in resource else "Stream" if "/stream/" in resource else "Table"
        return "".join(p.capitalize() for p in suffix.split("_")) + kind
    if resource.startswith("arn:aws:sqs:"):
        queue = resource.removeprefix(sqs_queue("")).removeprefix(f"{prefix}-").removesuffix(".fifo")
        return "".join(p.capitalize() for p in queue.replace("_", "-").split("-")) + "Queue"
    if resource.startswith("arn:aws:s3:::"):
        bucket, _, key = resource.removeprefix("arn:aws:s3:::").partition("/")
        name = bucket.split("-")[-1].capitalize()
        return name + ("".join(p.capitalize() for p in key.split("/")[0].replace("-", "_").split("_")) if key else "Bucket")
    if resource.startswith("arn:aws:kms:"):
        via = {value for key, value in context if key == "kms:ViaService"}
        names = {KMS_VIA_DYNAMODB: "DataKeyForTables", KMS_VIA_S3: "DataKeyForDocuments", KMS_VIA_SQS: "DataKeyForQueues"}
        return names.get(via.pop(), "DataKey") if len(via) == 1 else "DataKey"
    if resource.startswith("arn:aws:secretsmanager:"):
        return "Secrets"
    if resource.startswith("arn:aws:ssm:"):
        return "Parameters"
    return "Other"


def _unique_sids(statements: list[dict[str, Any]]) -> None:
    seen: dict[str, int] = {}
    for statement in statements:
        sid = statement["Sid"]
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            statement["Sid"] = f"{sid}{seen[sid]}"


def _generalise(needs: set[Need]) -> set[Need]:
    """Object keys under the documents prefixes (``uploads/<person>/<doc>``) become ``uploads/*``;
    secrets and parameters ``<prefix>/*``, except the webhook endpoints' own, which the portal
    creates, rotates and deletes: ``<prefix>/webhooks/*``."""
    general = set()
    for need in needs:
        resource = need.resource
        if resource.startswith("arn:aws:s3:::") and "/" in resource.removeprefix("arn:aws:s3:::"):
            bucket, _, key = resource.removeprefix("arn:aws:s3:::").partition("/")
            resource = f"arn:aws:s3:::{bucket}/{key.split('/')[0]}/*"
        for kind in ("arn:aws:secretsmanager:*:*:secret:", "arn:aws:ssm:*:*:parameter/"):
            # every secret and parameter the portal reads is named under "<prefix>/" (stage_needs)
            if resource.startswith(kind):
                name = resource.removeprefix(kind).split("/")
                resource = kind + "/".join(name[:2] if name[1:2] == ["webhooks"] and len(name) > 2 else name[:1]) + "/*"
        general.add(Need(need.action, resource, need.context))
    return general


def merged_policy(policy: dict[str, Any], needs: Iterable[Need], prefix: str = "") -> dict[str, Any]:
    """``policy`` with what it does not grant added (to the statement on the same resources and
    condition, else in a new one); nothing taken away."""
    missing = set(check(policy, needs).missing)
    if not missing:
        return policy
    statements = [dict(statement) for statement in policy.get("Statement", [])]
    for added in minimal_policy(_generalise(missing), prefix)["Statement"]:
        same = [
            s
            for s in statements
            if sorted(_as_list(s.get("Resource", []))) == sorted(_as_list(added["Resource"])) and s.get("Condition") == added.get("Condition")
        ]
        if same:
            same[0]["Action"] = sorted({*_as_list(same[0].get("Action", [])), *added["Action"]})
        else:
            statements.append(added)
    _unique_sids(statements)
    return {**policy, "Statement": statements}


def main(argv: list[str]) -> int:
    from infra.package import stage_names, stages

    if not argv or argv[0] != "suggest":
        print(__doc__)
        return 2
    args = list(argv[1:])
    directory = RECORDING_DIR
    if "--from" in args:
        at = args.index("--from")
        directory = Path(args[at + 1])
        del args[at : at + 2]
    write, merge = "--write" in args, "--merge" in args
    recorded = load_recording(directory)
    if not recorded:
        print(f"nothing recorded in {directory}: run `make test` first", file=sys.stderr)
        return 1
    for stage in [a for a in args if not a.startswith("--")] or stages():
        policy_file = stage_names(stage).policy_file
        view = stage_view(stage)
        needs = stage_needs(recorded, view)
        if merge:
            policy = merged_policy(json.loads(policy_file.read_text()), needs, view.prefix)
        else:
            policy = minimal_policy(_generalise(needs), view.prefix)
        text = json.dumps(policy, indent=2) + "\n"
        if write:
            policy_file.write_text(text)
            print(f"wrote .chalice/{policy_file.name}")
        else:
            print(f"# .chalice/{policy_file.name}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
