// The panel's CSS, rendered in a <style> element by the components that need it.
// Mattermost's theme variables keep it in the user's theme; the fallbacks are
// the default theme's values, for hosts that do not set them.
export const CLASS = 'oauth2c';

export const PANEL_CSS = `
.${CLASS}-panel { padding: 16px; color: var(--center-channel-color, #3f4350); font-size: 14px; line-height: 20px; }
.${CLASS}-panel h2 { font-size: 16px; font-weight: 600; margin: 0 0 12px; }
.${CLASS}-list { list-style: none; margin: 0; padding: 0; }
.${CLASS}-row { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 12px 0;
  border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12); }
.${CLASS}-row-text { flex: 1; min-width: 0; }
.${CLASS}-name { font-weight: 600; }
.${CLASS}-state { font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); overflow-wrap: anywhere; }
.${CLASS}-state-broken { color: var(--error-text, #d24b4e); }
.${CLASS}-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px;
  background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.32); }
.${CLASS}-dot-connected { background: var(--online-indicator, #06d6a0); }
.${CLASS}-dot-broken { background: var(--error-text, #d24b4e); }
.${CLASS}-grants { flex-basis: 100%; list-style: none; margin: 0; padding: 0 0 0 14px; }
.${CLASS}-grant { display: flex; align-items: center; gap: 8px; padding: 4px 0; }
.${CLASS}-actions { display: flex; gap: 8px; flex-shrink: 0; }
.${CLASS}-btn { font: inherit; font-size: 12px; font-weight: 600; padding: 6px 12px; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--button-bg, #1c58d9); background: var(--button-bg, #1c58d9); color: var(--button-color, #fff); }
.${CLASS}-btn-secondary { background: transparent; color: var(--button-bg, #1c58d9); }
.${CLASS}-btn-danger { background: transparent; border-color: var(--error-text, #d24b4e); color: var(--error-text, #d24b4e); }
.${CLASS}-btn:disabled { opacity: 0.56; cursor: default; }
.${CLASS}-btn:focus-visible, .${CLASS}-panel a:focus-visible, .${CLASS}-modal :focus-visible {
  outline: 2px solid var(--button-bg, #1c58d9); outline-offset: 2px; }
.${CLASS}-notice { padding: 8px 12px; border-radius: 4px; margin-bottom: 12px; display: flex; gap: 8px; align-items: flex-start;
  background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.08); }
.${CLASS}-notice-error { background: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.12); }
.${CLASS}-notice p { flex: 1; margin: 0; }
.${CLASS}-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.${CLASS}-btn-icon { border: 0; background: transparent; color: inherit; font-size: 16px; line-height: 16px; padding: 2px 6px; }
.${CLASS}-muted { color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); }
.${CLASS}-footer { margin-top: 16px; }
.${CLASS}-overlay { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.5); display: flex;
  align-items: center; justify-content: center; z-index: 1050; }
.${CLASS}-modal { background: var(--center-channel-bg, #fff); color: var(--center-channel-color, #3f4350);
  border-radius: 8px; width: min(560px, 92vw); max-height: 90vh; overflow: auto; padding: 24px; box-shadow: 0 20px 32px rgba(0, 0, 0, 0.12); }
.${CLASS}-modal h2 { margin: 0 0 8px; font-size: 20px; }
.${CLASS}-field { margin: 16px 0; display: flex; flex-direction: column; gap: 4px; }
.${CLASS}-field input[type=text], .${CLASS}-field input[type=password], .${CLASS}-field input:not([type]),
.${CLASS}-field textarea, .${CLASS}-field select { font: inherit; padding: 8px; border-radius: 4px;
  border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.24); background: inherit; color: inherit; }
.${CLASS}-field-error { color: var(--error-text, #d24b4e); font-size: 12px; }
.${CLASS}-help { font-size: 12px; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); }
.${CLASS}-modal-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; }
`;
