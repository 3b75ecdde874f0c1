import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { PeriodForm } from "~/features/scoreboard/components/period-form";
import { ScoreboardChart } from "~/features/scoreboard/components/scoreboard-chart";
import { ScoreboardTable } from "~/features/scoreboard/components/scoreboard-table";
import { useFormatDate } from "~/ui/use-format-amount";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { openingDate } from "~/features/scoreboard/scoreboard";
import { loadScoreboardPage } from "~/features/scoreboard/index.server";
import scoreboardStyles from "~/features/scoreboard/components/scoreboard.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: scoreboardStyles }];

export const meta: MetaFunction = (args) => pageTitle(args, "scoreboard");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const page = await loadScoreboardPage(getDb(), user, new URL(request.url).searchParams, today());
  // A bad period is answered on the page itself (400), with the form to correct it.
  return page.board === null ? data(page, { status: 400 }) : page;
}

function exportHref(period: { start: string; end: string }, format: "csv" | "xlsx") {
  return `/scoreboard/export?${new URLSearchParams({ start: period.start, end: period.end, format })}`;
}

export default function ScoreboardPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { form, fieldErrors, viewer, board } = useLoaderData<typeof loader>();
  const problems = Object.values(fieldErrors).flat();

  return (
    <>
      <h1>{t("scoreboard.title")}</h1>
      <p className="lead">{t("scoreboard.lead")}</p>
      <PeriodForm key={`${form.start}/${form.end}`} form={form} fieldErrors={fieldErrors} />

      {board === null ? (
        <div className="alert alert--error" role="alert">
          <strong>{t("scoreboard.errors.title")}</strong>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{t(problem)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <p className="scoreboard-period__text">
            <strong>{t("scoreboard.period")}{t("common.colon")}</strong>
            {t("scoreboard.periodText", { start: formatDate(board.period.start), end: formatDate(board.period.end) })}
          </p>
          {board.ownRowOnly ? <OwnStanding board={board} viewerId={viewer.id} /> : null}

          <p className="status-export">
            {t("scoreboard.export")}{t("common.colon")}
            <a href={exportHref(board.period, "xlsx")} download>
              {t("scoreboard.exportXlsx")}
            </a>
            {" · "}
            <a href={exportHref(board.period, "csv")} download>
              {t("scoreboard.exportCsv")}
            </a>{" "}
            <span className="muted">{t("scoreboard.exportNote")}</span>
          </p>

          <ScoreboardTable
            rows={board.rows}
            unowned={board.unowned}
            totals={board.totals}
            caption={t("scoreboard.caption", { start: formatDate(board.period.start), end: formatDate(board.period.end) })}
            emptyText={board.ownRowOnly ? t("scoreboard.notOnBoard") : t("scoreboard.empty")}
          />
          {board.unowned ? <p className="muted">{t("scoreboard.totalsNote")}</p> : null}

          {board.rows.length > 0 ? <ScoreboardChart rows={board.rows} period={{ start: formatDate(board.period.start), end: formatDate(board.period.end) }} /> : null}

          <section className="card scoreboard-rules" aria-labelledby="scoreboard-rules">
            <h2 id="scoreboard-rules">{t("scoreboard.rules")}</h2>
            <ul>
              <li>{t("scoreboard.rankingRule")}</li>
              <li>{t("scoreboard.ownerRule")}</li>
              <li>{t("scoreboard.collectedRule")}</li>
              <li>{t("scoreboard.overdueRule", { date: formatDate(openingDate(board.period)), end: formatDate(board.period.end) })}</li>
              <li>{t("scoreboard.itemsRule")}</li>
              <li>
                {t("scoreboard.scoring.rule", { ...board.scoring.weights, warnBelow: board.scoring.warnBelow })}{" "}
                <Link to="/scoreboard/rules">{t("scoreboard.scoring.link")}</Link>
              </li>
              {board.ownRowOnly ? <li>{t("scoreboard.staffRule")}</li> : null}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

function OwnStanding({ board, viewerId }: { board: { rows: { ownerId: number; rank: number | null }[]; rankedCount: number }; viewerId: number }) {
  const { t } = useTranslation();
  const own = board.rows.find((row) => row.ownerId === viewerId);
  const text = !own ? t("scoreboard.notOnBoard") : own.rank === null ? t("scoreboard.notRankedYou") : t("scoreboard.yourRank", { rank: own.rank, count: board.rankedCount });
  return <p className="alert alert--warn scoreboard-standing">{text}</p>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
