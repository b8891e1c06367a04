// Words for a provider's connection state. `now` and `locale` are parameters so
// tests get the same text on every machine.
import type { PanelProvider } from '../src/hosts/apps/protocol/panel_types.js';

export type ConnectionState = 'connected' | 'not_connected' | 'broken';

export function connectionState(provider: PanelProvider): ConnectionState {
  if (provider.broken) return 'broken';
  return provider.connected ? 'connected' : 'not_connected';
}

export function formatDate(epochMs: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(epochMs));
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 2 hours", "5 minutes ago"; past a week, the date instead. */
export function formatRelative(epochMs: number, now: number, locale?: string): string {
  const delta = epochMs - now;
  if (Math.abs(delta) >= 7 * 86_400_000) return `on ${formatDate(epochMs, locale)}`;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return rtf.format(Math.round(delta / ms), unit);
  }
  return delta >= 0 ? 'in less than a minute' : 'just now';
}

/** The one line under a provider's name. */
export function describeConnection(provider: PanelProvider, now: number, locale?: string): string {
  switch (connectionState(provider)) {
    case 'broken':
      return `Needs reconnecting: ${provider.broken_reason || 'the stored token no longer works'}`;
    case 'not_connected':
      return 'Not connected';
    case 'connected': {
      const parts = [provider.account_label ? `Connected as ${provider.account_label}` : 'Connected'];
      if (provider.connected_at) parts.push(`since ${formatDate(provider.connected_at, locale)}`);
      if (provider.expires_at) {
        const verb = provider.expires_at > now ? 'expires' : 'expired';
        parts.push(`token ${verb} ${formatRelative(provider.expires_at, now, locale)}`);
      }
      return parts.join(' · ');
    }
  }
}
