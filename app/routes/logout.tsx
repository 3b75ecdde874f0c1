import { type ActionFunctionArgs, redirect } from "@remix-run/node";

import { signOut } from "~/server/auth.server";

export async function loader() {
  // Signing out changes state, so it is a POST; a GET here just goes home.
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return signOut(request);
}
