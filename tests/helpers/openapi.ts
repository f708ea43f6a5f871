/**
 * Checks a GitHub REST request against GitHub's published OpenAPI description (`@octokit/openapi`):
 * the method and path template exist, path parameters have the declared type, every query parameter
 * is one the operation declares, and the JSON body validates against the operation's request schema.
 *
 * A plain function so both the nock harness (github-api.ts) and a recording HTTP server (for child
 * processes nock cannot see) use it. The 13 MB description is parsed once per process and indexed by
 * method; request-body validators are compiled on first use and cached.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validate as validateGraphql } from "@octokit/graphql-schema";
import { Ajv, type ValidateFunction } from "ajv";
import { Kind, parse } from "graphql";

/** One request as sent to the API, with `path` relative to the API root (no `/api/v3` prefix). */
export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/repos/o/r/issues?state=open&per_page=100`. */
  path: string;
  /** The parsed JSON body, if any. */
  body?: unknown;
}

interface Parameter {
  name: string;
  in: string;
  schema?: { type?: string };
}

interface Operation {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

interface Route {
  template: string;
  pattern: RegExp;
  params: string[];
  literals: number;
  operation: Operation;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
}

const METHODS = ["get", "post", "put", "patch", "delete", "head"];
/* Parameters that may hold slashes (`contents/{path}`, `git/ref/{ref}`). */
const MULTI_SEGMENT = new Set(["path", "ref"]);

let loaded: { spec: Spec; routes: Map<string, Route[]>; ajv: Ajv; validators: Map<string, ValidateFunction> };

function load() {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  const routes = new Map<string, Route[]>();
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const params: string[] = [];
      const source = template
        .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
        .replace(/\{(\w+)\}/g, (_m, name: string) => {
          params.push(name);
          return MULTI_SEGMENT.has(name) ? "(.+)" : "([^/]+)";
        });
      const literals = template.split("/").filter((s) => s && !s.startsWith("{")).length;
      const list = routes.get(method) ?? [];
      list.push({ template, pattern: new RegExp(`^${source}$`), params, literals, operation });
      routes.set(method, list);
    }
  }
  // The most literal template wins: `/issues/comments` over `/issues/{issue_number}`.
  for (const list of routes.values()) list.sort((a, b) => b.literals - a.literals);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(toJsonSchema({ components: spec.components }) as object, "openapi");
  loaded = { spec, routes, ajv, validators: new Map() };
  return loaded;
}

function resolveParameter(p: { $ref: string } | Parameter, spec: Spec): Parameter | undefined {
  if (!("$ref" in p)) return p;
  return spec.components.parameters[p.$ref.replace("#/components/parameters/", "")];
}

/** Rewrites the description's local `$ref`s to the schema registered as `openapi`. */
function rebase(schema: unknown): unknown {
  return toJsonSchema(
    JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')),
  );
}

/**
 * OpenAPI 3.0's `nullable: true` in JSON Schema terms (Ajv only accepts it beside a `type`):
 * `type: [t, "null"]`, or an `anyOf` with null when the schema has no type of its own.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchema(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}

/** The operation a request maps to, or null. */
export function findOperation(
  method: string,
  path: string,
): { template: string; operationId: string } | null {
  const route = match(method, path);
  return route ? { template: route.template, operationId: route.operation.operationId } : null;
}

function match(method: string, path: string): (Route & { values: string[] }) | null {
  const pathname = path.split("?")[0] ?? path;
  for (const route of load().routes.get(method.toLowerCase()) ?? []) {
    const m = route.pattern.exec(pathname);
    if (m) return { ...route, values: m.slice(1) };
  }
  return null;
}

/**
 * `POST /graphql` is GitHub's GraphQL API, which the REST description does not list (the one
 * documented exception): the query is validated against GitHub's GraphQL schema
 * (`@octokit/graphql-schema`), and its variables against the query's declarations (each required
 * one given, none given that is not declared).
 */
function checkGraphql(label: string, body: unknown): string[] {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string") return [`${label}: body.query must be a GraphQL document`];
  const problems = validateGraphql(query).map((e) => `${label}: ${e.message}`);
  if (problems.length) return problems;
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const declared = new Map(
    (operation?.variableDefinitions ?? []).map((v) => [
      v.variable.name.value,
      v.type.kind === Kind.NON_NULL_TYPE,
    ]),
  );
  for (const [name, required] of declared) {
    if (required && (variables[name] === undefined || variables[name] === null))
      problems.push(`${label}: required variable $${name} not given`);
  }
  for (const name of Object.keys(variables))
    if (!declared.has(name)) problems.push(`${label}: variable $${name} is not declared by the query`);
  return problems;
}

/** Every way `request` disagrees with GitHub's OpenAPI description; empty when it conforms. */
export function checkAgainstOpenApi(request: ApiRequest): string[] {
  const label = `${request.method.toUpperCase()} ${request.path}`;
  if (request.method.toUpperCase() === "POST" && /^(\/api)?\/graphql$/.test(request.path.split("?")[0]!))
    return checkGraphql(label, request.body);
  const { spec, ajv, validators } = load();
  const route = match(request.method, request.path);
  if (!route) return [`${label}: no such operation in GitHub's OpenAPI description`];
  const problems: string[] = [];
  const parameters = (route.operation.parameters ?? [])
    .map((p) => resolveParameter(p, spec))
    .filter((p): p is Parameter => Boolean(p));
  route.params.forEach((name, index) => {
    const declared = parameters.find((p) => p.in === "path" && p.name === name);
    const value = decodeURIComponent(route.values[index] ?? "");
    if (declared?.schema?.type === "integer" && !/^\d+$/.test(value)) {
      problems.push(`${label}: path parameter ${name} must be an integer, got ${JSON.stringify(value)}`);
    }
  });
  const query = new URLSearchParams(request.path.split("?")[1] ?? "");
  for (const name of new Set(query.keys())) {
    if (!parameters.some((p) => p.in === "query" && p.name === name)) {
      problems.push(`${label}: query parameter ${name} is not declared by ${route.operation.operationId}`);
    }
  }
  const bodySchema = route.operation.requestBody?.content?.["application/json"]?.schema;
  if (request.body !== undefined && request.body !== null && request.body !== "") {
    if (!bodySchema) {
      problems.push(`${label}: ${route.operation.operationId} takes no JSON body`);
    } else {
      const key = `${request.method.toLowerCase()} ${route.template}`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(rebase(bodySchema) as object);
        validators.set(key, validate);
      }
      if (!validate(request.body)) {
        for (const error of validate.errors ?? []) {
          problems.push(`${label}: body${error.instancePath || ""} ${error.message ?? "is invalid"}`);
        }
      }
    }
  }
  return problems;
}
