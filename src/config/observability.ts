/**
 * How admins watch and account for the service: the Prometheus metrics
 * (off unless a token or a listener of their own is set) and how long the
 * audit trail is kept. The metrics token is a secret: it is registered with
 * the logger's redaction and no message echoes it.
 */
import { z } from 'zod';
import { ConfigError, integer, optionalSetting, setting } from './fields.js';

/** Where /metrics answers on a listener of its own. */
export interface MetricsListener {
  host: string;
  port: number;
}

const TOKEN_RULE = 'must be at least 32 characters; generate one with `openssl rand -base64 32` (the value is not shown)';
// Checked by hand so that no zod message can echo the value.
const metricsToken = z.string().superRefine((raw, ctx) => {
  if (raw.length < 32 || /\s/.test(raw)) ctx.addIssue({ code: 'custom', message: TOKEN_RULE, input: '' });
});

/** host:port, [v6]:port, or a bare port (127.0.0.1 then). */
const address = z.string().transform((raw, ctx): MetricsListener => {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `must be host:port or a port, e.g. 127.0.0.1:9464, got ${JSON.stringify(raw)}`, input: raw });
    return z.NEVER;
  }
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'), port };
});

export const observability = z
  .object({
    APP_METRICS_TOKEN: optionalSetting(metricsToken),
    APP_METRICS_ADDRESS: optionalSetting(address),
    APP_AUDIT_RETENTION_DAYS: setting(integer(1, 3650), 90),
  })
  .transform((env) => ({
    /** When set, GET /metrics answers a request that carries it as a bearer token (on the main listener, and on the metrics listener). */
    metricsToken: env.APP_METRICS_TOKEN,
    /** When set, /metrics is served on this listener of its own (and not on the main one unless the token is set). */
    metricsListener: env.APP_METRICS_ADDRESS,
    /** Audit entries older than this are pruned. */
    auditRetentionMs: env.APP_AUDIT_RETENTION_DAYS * 86_400_000,
  }));

/** The metrics listener must not share the main listener's port: the two would be one. */
export function metricsListenerCheck(metrics: MetricsListener | undefined, ports: number[]): void {
  if (metrics && ports.includes(metrics.port)) throw new ConfigError('APP_METRICS_ADDRESS', `must use a port of its own, not ${metrics.port}`);
}
