import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";

interface Company {
  name: string;
  address: string;
  contact: string;
}

/** The company's name, address and contact line as its letters print them. */
export function CompanyLetterheadForm({
  company,
  saved,
  conflict,
  errors,
}: {
  company: Company;
  saved: boolean;
  conflict: boolean;
  errors: Partial<Record<"name" | "address" | "contact", string>>;
}) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="company-letterhead-title">
      <h2 id="company-letterhead-title">{t("installation.company.title")}</h2>
      <p className="field__help">{t("installation.company.help")}</p>
      {saved ? (
        <p className="alert alert--success" role="status">
          {t("installation.company.saved")}
        </p>
      ) : null}
      {conflict ? (
        <p className="alert alert--error" role="alert">
          {t("installation.conflict")}
        </p>
      ) : null}
      {company.name === "" ? <p className="alert alert--warn">{t("installation.company.notSet")}</p> : null}
      {/* Remounted when the stored values change, so the fields show them. */}
      <Form method="post" className="form-grid" key={`${company.name}|${company.address}|${company.contact}`}>
        <input type="hidden" name="intent" value="company" />
        <input type="hidden" name="basedOnName" value={company.name} />
        <input type="hidden" name="basedOnAddress" value={company.address} />
        <input type="hidden" name="basedOnContact" value={company.contact} />
        <TextField label={t("installation.company.name")} name="name" defaultValue={company.name} maxLength={120} required error={errors.name} />
        <TextField label={t("installation.company.address")} name="address" defaultValue={company.address} maxLength={200} error={errors.address} />
        <TextField
          label={t("installation.company.contact")}
          name="contact"
          defaultValue={company.contact}
          maxLength={200}
          help={t("installation.company.contactHelp")}
          error={errors.contact}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("installation.company.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
