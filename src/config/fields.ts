/**
 * The building blocks of the configuration schema: one zod schema per kind of
 * environment value, each with the message a user sees after the variable's
 * name ("PORT must be a whole number, got ..."). Messages never echo secrets.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { trimTrailingSlashes } from '../util/trim_slashes.js';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** An unset, empty or blank variable counts as not set; others are trimmed. */
function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A variable read through `schema`, or `fallback` when it is not set. */
export function setting<T>(schema: z.ZodType<T, string>, fallback: T) {
  return z.preprocess(blankToUndefined, schema.default(fallback as never));
}

/** A variable read through `schema`, undefined when it is not set. */
export function optionalSetting<T>(schema: z.ZodType<T, string>) {
  return z.preprocess(blankToUndefined, schema.optional());
}

export function integer(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, { error: (issue) => `must be a whole number, got ${JSON.stringify(issue.input)}` })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: (issue) => `must be between ${min} and ${max}, got ${String(issue.input)}` });
}

/** "true" or "false" (any case). */
export const flag = z
  .string()
  .toLowerCase()
  .refine((value) => value === 'true' || value === 'false', { error: (issue) => `must be true or false, got ${JSON.stringify(issue.input)}` })
  .transform((value) => value === 'true');

/** An absolute http(s) URL without query or fragment, returned without trailing slashes. */
export const httpUrl = z.string().transform((raw, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message, input: raw });
    return z.NEVER;
  };
  if (!URL.canParse(raw)) return fail(`must be an absolute URL, got ${JSON.stringify(raw)}`);
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('must use http or https');
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) return fail('must not have a query or fragment');
  return trimTrailingSlashes(raw);
});

/** 127.0.0.0/8, ::1 or localhost: only this machine can reach the App. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  return isIPv6(bare) && new URL(`http://[${bare}]/`).hostname === '[::1]';
}

/** The first problem zod found, as a ConfigError naming its variable. */
export function configErrorOf(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  const variable = typeof issue?.path[0] === 'string' ? issue.path[0] : 'the environment';
  return new ConfigError(variable, issue?.message ?? 'is invalid');
}
