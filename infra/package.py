"""Build the deployment package and the CloudFormation template of one stage, offline.

``python -m infra.package --stage prod`` (what ``make package STAGE=prod`` runs) writes
``build/prod/``: ``deployment.zip`` (the code and its Linux wheels) and ``sam.json`` (the
template Chalice generates, merged with ``infra/template.yaml`` and ``infra/tables.yaml``).
Nothing here talks to AWS. The Lambda's Linux wheels come from PyPI once per version of
``requirements.txt`` into ``build/wheels/``; Chalice's pip then installs from there alone, so
later builds need no network at all.

The stage's names (``SSP_TABLE_PREFIX``, ``SSP_DOCUMENTS_BUCKET`` in ``.chalice/config.json``)
are pinned into the template's parameters, so the stack's tables, bucket and secrets are the
ones the stage's policy file (``.chalice/policy-<stage>.json``) names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
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
    return StageNames(
        stage=stage,
        prefix=settings["SSP_TABLE_PREFIX"],
        documents_bucket=settings["SSP_DOCUMENTS_BUCKET"],
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
    for name, value in (("Stage", names.stage), ("NamePrefix", names.prefix), ("DocumentsBucketName", names.documents_bucket)):
        parameters[name].update({"Default": value, "AllowedValues": [value]})
    parameters["EsignetSigningKeySecret"]["AllowedPattern"] = names.secret_pattern
    parameters["EsignetSigningKeySecret"]["Default"] = f"{names.prefix}/esignet-signing-key"
    for name, value in stage_defaults(stage).items():
        if name not in parameters or name in ("Stage", "NamePrefix", "DocumentsBucketName"):
            raise SystemExit(f"infra/stages/{stage}.json sets {name!r}, which is not a parameter the stage may choose")
        parameters[name]["Default"] = value
    return template


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
    wheels = wheelhouse()
    if wheels is not None:
        # Chalice's own pip finds every wheel here: no network needed.
        env.update({"PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"})
    command = [sys.executable, "-c", "import sys; from chalice.cli import main; sys.exit(main())"]
    command += ["package", "--stage", stage, "--merge-template", str(merge_file), str(out)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own interpreter
    _prune_chalice_cache()
    if result.returncode != 0:
        hint = ""
        if "NotImplementedError" in result.stderr:
            hint = "\n(Chalice cannot package @app.on_s3_event to CloudFormation: wire S3 notifications in infra/template.yaml instead.)"
        raise SystemExit(f"chalice package failed for stage {stage}:\n{result.stdout}{result.stderr}{hint}")
    return out / "sam.json"


def wheelhouse() -> Path | None:
    """The Lambda's Linux wheels for this requirements.txt, fetched from PyPI once per version of
    it and kept in build/wheels/; None when they are not there and PyPI cannot be reached (then
    Chalice tries PyPI itself)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    folder = WHEELHOUSE / digest
    if (folder / ".complete").exists():
        return folder
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    download = Path(tempfile.mkdtemp(dir=WHEELHOUSE, prefix=".download-"))
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)]
    command += ["--platform", LAMBDA_PLATFORM, "--python-version", python, "--implementation", "cp", "--only-binary=:all:", "-d", str(download)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own interpreter
    if result.returncode != 0:
        shutil.rmtree(download, ignore_errors=True)
        return None
    (download / ".complete").touch()
    try:
        download.rename(folder)
    except OSError:  # another build finished first
        shutil.rmtree(download, ignore_errors=True)
    for old in sorted((p for p in WHEELHOUSE.iterdir() if p.is_dir() and p != folder), key=lambda p: p.stat().st_mtime)[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


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
