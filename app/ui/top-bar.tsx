import { Form, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import { LanguageSwitch } from "~/ui/language-switch";
import { Bell } from "~/features/notifications/components";
import { type NavEntry, type NavItem, isCurrentSection } from "~/kernel/navigation";

/*
 * The top bar. Wide screens: one row of links, with the ledger and report pages in two
 * <details> menus. Narrow screens: the brand, the language and a Menu button that opens every
 * page as a list. <details>/<summary> opens and closes without JavaScript and by keyboard
 * (Enter or Space on the summary), and the browser announces it as an expandable button; with
 * JavaScript an open menu also closes on Escape, on a click elsewhere and after navigating.
 */

interface TopBarProps {
  user: { name: string; role: string };
  entries: NavEntry[];
  /** the signed-in user's unread notifications (the bell) */
  unread?: number;
}

function SignOut() {
  const { t } = useTranslation();
  return (
    <Form method="post" action="/logout">
      <button type="submit" className="button button--ghost">
        {t("nav.signOut")}
      </button>
    </Form>
  );
}

function Link({ to, label, exact }: NavItem) {
  const { t } = useTranslation();
  return (
    <NavLink to={to} end={to === "/" || exact === true}>
      {t(label)}
    </NavLink>
  );
}

/** The one-row menu of wide screens. */
function WideMenu({ entries }: { entries: NavEntry[] }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <nav aria-label={t("nav.main")} className="topbar__nav">
      <ul>
        {entries.map((entry) =>
          entry.kind === "link" ? (
            <li key={entry.to}>
              <Link {...entry} />
            </li>
          ) : (
            <li key={entry.key}>
              <details className="topbar__group" data-menu="">
                <summary className={entry.items.some((item) => isCurrentSection(item.to, pathname, item.exact)) ? "active" : undefined}>
                  {t(entry.label)}
                </summary>
                <ul className="topbar__submenu">
                  {entry.items.map((item) => (
                    <li key={item.to}>
                      <Link {...item} />
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

/** The Menu button of narrow screens: every page, groups under their names, then who is signed in. */
function NarrowMenu({ user, entries }: TopBarProps) {
  const { t } = useTranslation();
  return (
    <details className="topbar__menu" data-menu="">
      <summary className="button button--ghost">
        <span aria-hidden="true" className="topbar__menu-icon">
          ☰
        </span>{" "}
        {t("nav.menu")}
      </summary>
      <div className="topbar__drawer">
        <nav aria-label={t("nav.main")}>
          <ul>
            {entries.map((entry) =>
              entry.kind === "link" ? (
                <li key={entry.to}>
                  <Link {...entry} />
                </li>
              ) : (
                <li key={entry.key} className="topbar__drawer-group">
                  <span id={`menu-group-${entry.key}`} className="topbar__drawer-heading">
                    {t(entry.label)}
                  </span>
                  <ul aria-labelledby={`menu-group-${entry.key}`}>
                    {entry.items.map((item) => (
                      <li key={item.to}>
                        <Link {...item} />
                      </li>
                    ))}
                  </ul>
                </li>
              ),
            )}
          </ul>
        </nav>
        <div className="topbar__drawer-user">
          <span>
            {user.name} · {t(`roles.${user.role}`)}
          </span>
          <SignOut />
        </div>
      </div>
    </details>
  );
}

/** Closes the header's open menus on Escape, on a click outside them and after a navigation. */
function useClosingMenus(header: React.RefObject<HTMLElement | null>) {
  const location = useLocation();
  useEffect(() => {
    for (const menu of header.current?.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]") ?? []) menu.open = false;
  }, [location.key, header]);
  useEffect(() => {
    const openMenus = () => [...(header.current?.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]") ?? [])];
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      for (const menu of openMenus()) {
        const hadFocus = menu.contains(document.activeElement);
        menu.open = false;
        if (hadFocus) menu.querySelector("summary")?.focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      // a click's target is a node of the document
      for (const menu of openMenus()) if (!menu.contains(event.target as Node)) menu.open = false;
    };
    // One dropdown at a time: opening a menu closes the others.
    const onToggle = (event: Event) => {
      // the toggle listener is on the menus' <details> elements, which the event targets
      const opened = event.target as HTMLDetailsElement;
      if (!opened.open || !opened.matches("details[data-menu]")) return;
      for (const menu of openMenus()) if (menu !== opened && !menu.contains(opened)) menu.open = false;
    };
    const element = header.current;
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    element?.addEventListener("toggle", onToggle, true);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
      element?.removeEventListener("toggle", onToggle, true);
    };
  }, [header]);
}

export function TopBar({ user, entries, unread }: TopBarProps) {
  const { t } = useTranslation();
  const header = useRef<HTMLElement>(null);
  useClosingMenus(header);
  return (
    <header className="topbar" ref={header}>
      <div className="topbar__brand">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span>Quarterdeck</span>
      </div>
      <WideMenu entries={entries} />
      <div className="topbar__user">
        <span className="topbar__who">
          <span className="topbar__name">{user.name}</span>
          <span className="topbar__role">{t(`roles.${user.role}`)}</span>
        </span>
        <LanguageSwitch />
        <div className="topbar__signout">
          <SignOut />
        </div>
      </div>
      {unread === undefined ? null : <Bell unread={unread} />}
      <NarrowMenu user={user} entries={entries} />
    </header>
  );
}
