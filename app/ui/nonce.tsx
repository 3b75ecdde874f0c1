import { createContext, useContext } from "react";

/** The per-request CSP nonce, provided by entry.server; empty on the client after hydration. */
export const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export function useNonce(): string {
  return useContext(NonceContext);
}
