import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TopBar } from "~/ui/top-bar";
import { navigationMenu } from "~/kernel/navigation";
import { getDb } from "~/server/db.server";
import { unreadCount } from "~/features/notifications/index.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { id: user.id, name: user.name, role: user.role }, nav: navigationMenu(user), unread: await unreadCount(getDb(), user.id) };
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { user, nav, unread } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <TopBar user={user} entries={nav} unread={unread} />
      <main className="page" id="main">
        {children}
      </main>
    </>
  );
}

export default function AppLayout() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
