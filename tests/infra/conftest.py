"""The packaged template of every stage, built once per test process (``chalice package``, offline)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.package import StageNames, package, stage_names, stages


@dataclass(frozen=True)
class Packaged:
    names: StageNames
    path: Path
    template: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.template["Resources"]
        return resources

    def of_type(self, resource_type: str) -> dict[str, Any]:
        return {name: r for name, r in self.resources.items() if r["Type"] == resource_type}

    def properties(self, name: str) -> dict[str, Any]:
        properties: dict[str, Any] = self.resources[name]["Properties"]
        return properties


@pytest.fixture(scope="session")
def packaged_stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Packaged]:
    built = {}
    for stage in stages():
        path = package(stage, tmp_path_factory.mktemp(f"package-{stage}"))
        built[stage] = Packaged(stage_names(stage), path, json.loads(path.read_text()))
    return built


@pytest.fixture(params=stages())
def packaged(request: pytest.FixtureRequest, packaged_stages: dict[str, Packaged]) -> Iterator[Packaged]:
    yield packaged_stages[request.param]
