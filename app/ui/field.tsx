import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  forwardRef,
  useId,
} from "react";
import { useTranslation } from "react-i18next";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/kernel/password-policy";

/** Error messages are i18n keys, from the zod schema (client) or the action (server). */
export function useErrorText() {
  const { t } = useTranslation();
  return (message: string | undefined) =>
    message ? t(message, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH, defaultValue: message }) : undefined;
}

interface FieldProps {
  label: string;
  error?: string;
  help?: ReactNode;
}

export const TextField = forwardRef<HTMLInputElement, FieldProps & InputHTMLAttributes<HTMLInputElement>>(
  function TextField({ label, error, help, id, ...input }, ref) {
    const fallbackId = useId();
    const inputId = id ?? fallbackId;
    const errorText = useErrorText()(error);
    const describedBy = [help ? `${inputId}-help` : null, errorText ? `${inputId}-error` : null].filter(Boolean).join(" ");
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          ref={ref}
          aria-invalid={errorText ? true : undefined}
          aria-describedby={describedBy || undefined}
          {...input}
        />
        {help ? (
          <p className="field__help" id={`${inputId}-help`}>
            {help}
          </p>
        ) : null}
        {errorText ? (
          <p className="field__error" id={`${inputId}-error`}>
            {errorText}
          </p>
        ) : null}
      </div>
    );
  },
);

export const SelectField = forwardRef<
  HTMLSelectElement,
  FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }
>(function SelectField({ label, error, help, id, children, ...select }, ref) {
  const fallbackId = useId();
  const selectId = id ?? fallbackId;
  const errorText = useErrorText()(error);
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        ref={ref}
        aria-invalid={errorText ? true : undefined}
        aria-describedby={errorText ? `${selectId}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      {help ? <p className="field__help">{help}</p> : null}
      {errorText ? (
        <p className="field__error" id={`${selectId}-error`}>
          {errorText}
        </p>
      ) : null}
    </div>
  );
});

export const TextAreaField = forwardRef<HTMLTextAreaElement, FieldProps & { className?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>>(
  function TextAreaField({ label, error, help, id, className, ...textarea }, ref) {
    const fallbackId = useId();
    const areaId = id ?? fallbackId;
    const errorText = useErrorText()(error);
    const describedBy = [help ? `${areaId}-help` : null, errorText ? `${areaId}-error` : null].filter(Boolean).join(" ");
    return (
      <div className={className ? `field ${className}` : "field"}>
        <label htmlFor={areaId}>{label}</label>
        <textarea id={areaId} ref={ref} rows={3} aria-invalid={errorText ? true : undefined} aria-describedby={describedBy || undefined} {...textarea} />
        {help ? (
          <p className="field__help" id={`${areaId}-help`}>
            {help}
          </p>
        ) : null}
        {errorText ? (
          <p className="field__error" id={`${areaId}-error`}>
            {errorText}
          </p>
        ) : null}
      </div>
    );
  }
);
