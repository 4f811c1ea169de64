#!/usr/bin/env python3
"""Validates the REST exchanges the emulator recorded against Discord's OpenAPI document.

The test command runs the suite with AETHERIA_EMULATOR_EXCHANGES=<dir>; every emulator in it (in-process or
`aetheria emulator` children) writes JSON lines there (ExchangeRecorder). For each exchange this checks:

- the route exists in Discord's document for that method;
- the response body validates against the document's schema for the status (exact, then 4XX/5XX, then
  default), error bodies included; a 204 has no body;
- a JSON request body validates against the route's request schema, and query parameters against theirs.

Only the bot's side of the wire is Discord's: requests the tests send on purpose to provoke errors (invalid
bodies, unknown routes) are expected to fail the request schema, so a request is checked only when the
emulator accepted it (2xx). A 2xx answer to an invalid request means the emulator accepted what Discord
would refuse, which is a failure too.

Exits 1 on any failure, with one line per distinct problem; prints what was validated.
"""
import glob
import json
import re
import sys
import urllib.parse
from collections import Counter, defaultdict

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = "urn:discord-openapi"

# Where Discord's OpenAPI document disagrees with Discord's documentation (docs/emulator.md lists these, with
# the documentation's words). The emulator follows the documentation; the document is corrected in memory.
ERRATA = [
    "field errors (`errors.<field>._errors[]`) carry string codes such as BASE_TYPE_REQUIRED "
    "(reference/#error-messages), not the integer codes of the top-level Error",
    "permission bitsets in request bodies (overwrite allow/deny, role and command permissions) are decimal "
    "strings (topics/permissions: 'serialized into a string'); the document types them as integers",
]

# Routes Discord documents outside the OpenAPI document: not validated, counted.
UNDESCRIBED = {
    ("POST", "oauth2/token"): "OAuth2 token exchange (topics/oauth2), form-encoded, not in the API description",
    ("POST", "oauth2/token/revoke"): "OAuth2 token revocation (topics/oauth2)",
}

PERMISSION_FIELDS = {"allow", "deny", "permissions", "default_member_permissions"}


def apply_errata(spec):
    schemas = spec["components"]["schemas"]
    schemas["FieldError"] = {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "required": ["code", "message"],
    }
    schemas["InnerErrors"]["properties"]["_errors"]["items"] = {"$ref": "#/components/schemas/FieldError"}

    def widen(node):
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if name in PERMISSION_FIELDS and isinstance(prop, dict):
                    kinds = prop.get("type")
                    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
                    if "integer" in kinds and "string" not in kinds:
                        prop["type"] = kinds + ["string"]
                        prop["pattern"] = "^[0-9]+$"
            for value in node.values():
                widen(value)
        elif isinstance(node, list):
            for value in node:
                widen(value)

    for name, schema in schemas.items():
        if name.endswith("Request") or "Request" in name:
            widen(schema)
    for path in spec["paths"].values():
        for operation in path.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                widen(operation["requestBody"])


