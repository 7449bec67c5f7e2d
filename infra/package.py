"""Build the deployment package and the CloudFormation template of one stage, offline.

``python -m infra.package --stage prod`` (what ``make package STAGE=prod`` runs) writes
``build/prod/``: ``deployment.zip`` (the code and its Linux wheels) and ``sam.json`` (the
template Chalice generates, merged with ``infra/template.yaml`` and ``infra/tables.yaml``).
Nothing here talks to AWS. The Lambda's Linux wheels come from PyPI once per version of
``requirements.txt`` into ``build/wheels/``; Chalice's pip then installs from there alone, so
later builds need no network at all. Without those wheels and without PyPI, packaging stops
with a message saying how to provide them.

The stage's names (``SSP_TABLE_PREFIX``, ``SSP_DOCUMENTS_BUCKET`` in ``.chalice/config.json``)
are pinned into the template's parameters, so the stack's tables, bucket and secrets are the
ones the stage's policy file (``.chalice/policy-<stage>.json``) names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_FILE = REPO / "infra" / "template.yaml"
TABLES_FILE = REPO / "infra" / "tables.yaml"
CHALICE_CONFIG = REPO / ".chalice" / "config.json"
STAGE_DEFAULTS = REPO / "infra" / "stages"
REQUIREMENTS = REPO / "requirements.txt"
WHEELHOUSE = REPO / "build" / "wheels"
LAMBDA_PLATFORM = "manylinux2014_x86_64"
SECRET_NAME_CHARACTERS = "[A-Za-z0-9/_+=.@-]+"
CAPTURE_AUDIT_SUFFIX = "-capture-audit"
BUCKET_NAME_MAX = 63


@dataclass(frozen=True)
class StageNames:
    """What a stage's configuration names: every resource name in its template derives from these."""

    stage: str
    prefix: str
    documents_bucket: str
    policy_file: Path

    @property
    def secret_pattern(self) -> str:
        return f"^{self.prefix}/{SECRET_NAME_CHARACTERS}$"

    @property
    def capture_audit_bucket(self) -> str:
        """The optional bucket keeping relayed biometric captures for audit (parameter
        ``CaptureAudit``): the documents bucket's name with ``-capture-audit`` appended, so the
        role's policy can name it although the stack creates it only when asked to."""
        return f"{self.documents_bucket}{CAPTURE_AUDIT_SUFFIX}"


def chalice_config() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CHALICE_CONFIG.read_text())
    return loaded


def stages() -> list[str]:
    return sorted(chalice_config()["stages"])


def stage_names(stage: str) -> StageNames:
    config = chalice_config()
    if stage not in config["stages"]:
        raise SystemExit(f"no stage {stage!r} in .chalice/config.json (stages: {', '.join(stages())})")
    settings = {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}
    policy_file = config["stages"][stage].get("iam_policy_file") or config.get("iam_policy_file")
    if not policy_file:
        raise SystemExit(f"stage {stage!r} has no iam_policy_file: the role's policy is written by hand")
    documents_bucket = settings["SSP_DOCUMENTS_BUCKET"]
    if len(documents_bucket) + len(CAPTURE_AUDIT_SUFFIX) > BUCKET_NAME_MAX:
        raise SystemExit(
            f"stage {stage!r}: SSP_DOCUMENTS_BUCKET {documents_bucket!r} is too long; the capture audit bucket is named after it "
            f"({documents_bucket}{CAPTURE_AUDIT_SUFFIX}) and S3 allows {BUCKET_NAME_MAX} characters"
        )
    return StageNames(
        stage=stage,
        prefix=settings["SSP_TABLE_PREFIX"],
        documents_bucket=documents_bucket,
        policy_file=CHALICE_CONFIG.parent / policy_file,
    )


def merge_template(stage: str) -> dict[str, Any]:
    """``infra/template.yaml`` with the tables added and the stage's names pinned."""
    names = stage_names(stage)
    template: dict[str, Any] = yaml.safe_load(TEMPLATE_FILE.read_text())
    tables: dict[str, Any] = yaml.safe_load(TABLES_FILE.read_text())
    clash = set(template["Resources"]) & set(tables["Resources"])
    if clash:
        raise SystemExit(f"infra/tables.yaml and infra/template.yaml both define {sorted(clash)}")
    template["Resources"].update(tables["Resources"])
    parameters = template["Parameters"]
    for name, value in pinned(names).items():
        parameters[name].update({"Default": value, "AllowedValues": [value]})
    parameters["EsignetSigningKeySecret"]["AllowedPattern"] = names.secret_pattern
    parameters["EsignetSigningKeySecret"]["Default"] = f"{names.prefix}/esignet-signing-key"
    # optional: empty means userinfo is not encrypted (JWS only)
    parameters["EsignetEncryptionKeySecret"]["AllowedPattern"] = f"^$|{names.secret_pattern}"
    for name, value in stage_defaults(stage).items():
        if name not in parameters or name in pinned(names):
            raise SystemExit(f"infra/stages/{stage}.json sets {name!r}, which is not a parameter the stage may choose")
        parameters[name]["Default"] = value
    return template


def pinned(names: StageNames) -> dict[str, str]:
    """Template parameters fixed to the stage's configuration: the role's policy names them."""
    return {
        "Stage": names.stage,
        "NamePrefix": names.prefix,
        "DocumentsBucketName": names.documents_bucket,
        "CaptureAuditBucketName": names.capture_audit_bucket,
    }


