"""Turn a pydantic output model into the JSON schema OpenAI's strict structured output accepts."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

# Filled in by run() after parsing, so the model is never asked to produce it.
SERVER_SET_FIELDS = frozenset({"engine"})


class SchemaNotStrict(TypeError):
    """The output model uses a shape strict mode cannot express (an open-ended dict)."""


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with every object closed (additionalProperties false), every
    property required, defaults dropped and `engine` removed.

    Strict mode rejects optional properties and free-form objects: a field with a default becomes
    required (the model must fill it), and a `dict[str, X]` field raises SchemaNotStrict so the
    task author learns at registration, not on the first live call.
    """
    schema = copy.deepcopy(model.model_json_schema())
    properties = schema.get("properties", {})
    for name in SERVER_SET_FIELDS:
        properties.pop(name, None)
    return _close(schema, root=schema, path=model.__name__)


def _close(node: Any, *, root: dict[str, Any], path: str) -> Any:
    if isinstance(node, list):
        return [_close(item, root=root, path=f"{path}[{i}]") for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        # Strict mode ignores keywords beside a $ref ({"$ref": ..., "description": ...}): inline it.
        resolved = _resolve(root, node["$ref"])
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    node = {key: value for key, value in node.items() if key != "default"}
    if node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) or extra is True:
            raise SchemaNotStrict(
                f"{path}: open-ended objects (dict fields) are not allowed in strict structured "
                "output; use a model with named fields or a list of key/value items"
            )
        node["additionalProperties"] = False
        node["required"] = list(node.get("properties", {}))
    for key in ("properties", "$defs"):
        if isinstance(node.get(key), dict):
            node[key] = {
                name: _close(sub, root=root, path=f"{path}.{name}") for name, sub in node[key].items()
            }
    for key in ("items", "anyOf", "allOf", "oneOf", "prefixItems"):
        if key in node:
            node[key] = _close(node[key], root=root, path=f"{path}.{key}")
    return node


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise SchemaNotStrict(f"unsupported $ref {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return dict(node)