SNOWFLAKE = {"type": "string", "pattern": "^[0-9]{1,20}$"}
DATE = {"type": "string", "minLength": 20}
OBJECT = {"type": "object"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def strict(properties, required=None):
    return {"type": "object", "properties": properties, "required": list(required or properties)}


# Gateway dispatches, from the object tables of discord/discord-api-docs (events/gateway-events, the
# interaction object, discord-protocol.md §3): the objects Discord also returns over REST are the document's
# schemas; the gateway's own envelopes are written here field by field. Each entry: the schema of `d`, and
# (path, schema) pairs for nested objects ("[]" walks an array).
GATEWAY_MEMBER = {"allOf": [ref("GuildMemberResponse")]}
INTERACTION = strict({
    "id": SNOWFLAKE, "application_id": SNOWFLAKE, "type": {"type": "integer", "enum": [1, 2, 3, 4, 5]},
    "token": {"type": "string", "minLength": 1}, "version": {"const": 1},
    "app_permissions": {"type": "string", "pattern": "^[0-9]+$"}, "entitlements": {"type": "array"},
    "authorizing_integration_owners": OBJECT, "attachment_size_limit": {"type": "integer"},
    "locale": {"type": "string"}, "context": {"type": "integer", "enum": [0, 1, 2]},
    "data": OBJECT, "guild_id": SNOWFLAKE, "channel_id": SNOWFLAKE, "channel": OBJECT, "guild": OBJECT,
    "guild_locale": {"type": "string"},
    "member": {"allOf": [ref("GuildMemberResponse"), strict({"permissions": {"type": "string", "pattern": "^[0-9]+$"}})]},
}, required=["id", "application_id", "type", "token", "version", "app_permissions", "entitlements",
             "authorizing_integration_owners", "attachment_size_limit", "locale", "context", "data"])
DISPATCHES = {
    "READY": (strict({
        "v": {"const": 10}, "user": ref("UserPIIResponse"),
        "guilds": {"type": "array", "items": strict({"id": SNOWFLAKE, "unavailable": {"const": True}})},
        "session_id": {"type": "string", "minLength": 1}, "resume_gateway_url": {"type": "string", "minLength": 1},
        "shard": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "application": strict({"id": SNOWFLAKE, "flags": {"type": "integer"}}),
    }, required=["v", "user", "guilds", "session_id", "resume_gateway_url", "application"]), []),
    "RESUMED": (OBJECT, []),
    "GUILD_CREATE": ({"allOf": [ref("GuildResponse"), strict({
        "joined_at": DATE, "large": {"type": "boolean"}, "member_count": {"type": "integer"},
        "voice_states": {"type": "array"}, "members": {"type": "array"}, "channels": {"type": "array"},
        "threads": {"type": "array"}, "presences": {"type": "array"}, "stage_instances": {"type": "array"},
        "guild_scheduled_events": {"type": "array"}, "soundboard_sounds": {"type": "array"},
    })]}, [("channels[]", ref("GuildChannelResponse")), ("members[]", ref("GuildMemberResponse"))]),
    "GUILD_UPDATE": (ref("GuildResponse"), []),
    "GUILD_DELETE": (strict({"id": SNOWFLAKE, "unavailable": {"type": "boolean"}}, required=["id"]), []),
    "GUILD_ROLE_CREATE": (strict({"guild_id": SNOWFLAKE, "role": ref("GuildRoleResponse")}), []),
    "GUILD_ROLE_UPDATE": (strict({"guild_id": SNOWFLAKE, "role": ref("GuildRoleResponse")}), []),
    "GUILD_ROLE_DELETE": (strict({"guild_id": SNOWFLAKE, "role_id": SNOWFLAKE}), []),
    "CHANNEL_CREATE": (ref("GuildChannelResponse"), []),
    "CHANNEL_UPDATE": (ref("GuildChannelResponse"), []),
    "CHANNEL_DELETE": (ref("GuildChannelResponse"), []),
    "GUILD_MEMBER_ADD": ({"allOf": [ref("GuildMemberResponse"), strict({"guild_id": SNOWFLAKE})]}, []),
    "GUILD_MEMBER_UPDATE": (strict({
        "guild_id": SNOWFLAKE, "roles": {"type": "array", "items": SNOWFLAKE}, "user": ref("UserResponse"),
        "joined_at": {"type": ["string", "null"]}, "avatar": {"type": ["string", "null"]},
        "nick": {"type": ["string", "null"]}, "flags": {"type": "integer"},
    }, required=["guild_id", "roles", "user", "joined_at", "avatar"]), []),
    "GUILD_MEMBER_REMOVE": (strict({"guild_id": SNOWFLAKE, "user": ref("UserResponse")}), []),
    "GUILD_MEMBERS_CHUNK": (strict({
        "guild_id": SNOWFLAKE, "members": {"type": "array", "items": ref("GuildMemberResponse")},
        "chunk_index": {"type": "integer"}, "chunk_count": {"type": "integer"},
    }), []),
    # MESSAGE_CREATE/UPDATE: the message object plus guild_id and a partial member without `user`.
    "MESSAGE_CREATE": (ref("MessageResponse"), []),
    "MESSAGE_UPDATE": (ref("MessageResponse"), []),
    "MESSAGE_DELETE": (strict({"id": SNOWFLAKE, "channel_id": SNOWFLAKE, "guild_id": SNOWFLAKE},
                              required=["id", "channel_id"]), []),
    "MESSAGE_DELETE_BULK": (strict({"ids": {"type": "array", "items": SNOWFLAKE}, "channel_id": SNOWFLAKE,
                                    "guild_id": SNOWFLAKE}, required=["ids", "channel_id"]), []),
    "INTERACTION_CREATE": (INTERACTION, [("message", ref("MessageResponse"))]),
    "TYPING_START": (strict({
        "channel_id": SNOWFLAKE, "guild_id": SNOWFLAKE, "user_id": SNOWFLAKE, "timestamp": {"type": "integer"},
        "member": ref("GuildMemberResponse"),
    }, required=["channel_id", "user_id", "timestamp"]), []),
    "MESSAGE_REACTION_ADD": (strict({
        "user_id": SNOWFLAKE, "channel_id": SNOWFLAKE, "message_id": SNOWFLAKE, "guild_id": SNOWFLAKE,
        "member": ref("GuildMemberResponse"), "message_author_id": SNOWFLAKE, "burst": {"type": "boolean"},
        "type": {"type": "integer", "enum": [0, 1]},
        "emoji": strict({"id": {"type": ["string", "null"]}, "name": {"type": ["string", "null"]}}),
    }, required=["user_id", "channel_id", "message_id", "emoji", "burst", "type"]), []),
}


def nested(instance, path):
    """The values at `path` ("channels[]", "message") inside `instance`."""
    values = [instance]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        found = []
        for value in values:
            if isinstance(value, dict) and key in value:
                found.extend(value[key] if many and isinstance(value[key], list) else [] if many else [value[key]])
        values = found
    return values


def load_spec(path):
    with open(path) as handle:
        spec = json.load(handle)
    apply_errata(spec)
    registry = Registry().with_resource(ROOT, Resource(contents=spec, specification=DRAFT202012))
    return spec, registry


def pointer(*parts):
    escaped = [str(p).replace("~", "~0").replace("/", "~1") for p in parts]
    return ROOT + "#/" + urllib.parse.quote("/".join(escaped), safe="/~@!$&'()*+,;=:")


def resolve(spec, node):
    """Follows a local $ref (components/responses, parameters) to the object itself."""
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


class Routes:
    """Maps the emulator's templates (`channels/{channel}`) to the document's paths (`/channels/{channel_id}`):
    segment by segment, a literal in the document beats a parameter."""

    def __init__(self, spec):
        self.paths = []
        for path in spec["paths"]:
            self.paths.append((path, path.strip("/").split("/")))

    def find(self, template):
        segments = template.strip("/").split("/")
        best = None
        for path, parts in self.paths:
            if len(parts) != len(segments):
                continue
            score = 0
            for theirs, ours in zip(parts, segments):
                their_param = theirs.startswith("{")
                our_param = ours.startswith("{")
                if their_param and our_param:
                    continue
                if not their_param and not our_param and theirs == ours:
                    score += 1
                    continue
                if their_param and not our_param:
                    continue  # a literal of ours fits their parameter, less well than their literal would
                break
            else:
                if best is None or score > best[0]:
                    best = (score, path)
        return best[1] if best else None


def response_schema_pointer(spec, path, method, status):
    responses = spec["paths"][path][method]["responses"]
    key = str(status)
    if key not in responses:
        key = f"{str(status)[0]}XX" if f"{str(status)[0]}XX" in responses else "default"
    if key not in responses:
        return None, None
    response = resolve(spec, responses[key])
    content = response.get("content", {})
    if "application/json" not in content:
        return key, "no-body"
    raw = responses[key]
    if "$ref" in raw:
        parts = raw["$ref"][2:].split("/")
        return key, pointer(*[p.replace("~1", "/").replace("~0", "~") for p in parts], "content", "application/json", "schema")
    return key, pointer("paths", path, method, "responses", key, "content", "application/json", "schema")


def query_parameters(spec, path, method):
    """name → (schema, pointer to the schema) for the query parameters of an operation and of its path."""
    found = {}
    for owner in (("paths", path), ("paths", path, method)):
        node = spec["paths"][path] if len(owner) == 2 else spec["paths"][path][method]
        for index, parameter in enumerate(node.get("parameters", [])):
            if "$ref" in parameter:
                location = [p.replace("~1", "/").replace("~0", "~") for p in parameter["$ref"][2:].split("/")]
            else:
                location = list(owner) + ["parameters", index]
            parameter = resolve(spec, parameter)
            if parameter.get("in") == "query" and "schema" in parameter:
                found[parameter["name"]] = (parameter["schema"], pointer(*location, "schema"))
    return found


def first_error(validator, instance):
    errors = sorted(validator.iter_errors(instance), key=lambda e: (len(list(e.absolute_path)), e.message))
    if not errors:
        return None
    # oneOf failures hide the useful reason in their context: report the closest branch's first error.
    error = errors[0]
    while error.context:
        error = sorted(error.context, key=lambda e: (-len(list(e.absolute_path)), e.message))[0]
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{where}: {error.message[:300]}"


def coerce(value, schema):
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in kinds:
        try:
            return float(value)
        except ValueError:
            return value
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def main():
    if len(sys.argv) != 3:
        print("usage: check-discord-schema.py <openapi.json> <exchanges directory>", file=sys.stderr)
        return 2
    spec, registry = load_spec(sys.argv[1])
    routes = Routes(spec)
    validators = {}

    def validator(ref):
        if ref not in validators:
            validators[ref] = Draft202012Validator({"$ref": ref}, registry=registry)
        return validators[ref]

    dispatches = Counter()
    dispatch_validators = {}

    def check_dispatch(record):
        event = record["event"]
        label = f"gateway {event}"
        if event not in DISPATCHES:
            failures[f"{label}: an event with no documented shape in this check"] += 1
            return
        payload = record.get("payload")
        if isinstance(payload, dict):
            failures[f"{label}: payload too large to check ({payload.get('omitted_bytes')} bytes)"] += 1
            return
        instance = json.loads(payload)
        schema, inner = DISPATCHES[event]
        if event not in dispatch_validators:
            # The document's components travel inside each schema, so its "#/components/…" references resolve.
            def compiled(one):
                return Draft202012Validator({**one, "components": spec["components"]})

            dispatch_validators[event] = [compiled(schema)] + [(path, compiled(one)) for path, one in inner]
        top, *rest = dispatch_validators[event]
        problem = first_error(top, instance)
        for path, validator_for_path in rest:
            for value in nested(instance, path):
                problem = problem or first_error(validator_for_path, value)
                if problem:
                    problem = f"{path}: {problem}" if not problem.startswith(path) else problem
        if problem:
            failures[f"{label}: {problem}"] += 1
        else:
            dispatches[event] += 1

    files = sorted(glob.glob(f"{sys.argv[2]}/*.jsonl"))
    responses = Counter()
    requests = Counter()
    failures = defaultdict(int)
    seen_routes = set()
    undescribed = Counter()
    server_errors = Counter()
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    exchange = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a process killed mid-line
                if exchange.get("kind") == "dispatch":
                    check_dispatch(exchange)
                    continue
                method = exchange["method"].lower()
                template = exchange["route"]
                status = exchange["status"]
                if (exchange["method"], template) in UNDESCRIBED:
                    undescribed[(exchange["method"], template)] += 1
                    continue
                if status >= 500:
                    server_errors[f"{exchange['method']} /{template} {status}"] += 1
                    continue  # Discord documents no 5xx bodies (they come from its edge); injected faults only
                path = routes.find(template)
                if path is None or method not in spec["paths"][path]:
                    failures[f"{exchange['method']} /{template}: not in Discord's API description"] += 1
                    continue
                seen_routes.add(f"{exchange['method']} {path}")
                operation = spec["paths"][path][method]
                label = f"{exchange['method']} {path} {status}"

                key, ref = response_schema_pointer(spec, path, method, status)
                body = exchange.get("response_body")
                if isinstance(body, dict):
                    failures[f"{label}: response body too large to check ({body.get('omitted_bytes')} bytes)"] += 1
                elif key is None:
                    failures[f"{label}: status {status} is not one Discord documents for this route"] += 1
                elif ref == "no-body":
                    if body:
                        failures[f"{label}: Discord sends no body here, the emulator sent {body[:80]!r}"] += 1
                    else:
                        responses[label] += 1
                else:
                    try:
                        instance = json.loads(body) if body else None
                    except json.JSONDecodeError:
                        instance = None
                    if instance is None:
                        failures[f"{label}: the response is not JSON"] += 1
                    else:
                        problem = first_error(validator(ref), instance)
                        if problem:
                            failures[f"{label}: {problem}"] += 1
                        else:
                            responses[label] += 1

                if not 200 <= status < 300:
                    continue
                request_body = exchange.get("request_body") or ""
                content_type = exchange.get("request_content_type") or ""
                declared = operation.get("requestBody", {}).get("content", {})
                if request_body and content_type.startswith("application/json"):
                    if "application/json" not in declared:
                        failures[f"{label}: a JSON body where Discord takes none"] += 1
                    else:
                        ref = pointer("paths", path, method, "requestBody", "content", "application/json", "schema")
                        problem = first_error(validator(ref), json.loads(request_body))
                        if problem:
                            failures[f"{label} request: {problem}"] += 1
                        else:
                            requests[label] += 1
                parameters = query_parameters(spec, path, method)
                for name, value in exchange.get("query", {}).items():
                    if name not in parameters:
                        failures[f"{label} request: query parameter {name!r} is not Discord's"] += 1
                        continue
                    schema, ref = parameters[name]
                    problem = first_error(validator(ref), coerce(value, resolve(spec, schema)))
                    if problem:
                        failures[f"{label} request: query {name}={value!r}: {problem}"] += 1
                    else:
                        requests[label + " query"] += 1

    total = sum(responses.values())
    print(f"schema check: {len(files)} exchange files, {total} responses and {sum(requests.values())} request "
          f"bodies valid, over {len(seen_routes)} routes of Discord's API; {sum(dispatches.values())} gateway "
          f"dispatches valid, over {len(dispatches)} events: {', '.join(sorted(dispatches))}")
    for route in sorted(seen_routes):
        print(f"  {route}")
    for (method, template), count in sorted(undescribed.items()):
        print(f"  not validated: {method} /{template} ×{count}: {UNDESCRIBED[(method, template)]}")
    if server_errors:
        print(f"  not validated: {sum(server_errors.values())} injected 5xx answers (Discord documents none)")
    print("  corrections to Discord's document applied (see docs/emulator.md):")
    for erratum in ERRATA:
        print(f"    - {erratum}")
    if failures:
        print(f"\n{len(failures)} distinct problems:")
        for problem, count in sorted(failures.items()):
            print(f"  ✘ {problem} (×{count})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