def stage_defaults(stage: str) -> dict[str, Any]:
    """The stage's parameter defaults (``infra/stages/<stage>.json``), e.g. deletion protection."""
    path = STAGE_DEFAULTS / f"{stage}.json"
    if not path.exists():
        return {}
    loaded: dict[str, Any] = json.loads(path.read_text())
    return {name: value for name, value in loaded.items() if not name.startswith("//")}


def package(stage: str, out: Path) -> Path:
    """Run ``chalice package`` for ``stage`` into ``out``; the merged template's path."""
    out.mkdir(parents=True, exist_ok=True)
    merge_file = out / "merge.json"
    merge_file.write_text(json.dumps(merge_template(stage), indent=2))
    for stale in ("sam.json", "deployment.zip"):
        (out / stale).unlink(missing_ok=True)
    # Chalice builds AWS clients it never calls: give them a region (the template uses AWS::Region)
    # and keep botocore from looking for credentials on the instance metadata endpoint.
    env = {
        **os.environ,
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    # Chalice's own pip finds every wheel here: no network needed.
    env.update({"PIP_FIND_LINKS": str(wheelhouse()), "PIP_NO_INDEX": "1"})
    command = [sys.executable, "-c", "import sys; from chalice.cli import main; sys.exit(main())"]
    command += ["package", "--stage", stage, "--merge-template", str(merge_file), str(out)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own interpreter
    _prune_chalice_cache()
    if result.returncode != 0:
        if "NoSuchPackageError" in result.stderr:
            # a wheel missing from an incomplete or hand-made wheelhouse
            raise SystemExit(no_wheels_message(wheelhouse_folder(), result.stderr, "chalice"))
        hint = ""
        if "NotImplementedError" in result.stderr:
            hint = "\n(Chalice cannot package @app.on_s3_event to CloudFormation: wire S3 notifications in infra/template.yaml instead.)"
        raise SystemExit(f"chalice package failed for stage {stage}:\n{result.stdout}{result.stderr}{hint}")
    return out / "sam.json"


def wheelhouse() -> Path:
    """The Lambda's Linux wheels for this requirements.txt, fetched from PyPI once per version of
    it and kept in build/wheels/<digest>/. Without them and without PyPI, packaging stops with a
    message saying how to get them (Chalice would otherwise try PyPI itself and fail with a
    traceback)."""
    folder = wheelhouse_folder()
    if (folder / ".complete").exists():
        return folder
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    download = Path(tempfile.mkdtemp(dir=WHEELHOUSE, prefix=".download-"))
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS), *_wheel_options()]
    command += ["-d", str(download)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own interpreter
    if result.returncode != 0:
        shutil.rmtree(download, ignore_errors=True)
        raise SystemExit(no_wheels_message(folder, result.stderr))
    (download / ".complete").touch()
    try:
        download.rename(folder)
    except OSError:  # another build finished first
        shutil.rmtree(download, ignore_errors=True)
    for old in sorted((p for p in WHEELHOUSE.iterdir() if p.is_dir() and p != folder), key=lambda p: p.stat().st_mtime)[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def wheelhouse_folder() -> Path:
    """Where the wheels of this version of requirements.txt are kept."""
    return WHEELHOUSE / hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def _wheel_options() -> list[str]:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return ["--platform", LAMBDA_PLATFORM, "--python-version", python, "--implementation", "cp", "--only-binary=:all:"]


def no_wheels_message(folder: Path, errors: str, who: str = "pip") -> str:
    shown = folder.relative_to(REPO) if folder.is_relative_to(REPO) else folder
    last = next((line.strip() for line in reversed(errors.splitlines()) if line.strip()), "no wheel found")
    reason = re.sub(r"^[\w.]+(Error|Exception): ", "", last)  # the message of a traceback's last line, not its class
    return (
        f"Cannot package: the Lambda's Linux wheels for this requirements.txt are not in {shown}/ and could not be fetched from PyPI.\n"
        f"  {who} said: {reason}\n"
        "The first packaging after a change of requirements.txt needs PyPI once (later ones need no network). Either\n"
        "  - run `make package` again where PyPI can be reached, or\n"
        "  - fetch the wheels on a machine that can reach it and copy them here:\n"
        f"      python -m pip download -r requirements.txt {' '.join(_wheel_options())} -d {shown}\n"
        f"      touch {shown}/.complete"
    )


def _prune_chalice_cache(keep: int = 4) -> None:
    """Chalice keeps one ~25 MB zip per version of the code under .chalice/deployments; keep the newest."""
    zips = sorted((REPO / ".chalice" / "deployments").glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in zips[keep:]:
        old.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.package", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev", help="Chalice stage from .chalice/config.json (default: dev)")
    parser.add_argument("--out", type=Path, help="output folder (default: build/<stage>)")
    args = parser.parse_args(argv)
    out = (args.out or REPO / "build" / args.stage).resolve()
    template = package(args.stage, out)
    shown = template.relative_to(REPO) if template.is_relative_to(REPO) else template
    print(f"{shown} and {shown.parent / 'deployment.zip'} are ready; docs/deploy.md says how to deploy them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
