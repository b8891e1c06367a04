/**
 * How a connect goes, the same on both hosts: how long a started connect
 * lasts, what the user is told to do when it expired or was refused, and the
 * direct message when it failed.
 */
import { md } from './format.js';

/** A started connect (its link, sign-in and provider flow) is used within this time or not at all. */
export const FLOW_TTL_MS = 15 * 60 * 1000;

/** FLOW_TTL_MS as a user reads it. */
export const FLOW_TTL_TEXT = `${FLOW_TTL_MS / 60_000} minutes`;

/** What to do after a connect expired or was refused (plain text: browser pages show it too). */
export const START_AGAIN = 'Open a new link with /oauth2 connect in Mattermost.';

/** The bot's direct message when a connect the user started did not complete. */
export const connectFailedMessage = (providerName: string, reason: string): string => `Connecting your ${md(providerName)} account failed: ${reason}`;
