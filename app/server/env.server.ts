/** Configuration read from the environment, with the defaults the README documents. */
function minutes(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of minutes`);
  return value;
}

export function sessionSettings() {
  return {
    /** signed out after this long without a request */
    idleMinutes: minutes("SESSION_IDLE_MINUTES", 120),
    /** signed out this long after signing in, however active */
    absoluteMinutes: minutes("SESSION_ABSOLUTE_MINUTES", 12 * 60),
  };
}

let checkedZone: string | null = null;

/** Time zone for showing timestamps (sign-ins, imports, audit); dates of the ledger have none. */
export function displayTimeZone(): string {
  const zone = process.env.QUARTERDECK_TIME_ZONE || "Asia/Shanghai";
  // Asked on every page; checking a zone makes an Intl.DateTimeFormat, so the last good one is remembered.
  if (zone === checkedZone) return zone;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    checkedZone = zone;
    return zone;
  } catch {
    throw new Error(`QUARTERDECK_TIME_ZONE "${zone}" is not a time zone (e.g. Asia/Shanghai)`);
  }
}

/**
 * TRUST_PROXY as Express's "trust proxy" setting. A whole number is a hop count ("1": the one
 * TLS-terminating proxy in front); Express would take the string "1" for an address and trust
 * nobody, so requests behind the proxy looked like plain HTTP from another origin. "true" and
 * "false" are booleans; anything else (loopback, addresses, subnets) is passed on as it is.
 */
export function trustProxySetting(raw: string | undefined): boolean | number | string {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "false" || value === "0") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * WEB_CONCURRENCY: how many app processes serve HTTP on the one port (node:cluster). Unset or
 * empty means one (the embedded default, everything in one process); `auto` one per core the
 * machine offers. Anything else must be a whole number from 1 to 64.
 */
export function webConcurrency(raw: string | undefined, cores: number): number {
  const value = raw?.trim() ?? "";
  if (value === "") return 1;
  if (value === "auto") return Math.max(1, Math.min(64, cores));
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64) {
    throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, or "auto"; got "${value}".`);
  }
  return Number(value);
}
