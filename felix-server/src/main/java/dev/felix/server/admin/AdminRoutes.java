package dev.felix.server.admin;

import java.util.List;
import java.util.Map;

/**
 * Every admin route, in one place: the dispatcher serves exactly this table, and a test compares it
 * with {@code docs/admin-api.openapi.json} in both directions, so the documentation cannot drift.
 * Path parameters are named as in the OpenAPI document.
 */
final class AdminRoutes {
  static final String PREFIX = "/admin/v1";

  static final List<Route> ALL =
      List.of(
          new Route("GET", PREFIX + "/cluster", ClusterRoutes::describe),
          new Route("GET", PREFIX + "/tenants", TenantRoutes::list),
          new Route("POST", PREFIX + "/tenants", TenantRoutes::create),
          new Route("GET", PREFIX + "/tenants/{tenant}", TenantRoutes::describe),
          new Route("DELETE", PREFIX + "/tenants/{tenant}", TenantRoutes::delete),
          new Route("GET", PREFIX + "/namespaces", NamespaceRoutes::list),
          new Route("POST", PREFIX + "/namespaces", NamespaceRoutes::create),
          new Route("GET", PREFIX + "/namespaces/{tenant}/{namespace}", NamespaceRoutes::describe),
          new Route("DELETE", PREFIX + "/namespaces/{tenant}/{namespace}", NamespaceRoutes::delete),
          new Route("GET", PREFIX + "/streams", StreamRoutes::list),
          new Route("POST", PREFIX + "/streams", StreamRoutes::create),
          new Route("GET", PREFIX + "/streams/{tenant}/{namespace}/{name}", StreamRoutes::describe),
          new Route(
              "DELETE", PREFIX + "/streams/{tenant}/{namespace}/{name}", StreamRoutes::delete),
          new Route(
              "GET", PREFIX + "/streams/{tenant}/{namespace}/{name}/cursors", CursorRoutes::list),
          new Route(
              "DELETE",
              PREFIX + "/streams/{tenant}/{namespace}/{name}/cursors/{cursor}",
              CursorRoutes::delete),
          new Route("GET", PREFIX + "/caches", CacheRoutes::list),
          new Route("POST", PREFIX + "/caches", CacheRoutes::create),
          new Route("GET", PREFIX + "/caches/{tenant}/{namespace}/{name}", CacheRoutes::describe),
          new Route("PATCH", PREFIX + "/caches/{tenant}/{namespace}/{name}", CacheRoutes::update),
          new Route("DELETE", PREFIX + "/caches/{tenant}/{namespace}/{name}", CacheRoutes::delete),
          new Route("GET", PREFIX + "/groups", GroupRoutes::list),
          new Route(
              "GET", PREFIX + "/groups/{tenant}/{namespace}/{name}/{group}", GroupRoutes::describe),
          new Route(
              "PUT", PREFIX + "/groups/{tenant}/{namespace}/{name}/{group}", GroupRoutes::put),
          new Route(
              "DELETE",
              PREFIX + "/groups/{tenant}/{namespace}/{name}/{group}",
              GroupRoutes::delete),
          new Route("GET", PREFIX + "/policies", PolicyRoutes::list),
          new Route("GET", PREFIX + "/policies/{tenant}", PolicyRoutes::describe),
          new Route("PUT", PREFIX + "/policies/{tenant}", PolicyRoutes::put),
          new Route("DELETE", PREFIX + "/policies/{tenant}", PolicyRoutes::delete));

  /** Why a path refuses a method, beyond the list of methods it takes. */
  static final Map<String, String> METHOD_NOTES =
      Map.of(
          PREFIX + "/streams/{tenant}/{namespace}/{name}",
          "streams cannot be changed after creation; delete and re-create",
          PREFIX + "/tenants/{tenant}",
          "a tenant has no settings to change",
          PREFIX + "/namespaces/{tenant}/{namespace}",
          "a namespace has no settings to change");

  private AdminRoutes() {}
}
