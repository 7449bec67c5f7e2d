"""A small evaluator of the template's intrinsic functions for one set of deployment parameters.

Enough of CloudFormation to read what a deployment would get: ``Ref`` (parameters, pseudo
parameters, and a resource as the name it is given), ``Fn::Sub``, ``Fn::Select``, ``Fn::Split``,
``Fn::Join``, ``Fn::If`` with ``AWS::NoValue``, ``Fn::GetAtt`` (kept symbolic as
``<Resource.Attribute>``) and the conditions built from ``Fn::Equals``, ``Fn::Not``, ``Fn::And``,
``Fn::Or``. Tests use it to check what a choice of parameters leads to, e.g. which origins the
CSP allows or which settings the function gets.
"""

from __future__ import annotations

import re
from typing import Any

# What a cloud engineer passes to `aws cloudformation deploy` (docs/deploy.md); the rest keep their defaults.
DEPLOY = {
    "DomainName": "portal.social.gov.example",
    "CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/abc",
    "EsignetDiscoveryUrl": "https://esignet.id.gov.example/.well-known/openid-configuration",
    "EsignetClientId": "ssp-portal",
    "StaffIssuer": "https://staff-idp.gov.example/realms/ssp",
    "StaffJwksUrl": "https://staff-idp.gov.example/realms/ssp/protocol/openid-connect/certs",
}
PSEUDO = {"AWS::Region": "eu-west-1", "AWS::URLSuffix": "amazonaws.com", "AWS::Partition": "aws", "AWS::AccountId": "111122223333"}


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


class Deployment:
    """The template as deployed with ``parameters`` (the rest take their defaults)."""

    def __init__(self, template: dict[str, Any], **parameters: str) -> None:
        self.template = template
        declared = template["Parameters"]
        unknown = set(parameters) - set(declared)
        assert not unknown, f"the template has no parameters {sorted(unknown)}"
        self.parameters = {name: str(p["Default"]) for name, p in declared.items() if "Default" in p} | parameters
        missing = set(declared) - set(self.parameters)
        assert not missing, f"parameters without a default need a value: {sorted(missing)}"
        for name, value in self.parameters.items():
            spec = declared[name]
            if "AllowedValues" in spec:
                assert value in [str(v) for v in spec["AllowedValues"]], f"{name}={value!r} is not allowed"
            if "AllowedPattern" in spec:
                assert re.fullmatch(spec["AllowedPattern"], value), f"{name}={value!r} does not match {spec['AllowedPattern']}"

    def condition(self, name: str) -> bool:
        return bool(self._condition(self.template["Conditions"][name]))

    def _condition(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Fn::Equals":
                left, right = (self.resolve(a) for a in argument)
                return str(left) == str(right)
            if function == "Fn::Not":
                return not self._condition(argument[0])
            if function == "Fn::And":
                return all(self._condition(a) for a in argument)
            if function == "Fn::Or":
                return any(self._condition(a) for a in argument)
            if function == "Condition":
                return self.condition(argument)
        return self.resolve(value)

    def exists(self, resource: str) -> bool:
        condition = self.template["Resources"][resource].get("Condition")
        return condition is None or self.condition(condition)

    def properties(self, resource: str) -> Any:
        assert self.exists(resource), f"{resource} is not created with these parameters"
        return self.resolve(self.template["Resources"][resource]["Properties"])

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [r for r in (self.resolve(v) for v in value) if r is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Ref":
                return self._ref(argument)
            if function == "Fn::Sub":
                return self._sub(argument)
            if function == "Fn::GetAtt":
                target = argument if isinstance(argument, str) else ".".join(argument)
                return f"<{target}>"
            if function == "Fn::Select":
                index, items = argument
                return self.resolve(items)[int(self.resolve(index))]
            if function == "Fn::Split":
                separator, text = argument
                return str(self.resolve(text)).split(separator)
            if function == "Fn::Join":
                separator, items = argument
                return separator.join(str(i) for i in self.resolve(items))
            if function == "Fn::If":
                name, then, otherwise = argument
                return self.resolve(then if self.condition(name) else otherwise)
        resolved = {key: self.resolve(v) for key, v in value.items()}
        return {key: v for key, v in resolved.items() if v is not NO_VALUE}

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        resource = self.template["Resources"][name]
        assert self.exists(name), f"a Ref to {name}, which these parameters do not create"
        named = {"AWS::S3::Bucket": "BucketName", "AWS::DynamoDB::Table": "TableName"}.get(resource["Type"])
        if named and named in resource.get("Properties", {}):
            return self.resolve(resource["Properties"][named])
        return f"<{name}>"

    def _sub(self, argument: Any) -> str:
        text, local = (argument, {}) if isinstance(argument, str) else argument
        variables = {name: self.resolve(v) for name, v in local.items()}

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name:
                return f"<{name}>"
            return str(self._ref(name))

        return re.sub(r"\$\{([^}!]+)\}", value, text)
