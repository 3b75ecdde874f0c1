import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { navigationFor } from "~/domain/navigation";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, role: user.role, nav: navigationFor(user).filter((item) => item.to !== "/") };
}

export default function HomePage() {
  const { t } = useTranslation();
  const { name, role, nav } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.title", { name })}</h1>
      <p className="lead">{t("home.role", { role: t(`roles.${role}`) })}</p>
      <section className="card" aria-labelledby="can-do">
        <h2 id="can-do">{t("home.canDo")}</h2>
        <p>{t(`home.permissions.${role}`)}</p>
        <ul className="link-list">
          {nav.map((item) => (
            <li key={item.to}>
              <Link to={item.to}>{t(item.label)}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
