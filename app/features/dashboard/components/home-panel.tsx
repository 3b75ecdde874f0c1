import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { NavItem } from "~/kernel/navigation";

/** The plain home page of a role without KPIs (the administrator): who they are and where to go. */
export function HomePanel({ name, role, nav }: { name: string; role: string; nav: NavItem[] }) {
  const { t } = useTranslation();
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
