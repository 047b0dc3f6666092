import { describe, expect, it } from "vitest";
import { compileRouteMatcher } from "../src/auth/route-matcher.ts";
import { keyRefusal } from "../src/auth/key-scope.ts";

const routes = [
  { method: "GET", path: "/api/courses" },
  { method: "POST", path: "/api/courses" },
  { method: "GET", path: "/api/courses/{id}" },
  { method: "GET", path: "/api/courses/mine" },
  { method: "GET", path: "/api/courses/{id}/lessons/{lessonId}" },
  { method: "GET", path: "/api/courses/{id}/lessons/order" },
  { method: "GET", path: "/api/files/{name}.json" },
  { method: "GET", path: "/api/files/{name}" },
  { method: "GET", path: "/api/a/{x}/c" },
  { method: "GET", path: "/api/a/b/{y}" },
];
const find = compileRouteMatcher(routes);
const pathOf = (method: string, path: string) => find(method, path)?.path;

describe("the gateway's route matcher", () => {
  it("matches literal templates exactly, by method", () => {
    expect(find("GET", "/api/courses")).toEqual({ method: "GET", path: "/api/courses" });
    expect(find("POST", "/api/courses")).toEqual({ method: "POST", path: "/api/courses" });
    expect(find("post", "/api/courses")?.method, "methods in any case").toBe("POST");
    expect(find("DELETE", "/api/courses")).toBeUndefined();
  });

  it("lets a {param} segment match exactly one non-empty segment", () => {
    expect(pathOf("GET", "/api/courses/0193a0b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b")).toBe("/api/courses/{id}");
    expect(pathOf("GET", "/api/courses/1/lessons/2")).toBe("/api/courses/{id}/lessons/{lessonId}");
    expect(find("GET", "/api/courses/")).toBeUndefined();
    expect(find("GET", "/api/courses/1/2")).toBeUndefined();
    expect(find("GET", "/api/courses/1/lessons/")).toBeUndefined();
  });

  it("prefers the most specific template when several match, whatever the table's order", () => {
    expect(pathOf("GET", "/api/courses/mine")).toBe("/api/courses/mine");
    expect(pathOf("GET", "/api/courses/1/lessons/order")).toBe("/api/courses/{id}/lessons/order");
    expect(pathOf("GET", "/api/files/report.json")).toBe("/api/files/{name}.json");
    expect(pathOf("GET", "/api/files/report.csv")).toBe("/api/files/{name}");
    expect(pathOf("GET", "/api/a/b/c"), "the leftmost difference decides").toBe("/api/a/b/{y}");
    const reversed = compileRouteMatcher([...routes].reverse());
    expect(reversed("GET", "/api/courses/mine")?.path).toBe("/api/courses/mine");
    expect(reversed("GET", "/api/a/b/c")?.path).toBe("/api/a/b/{y}");
  });

  it("finds nothing for a route it does not know", () => {
    expect(find("GET", "/api/nowhere")).toBeUndefined();
    expect(find("GET", "/")).toBeUndefined();
    expect(find("GET", "/api/courses/1/lessons/2/extra")).toBeUndefined();
    expect(find("GET", "/api/files/.json"), "a parameter is at least one character").toEqual({
      method: "GET",
      path: "/api/files/{name}",
    });
  });

  it("looks HEAD up as GET, and finds no GET-less HEAD", () => {
    expect(pathOf("HEAD", "/api/courses/mine")).toBe("/api/courses/mine");
    expect(find("HEAD", "/api/courses")?.method).toBe("GET");
    expect(compileRouteMatcher([{ method: "POST", path: "/x" }])("HEAD", "/x")).toBeUndefined();
  });
});

describe("the gateway's scope check, on the generated table", () => {
  it("opens a scoped route to a key with its scope, and names the scope a key lacks", () => {
    expect(keyRefusal(["courses:write"], "POST", "/api/courses")).toBeUndefined();
    expect(keyRefusal(["courses:read"], "POST", "/api/courses")).toEqual({
      detail: "This API key lacks the scope courses:write.",
      scope: "courses:write",
    });
    expect(keyRefusal(["events:read"], "HEAD", "/api/events")).toBeUndefined();
    expect(keyRefusal([], "HEAD", "/api/events")?.scope).toBe("events:read");
  });

  it("picks the literal route over a template (GET /api/courses/mine needs courses:write, not the public read)", () => {
    expect(keyRefusal(["courses:read"], "GET", "/api/courses/mine")?.scope).toBe("courses:write");
  });

  it("closes a guarded route that declares no scope, and any route the document does not have", () => {
    const forPeople = keyRefusal(["courses:read", "courses:write", "events:read"], "GET", "/api/notifications");
    expect(forPeople).toEqual({ detail: "API keys cannot use this route: it is for people." });
    expect(keyRefusal(["courses:read"], "POST", "/api/live/ticket")?.detail).toMatch(/for people/);
    expect(keyRefusal(["courses:read"], "GET", "/api/nowhere")?.detail).toMatch(/not in the API's OpenAPI document/);
    expect(keyRefusal(["courses:write"], "PUT", "/api/courses")?.detail).toMatch(/not in the API's OpenAPI document/);
  });

  it("holds a public route to the scope it declares, and closes one that declares none, as the worker does", () => {
    expect(keyRefusal(["courses:read"], "GET", "/api/courses")).toBeUndefined();
    expect(keyRefusal(["events:read"], "GET", "/api/courses")).toEqual({
      detail: "This API key lacks the scope courses:read.",
      scope: "courses:read",
    });
    expect(keyRefusal(["courses:read", "events:read"], "POST", "/api/auth/login")?.detail).toMatch(/for people/);
  });
});
