import { type ActionFunctionArgs, redirect } from "@remix-run/node";

import { getUser, safeRedirectTo } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { localeCookie } from "~/server/locale.server";
import { updateUser } from "~/features/users/index.server";
import { setLocaleSchema } from "~/features/settings/schema";
import { parseForm } from "~/server/forms.server";

export async function loader() {
  throw redirect("/");
}

/** The language switch in the header: kept on the user's record, or in a cookie before sign-in. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, setLocaleSchema);
  if (!parsed.ok) return parsed.response;
  const user = await getUser(request);
  if (user) await updateUser(getDb(), user.id, { locale: parsed.value.locale }, user.id);
  return redirect(safeRedirectTo(parsed.value.redirectTo), {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.value.locale) },
  });
}
