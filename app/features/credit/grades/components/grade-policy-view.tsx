import { useTranslation } from "react-i18next";

import type { CreditPolicy } from "~/features/credit/grades/grades";
import { METRIC_UNIT } from "~/features/credit/grades/grades";

/** The grades and rules as read by everyone who may not change them. */
export function GradePolicyView({ policy }: { policy: CreditPolicy }) {
  const { t } = useTranslation();
  return (
    <>
      <section className="card" aria-labelledby="grades-heading">
        <h2 id="grades-heading">{t("credit.grades.gradesHeading")}</h2>
        <div className="table-wrap">
          <table className="credit-table stack-table">
            <caption className="visually-hidden">{t("credit.grades.gradesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("credit.grades.code")}</th>
                <th scope="col" className="num">{t("credit.grades.paymentTermsDays")}</th>
                <th scope="col" className="num">{t("credit.grades.graceDays")}</th>
                <th scope="col" className="num">{t("credit.grades.stopShipmentDays")}</th>
                <th scope="col" className="num">{t("credit.grades.reviewMonths")}</th>
                <th scope="col">{t("credit.grades.limitPolicy")}</th>
                <th scope="col" className="num">{t("credit.grades.limitMonthsOfSales")}</th>
              </tr>
            </thead>
            <tbody>
              {policy.grades.map((grade) => (
                <tr key={grade.code}>
                  <th scope="row" className="cell--title">
                    <span className="credit-grade-code">{grade.code}</span>
                  </th>
                  <td className="num" data-label={t("credit.grades.paymentTermsDays")}>
                    {grade.paymentTermsDays}
                  </td>
                  <td className="num" data-label={t("credit.grades.graceDays")}>
                    {grade.graceDays}
                  </td>
                  <td className="num" data-label={t("credit.grades.stopShipmentDays")}>
                    {grade.stopShipmentDays}
                  </td>
                  <td className="num" data-label={t("credit.grades.reviewMonths")}>
                    {grade.reviewMonths}
                  </td>
                  <td data-label={t("credit.grades.limitPolicy")}>{t(`credit.limitPolicy.${grade.limitPolicy}`)}</td>
                  <td className="num" data-label={t("credit.grades.limitMonthsOfSales")}>
                    {grade.limitMonthsOfSales}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="rules-heading">
        <h2 id="rules-heading">{t("credit.grades.rulesHeading")}</h2>
        <p className="muted">{t("credit.grades.howRulesWork")}</p>
        {policy.rules.length === 0 ? (
          <p>{t("credit.grades.noRules")}</p>
        ) : (
          <ol className="credit-rules">
            {policy.rules.map((rule, index) => (
              <li key={index}>
                {t("credit.grades.ruleInWords", {
                  metric: t(`credit.metric.${rule.metric}`),
                  comparator: t(`credit.comparator.${rule.comparator}`),
                  threshold: t(`credit.withUnit.${METRIC_UNIT[rule.metric]}`, { value: rule.threshold }),
                  action:
                    rule.action === "to-grade"
                      ? t("credit.ruleActionWithGrade", { grade: rule.toGrade })
                      : t(`credit.ruleAction.${rule.action}`),
                })}
              </li>
            ))}
          </ol>
        )}
        <p className="muted credit-help">{t("credit.grades.metricsHelp")}</p>
      </section>
    </>
  );
}
