import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Refusal } from "~/server/responses.server";
import { TextAreaField, TextField } from "~/ui/field";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { MarkdownText } from "~/ui/markdown-text";
import { Pagination } from "~/ui/pagination";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { StatusTable } from "~/features/status-table/components/status-table";
import { publicationPath } from "~/features/status-table/publication";
import type { PublicationView, PublicationsList } from "~/features/status-table/publication.server";
import { NOTE_MAX } from "~/features/status-table/publication.schema";

const p = "status.published";

/** The refusal of a post that names no field (a 403 or a 409), in words. */
function FormRefusal({ refused }: { refused: Refusal | null }) {
  const { t } = useTranslation();
  if (!refused?.message || Object.keys(refused.fieldErrors).length > 0) return null;
  return (
    <p className="form-error" role="alert">
      {t(refused.message)}
    </p>
  );
}

function PublishForm({
  month,
  version,
  note,
  refused,
  fixedMonth,
}: {
  month: string;
  version: number;
  note: string;
  refused: Refusal | null;
  /** a correction: the month is the page's */
  fixedMonth: boolean;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const mine = refused?.intent === "publish" ? refused : null;
  const errors = mine?.fieldErrors ?? {};
  const typed = mine?.submitted ?? null;
  const next = version + 1;
  return (
    <section className="publication-form no-print" aria-labelledby="publish-title">
      <h2 id="publish-title">{fixedMonth ? t(`${p}.correct.title`) : t(`${p}.publish.title`)}</h2>
      <p className="muted small">{fixedMonth ? t(`${p}.correct.help`, { version: next }) : t(`${p}.publish.help`)}</p>
      <FormRefusal refused={mine} />
      <Form method="post" className="form-grid" noValidate key={`${month}-${version}`}>
        <input type="hidden" name="version" value={version} />
        {fixedMonth ? (
          <input type="hidden" name="month" value={month} />
        ) : (
          <TextField label={t(`${p}.publish.month`)} name="month" type="month" defaultValue={typed?.month ?? month} required error={errors.month?.[0]} />
        )}
        <TextAreaField
          label={t(`${p}.publish.note`)}
          name="note"
          rows={8}
          maxLength={NOTE_MAX}
          required
          defaultValue={typed?.note ?? note}
          error={errors.note?.[0]}
          className="publication-form__wide"
        />
        <div className="form-actions">
          <button type="submit" name="intent" value="publish" className="button button--primary" disabled={navigation.state === "submitting"}>
            {fixedMonth ? t(`${p}.correct.submit`, { version: next }) : t(`${p}.publish.submit`)}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** `/status/published`: every published month, and the head's form to publish one. */
export function PublicationsPage({ data, refused }: { data: PublicationsList; refused: Refusal | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <>
      <p className="breadcrumb no-print">
        <Link to="/status">{t("status.title")}</Link>
      </p>
      <h1>{t(`${p}.title`)}</h1>
      <p className="lead">{t(`${p}.intro`)}</p>
      {data.publications.length === 0 ? (
        <p className="empty-state">{t(`${p}.empty`)}</p>
      ) : (
        <div className="table-wrap">
          <table className="table publications-table">
            <caption className="visually-hidden">{t(`${p}.listCaption`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t(`${p}.columns.month`)}</th>
                <th scope="col" className="num">
                  {t(`${p}.columns.version`)}
                </th>
                <th scope="col">{t(`${p}.columns.publishedAt`)}</th>
                <th scope="col">{t(`${p}.columns.publishedBy`)}</th>
                <th scope="col" className="num">
                  {t(`${p}.columns.customers`)}
                </th>
                <th scope="col" className="num">
                  {t(`${p}.columns.comments`)}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.publications.map((row) => (
                <tr key={row.month} data-month={row.month}>
                  <td className="nowrap">
                    <Link to={publicationPath(row.month)}>{row.month}</Link>
                  </td>
                  <td className="num">{row.version}</td>
                  <td className="nowrap">{formatDateTime(row.publishedAt, locale, timeZone)}</td>
                  <td>{row.publishedByName ?? "—"}</td>
                  <td className="num">{row.customers}</td>
                  <td className="num">{row.comments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.may.publish ? <PublishForm month={data.suggestedMonth} version={0} note="" refused={refused} fixedMonth={false} /> : null}
    </>
  );
}

function Comments({ view, refused }: { view: PublicationView; refused: Refusal | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const navigation = useNavigation();
  const mine = refused?.intent === "comment" ? refused : null;
  return (
    <section className="publication-comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t(`${p}.comments.title`)}</h2>
      {view.comments.length === 0 ? (
        <p className="muted">{t(`${p}.comments.none`)}</p>
      ) : (
        <ul className="publication-comments__list">
          {view.comments.map((comment) => (
            <li key={comment.id} data-version={comment.version}>
              <p className="publication-comment__body">{comment.body}</p>
              <p className="muted small">
                {comment.authorName ?? "—"} · {t(`${p}.comments.onVersion`, { version: comment.version })} · {formatDateTime(comment.createdAt, locale, timeZone)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {view.may.comment ? (
        <>
          <FormRefusal refused={mine} />
          <Form method="post" className="form-grid no-print" noValidate key={view.comments.length}>
            <input type="hidden" name="version" value={view.version.version} />
            <TextAreaField
              label={t(`${p}.comments.add`)}
              name="body"
              rows={4}
              maxLength={2000}
              required
              defaultValue={mine?.submitted.body ?? ""}
              error={mine?.fieldErrors.body?.[0]}
              className="publication-form__wide"
            />
            <div className="form-actions">
              <button type="submit" name="intent" value="comment" className="button button--primary" disabled={navigation.state === "submitting"}>
                {t(`${p}.comments.submit`)}
              </button>
            </div>
          </Form>
        </>
      ) : null}
    </section>
  );
}

/** `/status/published/:month`: a version's note and frozen table, its versions, the comments, and the forms. */
export function PublicationPage({ view, refused }: { view: PublicationView; refused: Refusal | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const formatDate = useFormatDate();
  const { version } = view;
  const older = version.version !== view.latest;
  const pageHref = (page: number) => `${publicationPath(view.month, older ? version.version : undefined)}${older ? "&" : "?"}page=${page}`;
  return (
    <>
      <p className="breadcrumb no-print">
        <Link to="/status/published">{t(`${p}.back`)}</Link>
      </p>
      <h1>{t(`${p}.heading`, { month: view.month })}</h1>
      <p className="publication-version" data-version={version.version}>
        {t(`${p}.versionLine`, {
          version: version.version,
          latest: view.latest,
          name: version.publishedByName ?? "—",
          at: formatDateTime(version.publishedAt, locale, timeZone),
          date: formatDate(version.closingDate),
        })}
      </p>
      <p className="muted small">{t(`${p}.frozen`)}</p>
      {older ? (
        <p className="notice" role="status">
          {t(`${p}.olderVersion`, { version: view.latest })} <Link to={publicationPath(view.month)}>{t(`${p}.versionItem`, { version: view.latest })}</Link>
        </p>
      ) : null}
      {view.versions.length > 1 ? (
        <nav className="publication-versions no-print" aria-label={t(`${p}.versions`)}>
          <span className="muted">{t(`${p}.versions`)}:</span>{" "}
          {view.versions.map((candidate, index) => (
            <span key={candidate.version}>
              {index > 0 ? " · " : null}
              {candidate.version === version.version ? (
                <strong aria-current="page">{t(`${p}.versionItem`, { version: candidate.version })}</strong>
              ) : (
                <Link to={publicationPath(view.month, candidate.version === view.latest ? undefined : candidate.version)}>
                  {t(`${p}.versionItem`, { version: candidate.version })}
                </Link>
              )}
            </span>
          ))}
        </nav>
      ) : null}
      <p className="publication-actions no-print">
        <a href={`/status/published/${view.month}/export?version=${version.version}`} download>
          {t(`${p}.exportXlsx`)}
        </a>{" "}
        <button type="button" className="button" onClick={() => window.print()}>
          {t(`${p}.print`)}
        </button>
      </p>
      <section className="publication-note" aria-labelledby="note-title">
        <h2 id="note-title">{t(`${p}.note`)}</h2>
        <MarkdownText text={version.note} />
      </section>
      <StatusTable
        rows={view.rows}
        totals={view.totals}
        caption={t(`${p}.caption`, { month: view.month, date: formatDate(version.closingDate), version: version.version })}
        emptyText={t(`${p}.noRows`)}
      />
      <Pagination info={view.page} label={t(`${p}.pages`)} hrefFor={pageHref} />
      <Comments view={view} refused={refused} />
      {view.may.publish ? <PublishForm month={view.month} version={view.latest} note={view.versions[view.versions.length - 1]?.note ?? ""} refused={refused} fixedMonth /> : null}
    </>
  );
}
