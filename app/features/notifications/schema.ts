/** The forms of notifications: mark read, the choices per event kind, a chat robot. */
import { z } from "zod";

import { LOCALES } from "~/i18n";
import { CHANNELS, EVENT_KINDS } from "~/features/notifications/events";

export const markReadSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("mark-read"), id: z.coerce.number({ message: "notifications.notFound" }).int({ message: "notifications.notFound" }).positive({ message: "notifications.notFound" }) }),
  z.object({ intent: z.literal("mark-all-read") }),
]);

/** One select per event kind, named `notify-<kind>`; a kind left out keeps its default. */
export const preferencesSchema = z.object(
  Object.fromEntries(EVENT_KINDS.map((kind) => [`notify-${kind}`, z.enum(CHANNELS, { message: "errors.checkFields" }).optional()])),
);

export const robotSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add-robot"),
    kind: z.enum(["wecom", "dingtalk", "feishu"], { message: "errors.checkFields" }),
    name: z.string().trim().min(1, { message: "notifications.robots.invalidName" }).max(80, { message: "notifications.robots.invalidName" }),
    url: z
      .string()
      .trim()
      .max(1000, { message: "notifications.robots.invalidUrl" })
      .refine((value) => /^https?:\/\/[^\s]+$/i.test(value), { message: "notifications.robots.invalidUrl" }),
    secret: z.string().trim().max(500).optional().transform((value) => (value ? value : null)),
    locale: z.enum(LOCALES, { message: "errors.checkFields" }),
  }),
  z.object({ intent: z.literal("remove-robot"), robotId: z.coerce.number().int().positive() }),
]);

/** The outbox page's "retry now" button: the message's id. */
export const retryOutboxSchema = z.object({
  intent: z.literal("retry", { message: "errors.checkFields" }),
  id: z.coerce.number({ message: "notifications.outbox.notRetriable" }).int({ message: "notifications.outbox.notRetriable" }).positive({ message: "notifications.outbox.notRetriable" }),
});
