// The sign-in window. Browsers block window.open outside a click handler, and
// the connect URL is only known after an async call, so the click opens a blank
// window at once and the URL is loaded into it when the call returns.

const POLL_MS = 500;
// The Apps plugin's OAuth2 state lives 15 minutes; a window open longer than
// that cannot complete the flow, so stop watching it then.
const WATCH_LIMIT_MS = 15 * 60 * 1000;

/** Opens an empty sign-in window; null when a popup blocker refused it. */
export function openBlankPopup(name: string): Window | null {
  try {
    const popup = globalThis.window.open('', name, 'popup,width=600,height=720');
    if (popup) {
      try {
        popup.document.title = 'Connecting…';
      } catch {
        // Some browsers hand back a window we cannot script: nothing to label.
      }
    }
    return popup;
  } catch {
    return null;
  }
}

/** Loads the sign-in URL into the window opened by the click. */
export function sendPopupTo(popup: Window, url: string): void {
  // The provider's pages must not be able to steer this tab (reverse tabnabbing).
  try {
    popup.opener = null;
  } catch {
    // Already cross-origin: it had no access to us to begin with.
  }
  popup.location.href = url;
}

/** Calls onClosed once the window is closed; returns a function that stops watching. */
export function whenPopupCloses(popup: Window, onClosed: () => void): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    if (popup.closed) {
      clearInterval(timer);
      onClosed();
    } else if (Date.now() - started > WATCH_LIMIT_MS) {
      clearInterval(timer);
    }
  }, POLL_MS);
  return () => clearInterval(timer);
}
