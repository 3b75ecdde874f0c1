/**
 * Import messages as data: a key of `importMessages` (i18n/features/import-messages.ts) and its
 * values. Runs store them like this, so a report is rendered in the reader's language when it
 * is shown; the command line renders them in English.
 */
import type { TFunction } from "i18next";

import { createI18n } from "~/i18n";
import type { importMessagesEn } from "~/features/import/messages";

type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}`;
}[keyof T & string];
type WithoutPlural<K extends string> = K extends `${infer Base}_${"one" | "other"}` ? Base : K;

export type ImportMessageKey = WithoutPlural<Leaves<typeof importMessagesEn>>;

export type MessageValue = string | number | ImportMessage;

export interface ImportMessage {
  key: ImportMessageKey;
  params?: Record<string, MessageValue>;
}

export function message(key: ImportMessageKey, params?: Record<string, MessageValue>): ImportMessage {
  return params ? { key, params } : { key };
}

export function isImportMessage(value: unknown): value is ImportMessage {
  // an object (checked) whose key is then checked
  return typeof value === "object" && value !== null && typeof (value as ImportMessage).key === "string";
}

export type Translate = TFunction | ((key: string, options?: Record<string, unknown>) => string);

/** The message in the language of `t` (values that are messages themselves are rendered first). */
export function renderMessage(text: ImportMessage, t: Translate): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(text.params ?? {})) {
    values[name] = isImportMessage(value) ? renderMessage(value, t) : value;
  }
  // i18next's t is typed by the known keys; this key is built from a stored message key
  return (t as (key: string, options?: Record<string, unknown>) => string)(`importMessages.${text.key}`, values);
}

let english: TFunction | undefined;

/** The message in English (the command line, logs, the report kept beside the structured one). */
export function englishMessage(text: ImportMessage): string {
  english ??= createI18n("en").t;
  return renderMessage(text, english);
}
