import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { type DefaultValues, type FieldValues, useForm } from "react-hook-form";
import type { z } from "zod";

/**
 * react-hook-form validating with the same zod schema the action uses. Without JavaScript the
 * <Form> posts natively and the action validates; with it, invalid input never leaves the page
 * and valid input is submitted through Remix (so the action still validates again).
 */
export function useValidatedForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  defaultValues?: DefaultValues<z.input<S>>,
) {
  const submit = useSubmit();
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    // the resolver's types do not line up with zod 4's generics; it validates with this same schema at run time
    resolver: zodResolver(schema as never) as never,
    mode: "onTouched",
    defaultValues,
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const target = event.currentTarget;
    void form.handleSubmit(() => submit(target))(event);
  };
  return { ...form, onSubmit };
}
