/** @jsxRuntime automatic */
// The outcome of the last action, announced to screen readers as it appears.
import type { Notice } from '../../action_types.js';
import { CLASS } from '../../styles.js';

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const error = notice.kind === 'error';
  return (
    <div className={`${CLASS}-notice${error ? ` ${CLASS}-notice-error` : ''}`} role={error ? 'alert' : 'status'}>
      <p>
        {notice.text}
        {notice.link && (
          <>
            {' '}
            <a href={notice.link} target="_blank" rel="noopener noreferrer">Open the sign-in page</a>
          </>
        )}
      </p>
      <button type="button" className={`${CLASS}-btn ${CLASS}-btn-icon`} aria-label="Dismiss message" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
