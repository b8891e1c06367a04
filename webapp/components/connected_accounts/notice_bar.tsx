/** @jsxRuntime automatic */
// The outcome of the last action, announced to screen readers as it appears.
import type { Notice } from '../../action_types.js';
import { webUrl } from '../../safe_url.js';
import { CLASS } from '../../styles.js';

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const error = notice.kind === 'error';
  // Checked again where it is rendered: an href is where a bad URL would run.
  const link = webUrl(notice.link);
  return (
    <div className={`${CLASS}-notice${error ? ` ${CLASS}-notice-error` : ''}`} role={error ? 'alert' : 'status'}>
      <p>
        {notice.text}
        {link && (
          <>
            {' '}
            <a href={link} target="_blank" rel="noopener noreferrer">
              Open the sign-in page
            </a>
          </>
        )}
      </p>
      <button type="button" className={`${CLASS}-btn ${CLASS}-btn-icon`} aria-label="Dismiss message" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
