import type { CorrectionLabel } from '../inference/personal-prototypes';

/** What the menu is opened for. */
export interface CorrectionRequest {
  /** Says which digit is being corrected, e.g. "Digit 2 is…". */
  title: string;
  /** What is shown now (null: "?"), focused first. */
  current: number | null;
  onPick(label: CorrectionLabel): void;
  /** Where focus goes when the menu closes without a pick (the card it was opened from). */
  returnFocusTo(): HTMLElement | null;
}

/** The menu of corrections: one for the page, opened over a digit's card. */
export interface CorrectionMenu {
  open(request: CorrectionRequest): void;
  close(): void;
  /** The menu's element (Escape inside it closes it, not the pad). */
  readonly element: HTMLElement;
}

const COLUMNS = 5;

/**
 * Builds the menu: a popover in the top layer (never clipped by the scrolling cards), so a click
 * outside or Escape closes it; focus moves to the digit shown now, arrow keys move between the
 * choices, and focus goes back to the card on close.
 */
export function createCorrectionMenu(): CorrectionMenu {
  const element = document.createElement('div');
  element.className = 'correct-menu';
  element.popover = 'auto';
  element.setAttribute('role', 'dialog');
  element.setAttribute('aria-labelledby', 'correct-menu-title');
  element.dataset.testid = 'correct-menu';
  const title = document.createElement('h2');
  title.id = 'correct-menu-title';
  const choices = document.createElement('div');
  choices.className = 'choices';
  const buttons: HTMLButtonElement[] = [];
  const labels: CorrectionLabel[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'none'];
  for (const label of labels) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.testid = `correct-${label}`;
    button.textContent = label === 'none' ? 'Not a digit' : String(label);
    if (label === 'none') button.className = 'none';
    button.addEventListener('click', () => pick(label));
    buttons.push(button);
  }
  choices.append(...buttons);
  element.append(title, choices);
  document.body.append(element);

  let request: CorrectionRequest | undefined;
  let picked = false;

  function pick(label: CorrectionLabel): void {
    const open = request;
    if (!open) return;
    picked = true;
    element.hidePopover();
    open.onPick(label);
  }

  element.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (step !== undefined && at >= 0) {
      event.preventDefault();
      buttons[Math.min(buttons.length - 1, Math.max(0, at + step))].focus();
    }
  });
  element.addEventListener('toggle', (event) => {
    // Toggle events come a task late: a menu opened again since is not closing.
    if ((event as ToggleEvent).newState !== 'closed' || !request || element.matches(':popover-open')) return;
    const closed = request;
    request = undefined;
    // After a pick the caller shows the new reading and puts focus on its card itself.
    if (!picked && (element.contains(document.activeElement) || document.activeElement === document.body)) closed.returnFocusTo()?.focus();
  });

  return {
    element,
    open(next) {
      if (element.matches(':popover-open')) element.hidePopover();
      request = next;
      picked = false;
      title.textContent = next.title;
      buttons.forEach((button, i) => button.setAttribute('aria-current', String(labels[i] === next.current)));
      element.showPopover();
      (buttons[next.current ?? 10] ?? buttons[0]).focus();
    },
    close() {
      if (element.matches(':popover-open')) element.hidePopover();
    },
  };
}
