import { describe, expect, it } from "vitest";
import { checkAgainstOpenApi, findOperation } from "../helpers/openapi.js";

describe("checkAgainstOpenApi", () => {
  it("accepts a request GitHub's description declares", () => {
    expect(
      checkAgainstOpenApi({
        method: "POST",
        path: "/repos/octo/app/issues",
        body: { title: "Fix", body: "text", labels: ["bug"] },
      }),
    ).toEqual([]);
    expect(
      checkAgainstOpenApi({ method: "GET", path: "/repos/octo/app/issues?state=open&per_page=100" }),
    ).toEqual([]);
  });

  it("picks the most literal template and lets contents paths hold slashes", () => {
    expect(findOperation("GET", "/repos/o/r/issues/comments")?.operationId).toBe(
      "issues/list-comments-for-repo",
    );
    expect(findOperation("GET", "/repos/o/r/issues/12")?.operationId).toBe("issues/get");
    expect(findOperation("PUT", "/repos/o/r/contents/a/b/c.json")?.template).toBe(
      "/repos/{owner}/{repo}/contents/{path}",
    );
  });

  it("names an unknown path, a non-integer number, an undeclared query parameter and a bad body", () => {
    expect(checkAgainstOpenApi({ method: "GET", path: "/repos/o/r/nonsense/1" })).toEqual([
      "GET /repos/o/r/nonsense/1: no such operation in GitHub's OpenAPI description",
    ]);
    expect(checkAgainstOpenApi({ method: "DELETE", path: "/repos/o/r/issues/12" })[0]).toMatch(
      /no such operation/,
    );
    expect(checkAgainstOpenApi({ method: "GET", path: "/repos/o/r/issues/comments/abc" })).toEqual([
      'GET /repos/o/r/issues/comments/abc: path parameter comment_id must be an integer, got "abc"',
    ]);
    expect(checkAgainstOpenApi({ method: "GET", path: "/repos/o/r/issues?colour=red" })).toEqual([
      "GET /repos/o/r/issues?colour=red: query parameter colour is not declared by issues/list-for-repo",
    ]);
    const bad = checkAgainstOpenApi({ method: "POST", path: "/repos/o/r/labels", body: { color: 5 } });
    expect(bad.join("\n")).toMatch(/body must have required property 'name'/);
    expect(bad.join("\n")).toMatch(/body\/color must be string/);
  });

  it("checks bodies that use shared component schemas and nullable fields", () => {
    expect(
      checkAgainstOpenApi({
        method: "PUT",
        path: "/repos/o/r/contents/queue/pending/x.json",
        body: { message: "m", content: "eA==", branch: "b", committer: { name: "n", email: "e@x" } },
      }),
    ).toEqual([]);
    expect(
      checkAgainstOpenApi({ method: "PATCH", path: "/repos/o/r/issues/3", body: { state: "shut" } }).join(
        "\n",
      ),
    ).toMatch(/body\/state must be equal to one of the allowed values/);
  });
});
