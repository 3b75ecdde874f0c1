import { apiJson } from "~/server/api.server";
import { OPENAPI_DOCUMENT } from "~/server/openapi";

/** GET /api/openapi.json: the OpenAPI 3.1 description of the JSON API; public, as it holds no data. */
export function loader() {
  return apiJson(OPENAPI_DOCUMENT);
}
